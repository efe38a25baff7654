// The habits of real Hugo, Jekyll and Zola blogs that once refused whole files (issue 9), each
// reproduced with files of our own, imported into a real database.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImportFailedError } from '../../src/importer/problems.js';
import { article, contentDir, type ContentDir, importDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase, truncateAll } from '../support/postgres.js';

let t: TestDatabase;
let content: ContentDir | undefined;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});
afterEach(async () => {
  await content?.cleanup();
  content = undefined;
  await truncateAll(t.db);
});

/** slug → path of every document in the database, per source file. */
async function slugsByFile(): Promise<Record<string, [string, string]>> {
  const rows = await t.db.post.findMany({ select: { sourcePath: true, slug: true, path: true } });
  return Object.fromEntries(rows.map((r) => [r.sourcePath, [r.slug, r.path]]));
}

describe('posts sharing a slug', () => {
  const kubecon = (year: number) => post('kubecon-eu', { date: `${year}-03-19` });

  it('keep the slugs they have when an older one is added later: the newcomer takes the suffix', async () => {
    content = await contentDir({ 'blog/2024/kubecon-eu.md': kubecon(2024) });
    await importDir(t.db, content.dir);
    await content.write('blog/2023/kubecon-eu.md', kubecon(2023));

    const summary = await importDir(t.db, content.dir);
    expect(summary.updated).toEqual([]);
    expect(await slugsByFile()).toEqual({
      'blog/2024/kubecon-eu.md': ['kubecon-eu', '/blog/2024/kubecon-eu/'],
      'blog/2023/kubecon-eu.md': ['kubecon-eu-2023-03-19', '/blog/2023/kubecon-eu/'],
    });
    expect(summary.warnings).toEqual([
      expect.objectContaining({
        code: 'slug-taken',
        file: 'blog/2023/kubecon-eu.md',
        line: expect.any(Number),
        message: expect.stringContaining('blog/2024/kubecon-eu.md'),
      }),
    ]);
  });

  it('keep them when files are removed, renamed or re-ordered, and when the same folder comes again', async () => {
    content = await contentDir({
      'a/2022/x.md': post('x', { date: '2022-01-01' }),
      'b/2023/x.md': post('x', { date: '2023-01-01' }),
      'c/2024/x.md': post('x', { date: '2024-01-01' }),
    });
    await importDir(t.db, content.dir);
    const first = await slugsByFile();
    expect(
      Object.values(first)
        .map(([slug]) => slug)
        .sort(),
    ).toEqual(['x', 'x-2023-01-01', 'x-2024-01-01']);

    const again = await importDir(t.db, content.dir);
    expect([again.created, again.updated, again.unchanged]).toEqual([[], [], 3]);

    // The holder of the bare slug goes: the others keep theirs (no renaming cascade).
    await content.remove('a/2022/x.md');
    await importDir(t.db, content.dir, { prune: true });
    expect(await slugsByFile()).toEqual({ 'b/2023/x.md': first['b/2023/x.md'], 'c/2024/x.md': first['c/2024/x.md'] });

    // The bare slug is free again: a newcomer takes it; one more on the same day gets a counter.
    await content.write('d/2025/x.md', post('x', { date: '2025-01-01' }));
    await content.write('e/2024/x.md', post('x', { date: '2024-01-01' }));
    await importDir(t.db, content.dir);
    expect(await slugsByFile()).toEqual({
      'b/2023/x.md': first['b/2023/x.md'],
      'c/2024/x.md': first['c/2024/x.md'],
      'd/2025/x.md': ['x-2025-01-01', '/d/2025/x/'],
      'e/2024/x.md': ['x', '/e/2024/x/'],
    });
  });

  it("leave the old slug behind as an alias when a post's own slug changes", async () => {
    content = await contentDir({ 'p.md': post('first-name') });
    await importDir(t.db, content.dir);
    await content.write('p.md', post('second-name'));
    await importDir(t.db, content.dir);
    const row = await t.db.post.findFirstOrThrow({ select: { slug: true, formerSlugs: true, formerPaths: true } });
    expect(row).toEqual({ slug: 'second-name', formerSlugs: ['first-name'], formerPaths: ['/first-name/'] });
  });

  it('in several languages are no conflict; in one language, each keeps its path from a Zola path key', async () => {
    content = await contentDir({
      'inside-rust/update.md': article({ title: 'Update', date: '2024-09-06', path: 'inside-rust/2024/09/06/project-director-update' }),
      'inside-rust/update@2.md': article({ title: 'Update', date: '2024-10-06', path: 'inside-rust/2024/10/06/project-director-update' }),
    });
    await importDir(t.db, content.dir);
    expect(await slugsByFile()).toEqual({
      'inside-rust/update.md': ['project-director-update', '/inside-rust/2024/09/06/project-director-update/'],
      'inside-rust/update@2.md': ['project-director-update-2024-10-06', '/inside-rust/2024/10/06/project-director-update/'],
    });
  });
});

describe('front matter as real blogs write it', () => {
  it('takes a title from a Jekyll file name, with a warning; an empty title stays an error', async () => {
    content = await contentDir({ '_posts/2009-05-18-bananas.markdown': '---\nlayout: post\n---\nYellow.\n' });
    const summary = await importDir(t.db, content.dir);
    expect(summary.created).toEqual([expect.objectContaining({ slug: 'bananas', path: '/2009/05/18/bananas/' })]);
    expect((await t.db.post.findFirstOrThrow()).title).toBe('Bananas');
    expect(summary.warnings).toEqual([
      expect.objectContaining({ code: 'title-from-file-name', file: '_posts/2009-05-18-bananas.markdown' }),
    ]);

    await content.write('_posts/2009-05-19-empty.md', '---\ntitle:\n---\nText.\n');
    const e = (await importDir(t.db, content.dir).catch((err: unknown) => err)) as ImportFailedError;
    expect(e).toBeInstanceOf(ImportFailedError);
    expect(e.problems).toEqual([
      expect.objectContaining({
        file: '_posts/2009-05-19-empty.md',
        line: 2,
        field: 'title',
        message: expect.stringMatching(/empty.*remove the key/),
      }),
    ]);
  });

  it('splits one author string into people, with links and affiliations kept apart from the name', async () => {
    const long =
      '[Ada Lovelace](https://ada.example) (Analytical Engines Society of Great Britain), [Grace Hopper](https://grace.example) (United States Navy Reserve), and Katherine Johnson (NASA Langley Research Center)';
    expect(long.length).toBeGreaterThan(150);
    content = await contentDir({
      'p.md': post('p', { author: long }),
      'q.md': post('q', { author: 'Ada Lovelace, Grace Hopper and Alan Turing' }),
    });
    await importDir(t.db, content.dir);
    const authorsOf = async (slug: string) =>
      (await t.db.postAuthor.findMany({ where: { post: { slug } }, orderBy: { position: 'asc' }, include: { author: true } })).map(
        ({ author: a }) => [a.name, a.url, a.affiliation],
      );
    expect(await authorsOf('p')).toEqual([
      ['Ada Lovelace', 'https://ada.example', 'Analytical Engines Society of Great Britain'],
      ['Grace Hopper', 'https://grace.example', 'United States Navy Reserve'],
      ['Katherine Johnson', null, 'NASA Langley Research Center'],
    ]);
    expect((await authorsOf('q')).map(([name]) => name)).toEqual(['Ada Lovelace', 'Grace Hopper', 'Alan Turing']);
  });

  it('accepts a key written twice, the last winning, with a warning naming both lines; --strict refuses it', async () => {
    content = await contentDir({ 'twice.md': '---\ntitle: Twice\nlang: fr\ndate: 2024-01-01\nlang: en\n---\nText.\n' });
    const summary = await importDir(t.db, content.dir, { dryRun: true });
    expect(summary.created).toEqual([expect.objectContaining({ slug: 'twice', lang: 'en' })]);
    expect(summary.warnings).toEqual([
      { code: 'duplicate-key', file: 'twice.md', line: 5, message: expect.stringMatching(/"lang".*lines 3 and 5/) },
    ]);

    const e = (await importDir(t.db, content.dir, { strict: true }).catch((err: unknown) => err)) as ImportFailedError;
    expect(e).toBeInstanceOf(ImportFailedError);
    expect(e.problems).toEqual([expect.objectContaining({ file: 'twice.md', line: 5 })]);
    expect(await t.db.post.count()).toBe(0);
  });

  it('says to quote a title with a colon in it, with the file and line', async () => {
    content = await contentDir({ 'colon.md': '---\ndate: 2024-01-01\ntitle: Rust: a language\n---\nText.\n' });
    const e = (await importDir(t.db, content.dir).catch((err: unknown) => err)) as ImportFailedError;
    expect(e.problems).toEqual([expect.objectContaining({ file: 'colon.md', line: 3, message: expect.stringMatching(/quote/i) })]);
  });

  it('treats an empty list (images: []) as no value', async () => {
    content = await contentDir({ 'p.md': post('p', { images: [], tags: [] }) });
    const summary = await importDir(t.db, content.dir);
    expect(summary.created).toHaveLength(1);
    expect(summary.warnings).toEqual([]);
  });
});

describe('undated files', () => {
  it('are pages; among dated posts, with a warning that says how to make either', async () => {
    content = await contentDir({
      'about.md': article({ title: 'About' }),
      'docs/install.md': article({ title: 'Install' }),
      'posts/dated.md': post('dated'),
      'posts/forgot.md': article({ title: 'Forgot the date' }),
    });
    const summary = await importDir(t.db, content.dir);
    expect(summary.created.map((c) => [c.sourcePath, c.kind]).sort()).toEqual([
      ['about.md', 'page'],
      ['docs/install.md', 'page'],
      ['posts/dated.md', 'post'],
      ['posts/forgot.md', 'page'],
    ]);
    expect(summary.warnings).toEqual([
      expect.objectContaining({
        code: 'undated-page',
        file: 'posts/forgot.md',
        message: expect.stringMatching(/give it a date.*type: page/),
      }),
    ]);
  });
});

describe('shortcodes, Liquid tags and cross references', () => {
  it("turn post_url and ref into the linked post's URL, and warn of what was kept as text, with its line", async () => {
    content = await contentDir({
      '_posts/2013-01-07-target.md': article({ title: 'Target' }),
      '_posts/2014-01-06-linking.md': article(
        { title: 'Linking' },
        'See [it]({% post_url 2013-01-07-target %}).\n\n{% include footer.html %}\n',
      ),
      'hugo/linker.md': post(
        'linker',
        {},
        'And [this]({{< ref "/_posts/2013-01-07-target.md" >}}).\n\n{{< notice warning >}}\nCareful.\n{{< /notice >}}\n',
      ),
    });
    const summary = await importDir(t.db, content.dir);
    const html = async (slug: string) => (await t.db.post.findFirstOrThrow({ where: { slug } })).html;
    expect(await html('linking')).toContain('href="/2013/01/07/target/"');
    expect(await html('linker')).toContain('href="/2013/01/07/target/"');
    expect(summary.warnings.map((w) => [w.code, w.file, w.line])).toEqual(
      expect.arrayContaining([
        ['shortcode', '_posts/2014-01-06-linking.md', expect.any(Number)],
        ['shortcode', 'hugo/linker.md', expect.any(Number)],
      ]),
    );
    expect(summary.warnings.find((w) => w.file === 'hugo/linker.md')?.message).toMatch(/notice/);
  });
});
