import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createDb } from '../../src/db/client.js';
import { ImportFailedError } from '../../src/importer/problems.js';
import { article, contentDir, type ContentDir, importDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase, truncateAll } from '../support/postgres.js';
import { snapshot } from '../support/snapshot.js';

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

const SEED = new URL('../../content/async-programming-patterns.md', import.meta.url);
const run = (dir: string) => importDir(t.db, dir);
const slugs = (refs: { slug: string }[]) => refs.map((r) => r.slug);
const failure = async (promise: Promise<unknown>) => {
  const e = await promise.catch((err: unknown) => err);
  expect(e).toBeInstanceOf(ImportFailedError);
  return e as ImportFailedError;
};

describe('runImport', () => {
  it('loads the reference article with its category, tags in order, and rendered HTML', async () => {
    content = await contentDir({ 'async.md': await readFile(SEED, 'utf8') });
    const summary = await run(content.dir);
    expect(summary).toMatchObject({ status: 'succeeded', updated: [], unchanged: 0, files: 1 });
    expect(summary.created).toEqual([
      { kind: 'post', slug: 'async-programming-patterns', lang: 'en', path: '/async-programming-patterns/', sourcePath: 'async.md' },
    ]);

    const row = await t.db.post.findFirstOrThrow({
      where: { slug: 'async-programming-patterns' },
      include: {
        tags: { orderBy: { position: 'asc' }, include: { tag: true } },
        categories: { include: { category: true } },
      },
    });
    expect(row.title).toBe('Mastering Async Programming Patterns');
    expect(row.publishedAt?.toISOString()).toBe('2024-05-20T00:00:00.000Z');
    expect(row.tags.map((x) => x.tag.name)).toEqual(['async', 'concurrency', 'javascript', 'python']);
    expect(row.categories.map((x) => x.category.name)).toEqual(['Programming']);
    expect(row.html).toContain('<h2 id="python-async">Python Async</h2>');
  });

  it('changes nothing when the same folder is imported twice', async () => {
    content = await contentDir({
      'a.md': post('a', { tags: ['x', 'y'], categories: ['C'], author: 'Ada' }),
      'b.md': post('b', { tags: ['y'] }, '[a](a.md)'),
    });
    await run(content.dir);
    const before = await snapshot(t.db);
    const second = await run(content.dir);
    expect(second).toMatchObject({ created: [], updated: [], deleted: [], unchanged: 2 });
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('updates a changed file, its tags and their order, and leaves the others alone', async () => {
    content = await contentDir({ 'a.md': post('a', { tags: ['x', 'y'] }), 'b.md': post('b') });
    await run(content.dir);
    const b = await t.db.post.findFirstOrThrow({ where: { slug: 'b' }, select: { modifiedAt: true } });

    await content.write('a.md', post('a', { title: 'New title', tags: ['z', 'x'] }));
    const summary = await run(content.dir);
    expect(slugs(summary.updated)).toEqual(['a']);
    expect(summary.unchanged).toBe(1);

    const a = await t.db.post.findFirstOrThrow({
      where: { slug: 'a' },
      include: { tags: { orderBy: { position: 'asc' }, include: { tag: true } } },
    });
    expect(a.title).toBe('New title');
    expect(a.tags.map((x) => x.tag.slug)).toEqual(['z', 'x']);
    expect(await t.db.post.findFirstOrThrow({ where: { slug: 'b' }, select: { modifiedAt: true } })).toEqual(b);
  });

  it('fails on a broken article, names the file, field and line, and writes nothing', async () => {
    content = await contentDir({ 'good.md': post('good', { tags: ['x'] }) });
    await run(content.dir);
    const before = await snapshot(t.db);

    await content.write('good.md', post('good', { title: 'Changed', tags: ['new-tag'] }));
    await content.write('fresh.md', post('fresh'));
    await content.write('broken.md', article({ title: 'Broken', date: 'someday' }));
    const error = await failure(run(content.dir));
    expect(error.problems).toEqual([expect.objectContaining({ file: 'broken.md', field: 'date', line: 3 })]);
    expect(error.message).toContain('broken.md:3: date:');
    expect(error.summary?.status).toBe('failed');
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('lists every problem of every file before failing', async () => {
    content = await contentDir({
      'one.md': article({ title: '', date: '2024-01-01' }),
      'two.md': article({ title: 'T', date: '2024-01-01', slug: '!!!' }),
      'three.md': 'no front matter at all\n',
      'four.md': article({ title: 'T', date: '2024-01-01', tags: { nested: true } }),
    });
    const error = await failure(run(content.dir));
    expect(error.problems.map((p) => [p.file, p.field ?? null])).toEqual([
      ['four.md', 'tags'],
      ['one.md', 'title'],
      ['three.md', null],
      ['two.md', 'slug'],
    ]);
  });

  it('imports two files that claim one slug: the older keeps it, the later gets its date, with a warning naming both', async () => {
    content = await contentDir({
      'blog/2024/same.md': post('same', { date: '2024-03-19' }),
      'blog/2023/same.md': post('same', { date: '2023-05-02' }),
    });
    const summary = await run(content.dir);
    expect(summary.created.map((r) => [r.sourcePath, r.slug, r.path]).sort()).toEqual([
      ['blog/2023/same.md', 'same', '/blog/2023/same/'],
      ['blog/2024/same.md', 'same-2024-03-19', '/blog/2024/same/'],
    ]);
    expect(summary.warnings).toEqual([
      expect.objectContaining({
        code: 'slug-taken',
        file: 'blog/2024/same.md',
        message: expect.stringMatching(/blog\/2023\/same\.md.*"same-2024-03-19"/),
      }),
    ]);
  });

  it('makes the slug from the file name when front matter has none', async () => {
    content = await contentDir({ 'notes/My First Post.md': article({ title: 'T', date: '2024-01-01' }) });
    expect(slugs((await run(content.dir)).created)).toEqual(['my-first-post']);
  });

  it('treats spellings of one tag as one tag, named as first written', async () => {
    content = await contentDir({
      'a.md': post('a', { tags: ['JavaScript'] }),
      'b.md': post('b', { tags: 'javascript, Node.js' }),
    });
    await run(content.dir);
    const tags = await t.db.tag.findMany({ orderBy: { slug: 'asc' }, select: { slug: true, name: true } });
    expect(tags).toEqual([
      { slug: 'javascript', name: 'JavaScript' },
      { slug: 'node-js', name: 'Node.js' },
    ]);
  });

  it('keeps one slug per language, and the same slug in several languages', async () => {
    content = await contentDir({
      'en/hello.md': post('hello'),
      'ja/hello.md': post('hello'),
      'hello.fr.md': post('hello'),
      'other.md': post('hello-de', { lang: 'de' }),
    });
    const summary = await run(content.dir);
    expect(summary.created.map((r) => `${r.lang}/${r.slug}`).sort()).toEqual(['de/hello-de', 'en/hello', 'fr/hello', 'ja/hello']);
  });

  it('takes the language for unmarked files from the settings', async () => {
    content = await contentDir({ 'a.md': post('a') });
    const summary = await importDir(t.db, content.dir, {}, { defaultLang: 'ja' });
    expect(summary.created[0]?.lang).toBe('ja');
  });

  it('reports posts whose file is gone without deleting them', async () => {
    content = await contentDir({ 'a.md': post('a'), 'b.md': post('b') });
    await run(content.dir);
    await content.remove('b.md');
    const summary = await run(content.dir);
    expect(slugs(summary.missing)).toEqual(['b']);
    expect(await t.db.post.count()).toBe(2);
  });

  it('records each run, failed ones with their errors', async () => {
    content = await contentDir({ 'a.md': post('a') });
    await run(content.dir);
    await content.write('bad.md', article({ title: 'x', date: 'next tuesday' }));
    await run(content.dir).catch(() => {});
    const runs = await t.db.importRun.findMany({ orderBy: { id: 'asc' } });
    expect(runs.map((r) => [r.status, r.created, r.failed, r.trigger])).toEqual([
      ['succeeded', 1, 0, 'test'],
      ['failed', 0, 1, 'test'],
    ]);
    expect(runs[1]!.errors).toEqual([expect.objectContaining({ file: 'bad.md', field: 'date' })]);
  });

  it('rejects files that are not UTF-8 text, and files over the size limit', async () => {
    content = await contentDir({ 'a.md': post('a'), 'big.md': post('big', {}, 'x'.repeat(2000)) });
    await writeFile(path.join(content.dir, 'latin1.md'), Buffer.from('---\ntitle: Caf\xe9\n---\n', 'latin1'));
    const error = await failure(importDir(t.db, content.dir, {}, { maxFileBytes: 1000 }));
    expect(error.problems).toEqual([
      { file: 'big.md', message: expect.stringMatching(/over the .* limit/) },
      { file: 'latin1.md', message: 'is not valid UTF-8 text (save it as UTF-8)' },
    ]);
  });

  it('re-renders a post when a post it links to changes its path', async () => {
    content = await contentDir({ 'a.md': post('a', {}, '[see b](b.md)'), 'b.md': post('b') });
    await run(content.dir);
    expect((await t.db.post.findFirstOrThrow({ where: { slug: 'a' } })).html).toContain('href="/b/"');
    await content.write('b.md', post('b-renamed'));
    const summary = await run(content.dir);
    expect(slugs(summary.updated).sort()).toEqual(['a', 'b-renamed']);
    expect(summary.created).toEqual([]);
    expect((await t.db.post.findFirstOrThrow({ where: { slug: 'a' } })).html).toContain('href="/b-renamed/"');
    // The renamed post keeps its row, and its old slug and path answer 301.
    const b = await t.db.post.findFirstOrThrow({ where: { sourcePath: 'b.md' } });
    expect([b.slug, b.path, b.aliasSlugs, b.aliasPaths]).toEqual(['b-renamed', '/b-renamed/', ['b'], ['/b/']]);
  });

  it('bumps the content version and announces it only when something changed', async () => {
    const listener = new pg.Client({ connectionString: t.url });
    await listener.connect();
    try {
      const heard: string[] = [];
      listener.on('notification', (n) => heard.push(`${n.channel}:${n.payload}`));
      await listener.query('LISTEN quire_content');
      const version = async () => (await t.db.contentState.findUniqueOrThrow({ where: { id: 1 } })).version;
      const before = await version();
      content = await contentDir({ 'a.md': post('a') });
      await run(content.dir);
      expect(await version()).toBe(before + 1);
      await run(content.dir);
      expect(await version()).toBe(before + 1);
      // A round trip on the listening connection delivers what was sent before it.
      await listener.query('SELECT 1');
      expect(heard).toEqual([`quire_content:${before + 1}`]);
    } finally {
      await listener.end();
    }
  });

  it('indexes each post for search in its language', async () => {
    content = await contentDir({
      'en.md': post('running', {}, 'The runners were running.\n'),
      'fr.md': post('courir', { lang: 'fr' }, 'Nous courons.\n'),
    });
    await run(content.dir);
    const rows = await t.db.$queryRaw<{ slug: string; v: string }[]>`SELECT slug, "searchVector"::text AS v FROM "Post" ORDER BY slug`;
    expect(rows.find((r) => r.slug === 'running')!.v).toContain("'run':");
    expect(rows.find((r) => r.slug === 'courir')!.v).toContain("'cour'");
  });

  it('serializes two imports at once: the second waits, then finds nothing to do', async () => {
    const files = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`p${i}.md`, post(`p${i}`, { tags: [`t${i % 7}`] })]));
    content = await contentDir(files);
    // A second client: its own pool, as another process would have.
    const other = createDb(t.url, { poolSize: 2 });
    try {
      const results = await Promise.all([run(content.dir), importDir(other, content.dir)]);
      expect(results.map((r) => r.created.length).sort()).toEqual([0, 60]);
      expect(results.map((r) => r.unchanged).sort()).toEqual([0, 60]);
      expect(await t.db.post.count()).toBe(60);
      expect(await t.db.tag.count()).toBe(7);
    } finally {
      await other.$disconnect();
    }
  });
});
