// Each generator's own reading of a file is the spec (issue 19): files written as Hugo,
// Jekyll, Eleventy, Zola, Astro, Next.js and Docusaurus blogs write them, imported into a
// real database, read as their generator reads them.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src/importer/report.js';
import { contentDir, type ContentDir, importDir } from '../support/content.js';
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

const docOf = (sourcePath: string) => t.db.post.findFirstOrThrow({ where: { sourcePath } });

describe('dates', () => {
  it("reads YYYY/MM/DD as JavaScript's Date (and so a Next.js or Astro blog) does", async () => {
    content = await contentDir({
      'posts/first.mdx': '---\ntitle: First\ndate: 2024/12/05\n---\n\nText.\n',
      'posts/second.mdx': "---\ntitle: Second\ndate: '2024/1/7'\n---\n\nText.\n",
    });
    const s = await importDir(t.db, content.dir);
    expect(s.problems).toEqual([]);
    expect((await docOf('posts/first.mdx')).publishedAt?.toISOString()).toBe('2024-12-05T00:00:00.000Z');
    expect((await docOf('posts/second.mdx')).publishedAt?.toISOString()).toBe('2024-01-07T00:00:00.000Z');
  });
});

describe('front matter', () => {
  it('reads front matter after blank lines, as Hugo does, and reports lines of the file', async () => {
    content = await contentDir({
      'news/late/index.md': '\n\n---\ntitle: Late\ndate: 2024-03-01\ntitle: Later\n---\n\nText.\n',
    });
    const s = await importDir(t.db, content.dir);
    expect(s.problems).toEqual([]);
    expect((await docOf('news/late/index.md')).title).toBe('Later');
    expect(s.warnings).toContainEqual(expect.objectContaining({ code: 'duplicate-key', line: 6 }));
  });

  it('names the line of a YAML mistake and its key, and writes nothing', async () => {
    content = await contentDir({
      'ok.md': '---\ntitle: Fine\ndate: 2024-03-01\n---\nText.\n',
      'bad.md': '---\ntitle: "Unclosed\ndate: 2024-03-01\ntags: [a]\n---\nText.\n',
    });
    const e = await importDir(t.db, content.dir).catch((err: unknown) => err as { problems: unknown[] });
    expect(e.problems).toEqual([
      expect.objectContaining({ file: 'bad.md', line: 2, field: 'title', message: expect.stringMatching(/never closed/) }),
    ]);
    expect(await t.db.post.count()).toBe(0);
  });
});

describe('Hugo bundles', () => {
  it("skips Markdown beside a leaf bundle's index.md (a page resource) and headless bundles, with reasons", async () => {
    content = await contentDir({
      'hugo.toml': "baseURL = 'https://example.org/'\n",
      'content/showcase/acme/index.md': '---\ntitle: Acme\ndate: 2024-01-02\n---\nAbout Acme.\n',
      'content/showcase/acme/index.fr.md': '---\ntitle: Acme FR\ndate: 2024-01-02\n---\nÀ propos.\n',
      'content/showcase/acme/bio.md': '---\ntitle: Bio\n---\nA bio.\n',
      'content/showcase/acme/more/notes.md': 'No front matter at all.\n',
      'content/showcase/_index.md': '---\ntitle: Showcase\n---\n',
      'content/showcase/other.md': '---\ntitle: Other\ndate: 2024-01-03\n---\nText.\n',
      'content/snippets/index.md': '---\ntitle: Snippets\nheadless: true\n---\n',
      'content/snippets/one.md': '---\ntitle: One\n---\n',
      'content/hidden/index.md': '---\ntitle: Hidden\nbuild:\n  render: never\n---\n',
    });
    const s = await importDir(t.db, `${content.dir}/content`);
    expect(s.problems).toEqual([]);
    expect(s.created.map((c) => c.sourcePath).sort()).toEqual(['showcase/acme/index.fr.md', 'showcase/acme/index.md', 'showcase/other.md']);
    const reasons = Object.fromEntries(s.skipped.map((k) => [k.file, k.reason]));
    expect(reasons['showcase/acme/bio.md']).toMatch(/resource of the page bundle showcase\/acme\/index(\.fr)?\.md/);
    expect(reasons['showcase/acme/more/notes.md']).toMatch(/resource of the page bundle/);
    expect(reasons['snippets/index.md']).toMatch(/headless/);
    expect(reasons['snippets/one.md']).toMatch(/resource of the page bundle snippets\/index\.md/);
    expect(reasons['hidden/index.md']).toMatch(/render is never/);
  });

  it('follows QUIRE_GENERATOR for a content folder copied away from its project', async () => {
    content = await contentDir({ 'acme/index.md': '---\ntitle: Acme\n---\nA.\n', 'acme/bio.md': '---\ntitle: Bio\n---\nB.\n' });
    const s = await importDir(t.db, content.dir, {}, { generator: 'hugo' });
    expect(s.created.map((c) => c.sourcePath)).toEqual(['acme/index.md']);
    expect(s.skipped.map((k) => k.file)).toEqual(['acme/bio.md']);
  });

  it('imports Markdown beside an index.md as pages outside Hugo (Jekyll, Eleventy and plain folders render every file)', async () => {
    content = await contentDir({
      'notes/index.md': '---\ntitle: Notes\n---\nIndex.\n',
      'notes/bio.md': '---\ntitle: Bio\n---\nA bio.\n',
    });
    const s = await importDir(t.db, content.dir);
    expect(s.created.map((c) => c.sourcePath).sort()).toEqual(['notes/bio.md', 'notes/index.md']);
  });
});

const pathsOf = (s: { created: { sourcePath: string; path: string; lang: string }[] }) =>
  Object.fromEntries(s.created.map((c) => [c.sourcePath, `${c.lang} ${c.path}`]));

describe('Hugo paths', () => {
  it('are the URLs Hugo writes: folders and names sanitized (periods and underscores kept), url, slug, permalinks, uglyURLs, languages', async () => {
    content = await contentDir({
      'hugo.toml': [
        "baseURL = 'https://example.org/'",
        "defaultContentLanguage = 'en'",
        '[languages.en]\ncontentDir = "content/en"',
        '[languages.fr]\ncontentDir = "content/fr"',
        '[permalinks]\nnews = "/:year/:month/:title/"',
        '[uglyURLs]\nold = true',
      ].join('\n'),
      'content/en/blog/announcing-v1.0.md': '---\ntitle: One\ndate: 2024-01-02\n---\n',
      'content/en/docs/Best_Practices.md': '---\ntitle: Practices\n---\n',
      'content/en/docs/0.15-relnotes/index.md': '---\ntitle: Notes\n---\n',
      'content/en/blog/by-slug.md': '---\ntitle: S\nslug: Chosen Slug\ndate: 2024-01-03\n---\n',
      'content/en/blog/by-url.md': '---\ntitle: U\nurl: /elsewhere/page\ndate: 2024-01-04\n---\n',
      'content/en/news/a.md': '---\ntitle: "What\'s New in 2.0?"\ndate: 2023-11-05T23:00:00-05:00\n---\n',
      'content/en/old/post.md': '---\ntitle: Old\ndate: 2010-01-01\n---\n',
      'content/en/blog/2024-02-01-dated.md': '---\ntitle: D\ndate: 2024-02-01\n---\n',
      'content/fr/blog/bonjour.md': '---\ntitle: Bonjour\ndate: 2024-01-05\n---\n',
    });
    const s = await importDir(t.db, `${content.dir}/content`);
    expect(s.problems).toEqual([]);
    expect(pathsOf(s)).toEqual({
      'en/blog/announcing-v1.0.md': 'en /blog/announcing-v1.0/',
      'en/docs/Best_Practices.md': 'en /docs/best_practices/',
      'en/docs/0.15-relnotes/index.md': 'en /docs/0.15-relnotes/',
      'en/blog/by-slug.md': 'en /blog/chosen-slug/',
      'en/blog/by-url.md': 'en /elsewhere/page/',
      // The day as written (the 5th, though it is the 6th in UTC); the title urlized.
      'en/news/a.md': 'en /2023/11/whats-new-in-2.0/',
      'en/old/post.md': 'en /old/post.html',
      // No date taken from the name unless Hugo's frontmatter configuration says :filename.
      'en/blog/2024-02-01-dated.md': 'en /blog/2024-02-01-dated/',
      'fr/blog/bonjour.md': 'fr /fr/blog/bonjour/',
    });
  });

  it("resolves relative aliases as Hugo does, against the parent of the page's folder", async () => {
    content = await contentDir({
      'hugo.toml': '',
      'content/docs/concepts/rules/adoption.md': '---\ntitle: A\naliases: [../../rules/adoption, /old/adoption]\n---\n',
    });
    await importDir(t.db, `${content.dir}/content`);
    expect((await docOf('docs/concepts/rules/adoption.md')).aliasPaths).toEqual(['/docs/rules/adoption/', '/old/adoption/']);
  });

  it('takes dates and slugs from file names when the frontmatter configuration asks for :filename', async () => {
    content = await contentDir({
      'hugo.yaml': 'frontmatter:\n  date: [":filename", ":default"]\n',
      'content/posts/2024-02-01-dated-post.md': '---\ntitle: D\n---\n',
    });
    const s = await importDir(t.db, `${content.dir}/content`);
    expect(pathsOf(s)).toEqual({ 'posts/2024-02-01-dated-post.md': 'en /posts/dated-post/' });
    expect((await docOf('posts/2024-02-01-dated-post.md')).publishedAt?.toISOString()).toBe('2024-02-01T00:00:00.000Z');
  });
});

describe('Jekyll', () => {
  it('writes posts, pages and collections at the URLs Jekyll makes, with its defaults, and skips what it does not build', async () => {
    content = await contentDir({
      '_config.yml': [
        'timezone: America/Los_Angeles',
        'exclude: [drafts-notes/, "*.txt.md"]',
        'collections:',
        '  guides:',
        '    output: true',
        '    permalink: /:collection/:path/',
        '  snippets:',
        '    output: false',
        'defaults:',
        '  - scope: { path: "", type: posts }',
        '    values: { author: Default Author }',
        '  - scope: { path: "news/_posts" }',
        '    values: { permalink: "/news/:year/:title/" }',
      ].join('\n'),
      '_posts/2016-09-21-homebrew-1.0.0.md': '---\ntitle: One\ncategories: [Release Notes]\n---\nText.\n',
      '_posts/2025-02-03-Git-Signing.md': '---\ntitle: Two\ndate: 2025-02-03 23:30:00 -0800\n---\nText.\n',
      'news/_posts/2020-01-02-hello.md': '---\ntitle: News\n---\nText.\n',
      'tech/_posts/2020-01-03-deep.md': '---\ntitle: Deep\n---\nText.\n',
      '_posts/no-date-here.md': '---\ntitle: Not a post\n---\n',
      'about.md': '---\ntitle: About\n---\nText.\n',
      'docs/index.md': '---\ntitle: Docs\n---\nText.\n',
      'index.md': '---\ntitle: Home\n---\nText.\n',
      'static-copy.md': 'No front matter: Jekyll copies it.\n',
      '_guides/setup/install.md': '---\ntitle: Install\n---\nText.\n',
      '_snippets/one.md': '---\ntitle: Snippet\n---\n',
      '_includes/part.md': 'A partial.\n',
      'drafts-notes/x.md': '---\ntitle: Excluded\n---\n',
    });
    const s = await importDir(t.db, content.dir);
    expect(s.problems).toEqual([]);
    expect(pathsOf(s)).toEqual({
      // The date style by default: categories lower-cased, periods and case kept, .html.
      '_posts/2016-09-21-homebrew-1.0.0.md': 'en /release notes/2016/09/21/homebrew-1.0.0.html',
      // The day in the site's time zone.
      '_posts/2025-02-03-Git-Signing.md': 'en /2025/02/03/Git-Signing.html',
      'news/_posts/2020-01-02-hello.md': 'en /news/2020/hello/',
      // A folder above _posts is a category.
      'tech/_posts/2020-01-03-deep.md': 'en /tech/2020/01/03/deep.html',
      'about.md': 'en /about.html',
      'docs/index.md': 'en /docs/',
      'index.md': 'en /',
      '_guides/setup/install.md': 'en /guides/setup/install/',
    });
    const reasons = Object.fromEntries(s.skipped.map((k) => [k.file, k.reason]));
    expect(reasons['_posts/no-date-here.md']).toMatch(/does not start with a date/);
    expect(reasons['static-copy.md']).toMatch(/static file/);
    expect(reasons['_snippets/one.md']).toMatch(/output: false/);
    expect(reasons['_includes/part.md']).toMatch(/starting with _/);
    expect(reasons['drafts-notes/x.md']).toMatch(/exclude/);
    const post = await t.db.post.findFirstOrThrow({
      where: { sourcePath: '_posts/2016-09-21-homebrew-1.0.0.md' },
      include: { authors: { include: { author: true } } },
    });
    expect(post.authors.map((a) => a.author.name)).toEqual(['Default Author']);
  });

  it('takes the pretty style from the configuration for posts and pages', async () => {
    content = await contentDir({
      '_config.yml': 'permalink: pretty\n',
      '_posts/2013-11-22-hello-world.md': '---\ntitle: Hello\ncategories: jekyll update\n---\n',
      'about.md': '---\ntitle: About\n---\n',
    });
    const s = await importDir(t.db, content.dir);
    expect(pathsOf(s)).toEqual({
      '_posts/2013-11-22-hello-world.md': 'en /jekyll/update/2013/11/22/hello-world/',
      'about.md': 'en /about/',
    });
  });
});

describe('values the generator reads', () => {
  it('imports what Jekyll reads and Quire would refuse, with a warning naming the line: lenient YAML, Ruby dates, values of another shape', async () => {
    content = await contentDir({
      '_config.yml': 'title: A site\n',
      '_posts/2016-01-27-book.md':
        '---\ntitle: "A book"\nexcerpt: "We are proud to announce a book about\nthe language, now available!"\n---\nText.\n',
      '_posts/2017-09-11-dmy.md': '---\ntitle: DMY\ndate: 11-9-2017\n---\nText.\n',
      '_posts/2023-01-29-odd.md': '---\ntitle: Odd\ndate: 2023-01-29 18:30:22 2023 -0800\n---\nText.\n',
      '_posts/2020-01-01-authors.md': '---\ntitle: Shapes\nauthors:\n  - image: /a.png\n    description: Someone\n---\nText.\n',
      '_posts/2020-01-02-bad-date.md': '---\ntitle: Bad\ndate: someday\n---\nText.\n',
    });
    const s = await importDir(t.db, content.dir, { skipInvalid: true }).catch((e: { summary: ImportSummary }) => e.summary);
    expect(s.created.map((c) => c.sourcePath).sort()).toEqual([
      '_posts/2016-01-27-book.md',
      '_posts/2017-09-11-dmy.md',
      '_posts/2020-01-01-authors.md',
      '_posts/2023-01-29-odd.md',
    ]);
    // Jekyll stops on a date it cannot read: so does Quire.
    expect(s.problems).toEqual([expect.objectContaining({ file: '_posts/2020-01-02-bad-date.md', field: 'date', line: 3 })]);
    const warned = (file: string) => s.warnings.filter((w) => w.file === file).map((w) => [w.code, w.line]);
    expect(warned('_posts/2016-01-27-book.md')).toEqual([['approximated', 3]]);
    expect(warned('_posts/2017-09-11-dmy.md')).toEqual([['approximated', 3]]);
    expect(warned('_posts/2020-01-01-authors.md')).toEqual([['invalid-value', 3]]);
    expect((await docOf('_posts/2016-01-27-book.md')).description).toBe(
      'We are proud to announce a book about the language, now available!',
    );
    expect((await docOf('_posts/2017-09-11-dmy.md')).publishedAt?.toISOString()).toBe('2017-09-11T00:00:00.000Z');
    expect((await docOf('_posts/2023-01-29-odd.md')).publishedAt?.toISOString()).toBe('2023-01-29T18:30:22.000Z');
    expect((await docOf('_posts/2020-01-01-authors.md')).extra).toMatchObject({ authors: [{ image: '/a.png', description: 'Someone' }] });
  });

  it('keeps a Hugo page whose date Hugo cannot read (Hugo builds it undated), and says so', async () => {
    content = await contentDir({ 'hugo.toml': '', 'content/notes/x.md': '---\ntitle: X\ndate: sometime in May\n---\nText.\n' });
    const s = await importDir(t.db, `${content.dir}/content`);
    expect(s.warnings).toContainEqual(expect.objectContaining({ code: 'invalid-value', file: 'notes/x.md', line: 3 }));
    expect((await docOf('notes/x.md')).publishedAt).toBeNull();
  });

  it('refuses what the plain-folder rules refuse', async () => {
    content = await contentDir({ 'x.md': '---\ntitle: "A\nb"\ndate: 2024-01-01\n---\n' });
    await expect(importDir(t.db, content.dir)).rejects.toMatchObject({ problems: [expect.objectContaining({ file: 'x.md', line: 2 })] });
  });
});

describe('paths of the JavaScript generators and Zola', () => {
  it('Docusaurus: /blog/ and the date of the name as folders, the slug of front matter, no trailing slash; _files left out', async () => {
    content = await contentDir({
      'docusaurus.config.js': 'export default {};\n',
      'blog/2015-03-31-5.0.0.md': '---\ntitle: Five\n---\nText.\n',
      'blog/2019-09-18-version-0.61/index.md': '# Heading Title\n\nText.\n',
      'blog/2023-09-29-helm-3.13.md': '---\ntitle: Helm\nslug: Response-CVE\n---\n',
      'blog/plain-post.md': '---\ntitle: Plain\ndate: 2020-01-01\n---\n',
      'blog/_draft-notes.md': '---\ntitle: Hidden\n---\n',
    });
    const s = await importDir(t.db, `${content.dir}/blog`);
    expect(pathsOf(s)).toEqual({
      '2015-03-31-5.0.0.md': 'en /blog/2015/03/31/5.0.0',
      '2019-09-18-version-0.61/index.md': 'en /blog/2019/09/18/version-0.61',
      '2023-09-29-helm-3.13.md': 'en /blog/Response-CVE',
      'plain-post.md': 'en /blog/plain-post',
    });
    // The title from the first heading, as Docusaurus takes it (no warning); the date from the name.
    const bundle = await docOf('2019-09-18-version-0.61/index.md');
    expect([bundle.title, bundle.publishedAt?.toISOString()]).toEqual(['Heading Title', '2019-09-18T00:00:00.000Z']);
    expect(s.warnings.filter((w) => w.code === 'title-from-file-name')).toEqual([]);
    expect(s.skipped.map((k) => k.file)).toEqual(['_draft-notes.md']);
  });

  it("Astro: a language folder's index is its home page", async () => {
    content = await contentDir({
      'astro.config.mjs': '',
      'src/content/docs/index.mdx': '---\ntitle: Home\n---\n',
      'src/content/docs/es/index.mdx': '---\ntitle: Inicio\n---\n',
    });
    const s = await importDir(t.db, `${content.dir}/src/content/docs`);
    expect(Object.fromEntries(s.created.map((c) => [c.sourcePath, c.path]))).toEqual({ 'index.mdx': '/', 'es/index.mdx': '/es/' });
  });

  it("Next.js: the file's path, case, periods and dates kept, no trailing slash, a locale suffix as its prefix", async () => {
    content = await contentDir({
      'next.config.js': 'module.exports = {};\n',
      'content/blog/2017-01-tokio-0-1.md': '---\ntitle: T\ndate: 2017/01/05\n---\n',
      'content/blog/announcing-v1.0.mdx': '---\ntitle: A\ndate: 2024-01-01\n---\n',
      'content/blog/post.fr.mdx': '---\ntitle: F\ndate: 2024-01-01\n---\n',
      'content/docs/index.mdx': '---\ntitle: Docs\n---\n',
    });
    const s = await importDir(t.db, `${content.dir}/content`);
    expect(Object.fromEntries(s.created.map((c) => [c.sourcePath, c.path]))).toEqual({
      'blog/2017-01-tokio-0-1.md': '/blog/2017-01-tokio-0-1',
      'blog/announcing-v1.0.mdx': '/blog/announcing-v1.0',
      'blog/post.fr.mdx': '/fr/blog/post',
      'docs/index.mdx': '/docs',
    });
  });

  it("Astro: the collection's route and ids slugged by github-slugger (periods dropped, underscores kept)", async () => {
    content = await contentDir({
      'astro.config.mjs': 'export default {};\n',
      'src/content/blog/tauri-2.0.mdx': '---\ntitle: T\ndate: 2024-01-01\n---\n',
      'src/content/blog/Apps/hello_world.md': '---\ntitle: H\ndate: 2024-01-01\n---\n',
      'src/content/blog/2025-05-29-dated.md': '---\ntitle: D\n---\n',
      'src/content/docs/pt-BR/guide.md': '---\ntitle: G\n---\n',
    });
    const blog = await importDir(t.db, `${content.dir}/src/content/blog`);
    expect(Object.fromEntries(blog.created.map((c) => [c.sourcePath, c.path]))).toEqual({
      'tauri-2.0.mdx': '/blog/tauri-20/',
      'Apps/hello_world.md': '/blog/apps/hello_world/',
      '2025-05-29-dated.md': '/blog/2025-05-29-dated/',
    });
    const docs = await importDir(t.db, `${content.dir}/src/content/docs`);
    expect(docs.created.map((c) => c.path)).toEqual(['/pt-br/guide/']);
  });

  it('Zola: the slug crate, the date prefix taken off unless paths_keep_dates, folders as named, path as written', async () => {
    content = await contentDir({
      'zola.toml': "base_url = 'https://example.org'\n",
      'content/posts/2020-10-27-htmx-0.3.0.md': '+++\ntitle = "H"\n+++\n',
      'content/Notes/plain.md': '+++\ntitle = "P"\ndate = 2020-01-01\n+++\n',
      'content/posts/moved.md': '+++\ntitle = "M"\npath = "2016/07/25/elsewhere"\n+++\n',
    });
    const s = await importDir(t.db, `${content.dir}/content`);
    expect(Object.fromEntries(s.created.map((c) => [c.sourcePath, c.path]))).toEqual({
      'posts/2020-10-27-htmx-0.3.0.md': '/posts/htmx-0-3-0/',
      'Notes/plain.md': '/Notes/plain/',
      'posts/moved.md': '/2016/07/25/elsewhere/',
    });
    await t.db.$executeRawUnsafe('TRUNCATE "Post" CASCADE');
    await content.write('zola.toml', "base_url = 'https://example.org'\n[slugify]\npaths_keep_dates = true\n");
    const kept = await importDir(t.db, `${content.dir}/content`);
    expect(kept.created.find((c) => c.sourcePath === 'posts/2020-10-27-htmx-0.3.0.md')?.path).toBe('/posts/2020-10-27-htmx-0-3-0/');
  });

  it('Eleventy: directory data files (JSON) give permalinks and tags; JavaScript data files and filters it cannot run are said', async () => {
    content = await contentDir({
      'eleventy.config.js': 'export default function () {}\n',
      '.eleventyignore': 'src/drafts/\n',
      'src/blog/blog.json': JSON.stringify({ permalink: '/blog/{{ page.fileSlug }}/', tags: ['blog'], author: 'Dir Author' }),
      'src/blog/2024-01-05-hello-world.md': '---\ntitle: Hello\ntags: [js]\n---\nText.\n',
      'src/notes/notes.11tydata.json': JSON.stringify({ permalink: '/n/{{ title | slugify }}/' }),
      'src/notes/a.md': "---\ntitle: It's A Note\ndate: 2024-02-01\n---\n",
      'src/custom/custom.json': JSON.stringify({ permalink: '/c/{{ page.date | myFilter }}/' }),
      'src/custom/x.md': '---\ntitle: X\ndate: 2024-02-02\n---\n',
      'src/js/js.11tydata.js': 'export default { permalink: "/elsewhere/" };\n',
      'src/js/y.md': '---\ntitle: Y\ndate: 2024-02-03\n---\n',
      'src/plain/2024-03-01-dated.md': '---\ntitle: Dated\n---\n',
      'src/_includes/partial.md': 'A partial.\n',
      'src/drafts/wip.md': '---\ntitle: WIP\n---\n',
    });
    const s = await importDir(t.db, `${content.dir}/src`);
    expect(Object.fromEntries(s.created.map((c) => [c.sourcePath, c.path]))).toEqual({
      'blog/2024-01-05-hello-world.md': '/blog/hello-world/',
      'notes/a.md': '/n/its-a-note/',
      'custom/x.md': '/custom/x/',
      'js/y.md': '/js/y/',
      // The default keeps the date in the name; the date comes from it.
      'plain/2024-03-01-dated.md': '/plain/2024-03-01-dated/',
    });
    expect(s.skipped.map((k) => k.file).sort()).toEqual(['_includes/partial.md', 'drafts/wip.md']);
    const hello = await t.db.post.findFirstOrThrow({
      where: { sourcePath: 'blog/2024-01-05-hello-world.md' },
      include: { tags: { include: { tag: true } }, authors: { include: { author: true } } },
    });
    expect(hello.tags.map((x) => x.tag.name).sort()).toEqual(['blog', 'js']);
    expect(hello.authors.map((a) => a.author.name)).toEqual(['Dir Author']);
    expect(hello.publishedAt?.toISOString()).toBe('2024-01-05T00:00:00.000Z');
    const notes = s.warnings.filter((w) => w.code === 'approximated').map((w) => [w.file, w.message]);
    expect(notes).toEqual([
      ['custom/x.md', expect.stringMatching(/myFilter.*cannot evaluate/)],
      ['js/y.md', expect.stringMatching(/js\/js\.11tydata\.js \(JavaScript, which Quire does not run\)/)],
    ]);
  });
});

describe('authors and key names', () => {
  const authorsOf = async (sourcePath: string) =>
    (
      await t.db.post.findFirstOrThrow({
        where: { sourcePath },
        include: { authors: { orderBy: { position: 'asc' }, include: { author: true } } },
      })
    ).authors.map((a) => [a.author.name, a.author.url]);

  it("takes authors by key from Docusaurus's authors.yml, and the legacy author with authorURL", async () => {
    content = await contentDir({
      'docusaurus.config.js': 'export default {};\n',
      'blog/authors.yml': 'ada:\n  name: Ada Lovelace\n  url: https://ada.example\n  title: Engine\ngrace:\n  name: Grace Hopper\n',
      'blog/2020-01-01-keys.md': '---\ntitle: Keys\nauthors: [ada, grace, Someone Else]\n---\n',
      'blog/2020-01-02-legacy.md': '---\ntitle: Legacy\nauthor: Joel Marcey\nauthorURL: https://joel.example\n---\n',
    });
    await importDir(t.db, `${content.dir}/blog`);
    expect(await authorsOf('2020-01-01-keys.md')).toEqual([
      ['Ada Lovelace', 'https://ada.example'],
      ['Grace Hopper', null],
      ['Someone Else', null],
    ]);
    expect(await authorsOf('2020-01-02-legacy.md')).toEqual([['Joel Marcey', 'https://joel.example']]);
  });

  it("takes authors by key from Jekyll's _data/authors.yml", async () => {
    content = await contentDir({
      '_config.yml': 'permalink: pretty\n',
      '_data/authors.yml': 'jdoe:\n  name: Jane Doe\n  link: https://jane.example\n',
      '_posts/2020-01-01-a.md': '---\ntitle: A\nauthor: jdoe\n---\n',
    });
    await importDir(t.db, content.dir);
    expect(await authorsOf('_posts/2020-01-01-a.md')).toEqual([['Jane Doe', 'https://jane.example']]);
  });

  it("reads the key names a site uses for Quire's fields (QUIRE_FIELD_KEYS) before the usual ones", async () => {
    content = await contentDir({
      'news/a.md': '---\nnewstitle: The News Title\ntitle: Not this\nbyline: Ada Lovelace\ndate: 2024-01-01\n---\n',
    });
    await importDir(t.db, content.dir, {}, { fieldKeys: { title: ['newstitle'], authors: ['byline'] } });
    expect((await docOf('news/a.md')).title).toBe('The News Title');
    expect(await authorsOf('news/a.md')).toEqual([['Ada Lovelace', null]]);
  });
});

describe("cascades and dates of the generator's own", () => {
  it("Hugo: a section's cascade gives values to the pages below it, the nearest section winning", async () => {
    content = await contentDir({
      'hugo.toml': '',
      'content/blog/_index.md': '---\ntitle: Blog\ncascade:\n  author: Blog Team\n  categories: [News]\n---\n',
      'content/blog/deep/_index.md': '---\ntitle: Deep\ncascade:\n  author: Deep Team\n---\n',
      'content/blog/a.md': '---\ntitle: A\ndate: 2024-01-01\n---\n',
      'content/blog/deep/b.md': '---\ntitle: B\ndate: 2024-01-02\nauthor: Own Author\n---\n',
      'content/blog/deep/c.md': '---\ntitle: C\ndate: 2024-01-03\n---\n',
      'content/hidden/_index.md': '---\ntitle: Hidden\ncascade:\n  build:\n    render: never\n---\n',
      'content/hidden/x.md': '---\ntitle: X\ndate: 2024-01-04\n---\n',
    });
    const s = await importDir(t.db, `${content.dir}/content`);
    const author = async (f: string) =>
      await t.db.post.findFirstOrThrow({
        where: { sourcePath: f },
        include: { authors: { include: { author: true } }, categories: { include: { category: true } } },
      });
    const a = await author('blog/a.md');
    expect([a.authors.map((x) => x.author.name), a.categories.map((x) => x.category.name)]).toEqual([['Blog Team'], ['News']]);
    expect((await author('blog/deep/b.md')).authors.map((x) => x.author.name)).toEqual(['Own Author']);
    expect((await author('blog/deep/c.md')).authors.map((x) => x.author.name)).toEqual(['Deep Team']);
    expect(s.skipped).toContainEqual({ file: 'hidden/x.md', reason: expect.stringMatching(/render is never/) });
  });

  it('Eleventy: "Last Modified" is a date of the file\'s times: imported undated, and said', async () => {
    content = await contentDir({ 'eleventy.config.js': '', 'src/page.md': '---\ntitle: P\ndate: Last Modified\n---\n' });
    const s = await importDir(t.db, `${content.dir}/src`);
    expect(s.warnings).toContainEqual(expect.objectContaining({ code: 'approximated', file: 'page.md', line: 3 }));
    expect((await docOf('page.md')).publishedAt).toBeNull();
  });
});
