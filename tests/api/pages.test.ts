// Pages (About, Uses): a second kind of document, chosen by front matter or by folder, no
// date needed, served at /v1/pages and never among posts, in feeds, search or the sitemap.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app.js';
import { article, contentDir, type ContentDir, importDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase, truncateAll } from '../support/postgres.js';

let t: TestDatabase;
let api: TestApp;
let content: ContentDir | undefined;

beforeAll(async () => {
  t = await createTestDatabase();
  api = await startApp(t);
});
afterAll(async () => {
  await api.app.close();
  await t.drop();
});
afterEach(async () => {
  await content?.cleanup();
  content = undefined;
  await truncateAll(t.db);
});

const slugsOf = (body: { data: { slug: string }[] }) => body.data.map((d) => d.slug).sort();

/** A small blog with a page made each way a site makes one, and things that are no page. */
async function blog(settings: Parameters<typeof importDir>[3] = {}) {
  content = await contentDir({
    'hello.md': post('hello', { tags: ['news'] }, 'A post.\n'),
    'about.md': article({ title: 'About me', type: 'page' }, '## Who\n\nI write **Markdown**.\n\n## Where\n\nHere.\n'),
    'contact.md': article({ title: 'Contact', layout: 'page', date: '2024-03-01' }, 'Write to me.\n'),
    'pages/uses.md': article({ title: 'Uses', slug: 'uses' }, '## Desk\n\nA desk.\n'),
    'extra/colophon.md': article({ title: 'Colophon' }, 'Set in type.\n'),
    'wip.md': article({ title: 'Work in progress', type: 'page', draft: true }, 'Not yet.\n'),
    'later.md': article({ title: 'Later page', type: 'page', date: '2999-01-01' }, 'Not yet either.\n'),
    'posts/_index.md': article({ title: 'All the posts' }, 'The listing.\n'),
  });
  return importDir(t.db, content.dir, {}, settings);
}

describe('pages', () => {
  it("come from type: page, Jekyll's layout: page and the pages folder, with no date needed", async () => {
    const summary = await blog();
    expect(summary.status).toBe('succeeded');
    const res = await api.http.get('/v1/pages').expect(200);
    expect(slugsOf(res.body)).toEqual(['about', 'colophon', 'contact', 'uses']);
    expect(res.body.meta).toMatchObject({ page: 1, total: 4 });
    // By title, undated pages with a null date.
    expect(res.body.data.map((p: { title: string }) => p.title)).toEqual(['About me', 'Colophon', 'Contact', 'Uses']);
    expect(res.body.data.find((p: { slug: string }) => p.slug === 'about').publishedAt).toBeNull();
    expect(res.headers['cache-control']).toMatch(/^public/);
    expect(res.headers['surrogate-key']).toContain('pages');
  });

  it('are served one by one with HTML and a table of contents', async () => {
    await blog();
    const res = await api.http.get('/v1/pages/about').expect(200);
    expect(res.body.data).toMatchObject({ kind: 'page', slug: 'about', title: 'About me', publishedAt: null });
    expect(res.body.data.html).toContain('<h2 id="who">Who</h2>');
    expect(res.body.data.html).toContain('<strong>Markdown</strong>');
    expect(res.body.data.toc).toEqual([
      { depth: 2, text: 'Who', id: 'who' },
      { depth: 2, text: 'Where', id: 'where' },
    ]);
    expect(res.headers.etag).toBeDefined();
    await api.http
      .get('/v1/pages/about')
      .set('if-none-match', res.headers.etag as string)
      .expect(304);
    const text = await api.http.get('/v1/pages/about?format=text').expect(200);
    expect(text.body.data.text).toContain('I write Markdown.');
    // A dated page keeps its date.
    expect((await api.http.get('/v1/pages/contact').expect(200)).body.data.publishedAt).toBe('2024-03-01T00:00:00.000Z');
  });

  it('take the folders QUIRE_PAGES names', async () => {
    await blog({ pages: ['extra/**'] });
    // extra/ is now the pages folder; pages/ is not, but uses.md has no date, so still a page.
    expect(slugsOf((await api.http.get('/v1/pages').expect(200)).body)).toEqual(['about', 'colophon', 'contact', 'uses']);
    await api.http.get('/v1/pages/colophon').expect(200);
  });

  it('make a dated file in a pages folder a page, not a post', async () => {
    content = await contentDir({
      'hello.md': post('hello'),
      'pages/terms.md': post('terms', { title: 'Terms' }),
    });
    await importDir(t.db, content.dir);
    expect(slugsOf((await api.http.get('/v1/pages').expect(200)).body)).toEqual(['terms']);
    expect(slugsOf((await api.http.get('/v1/posts').expect(200)).body)).toEqual(['hello']);
    await api.http.get('/v1/posts/terms').expect(404);
  });

  it('stay out of post lists, search, feeds, tags and the sitemap', async () => {
    await blog();
    expect(slugsOf((await api.http.get('/v1/posts').expect(200)).body)).toEqual(['hello']);
    expect((await api.http.get('/v1/posts').expect(200)).body.meta.total).toBe(1);
    for (const slug of ['about', 'contact', 'uses', 'colophon']) await api.http.get(`/v1/posts/${slug}`).expect(404);
    expect((await api.http.get('/v1/search?q=markdown').expect(200)).body.data).toEqual([]);
    for (const url of ['/v1/feed.xml', '/v1/feed.atom', '/v1/feed.json']) {
      const res = await api.http.get(url).expect(200);
      expect(res.text, url).toContain('hello');
      for (const title of ['About me', 'Colophon', 'Contact', 'Uses']) expect(res.text, url).not.toContain(title);
    }
    const export_ = await api.http.get('/v1/export/posts').expect(200);
    expect(
      export_.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).slug),
    ).toEqual(['hello']);
  });

  it('hide drafts, pages dated in the future and section listings (_index.md)', async () => {
    const summary = await blog();
    for (const slug of ['wip', 'later', 'all-the-posts', 'posts', '_index']) {
      const res = await api.http.get(`/v1/pages/${slug}`).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const listed = JSON.stringify((await api.http.get('/v1/pages?limit=100').expect(200)).body);
    for (const hidden of ['Work in progress', 'Later page', 'All the posts']) expect(listed).not.toContain(hidden);
    // The sitemap lists the site's published pages beside its posts, and no hidden one.
    const about = (await api.http.get('/v1/pages/about').expect(200)).body.data.url as string;
    const sitemap = (await api.http.get('/sitemap.xml').expect(200)).text;
    expect(sitemap).toContain(`<loc>${about}</loc>`);
    for (const slug of ['wip', 'later']) expect(sitemap).not.toContain(`/${slug}/`);
    // _index.md is skipped by the importer, with its reason; drafts are imported, not served.
    expect(summary.skipped).toContainEqual(expect.objectContaining({ file: 'posts/_index.md' }));
  });

  it('page through with page and limit, and refuse what the list does not take', async () => {
    await blog();
    const first = await api.http.get('/v1/pages?limit=3').expect(200);
    expect(first.body.meta).toMatchObject({ total: 4, totalPages: 2 });
    const second = await api.http.get('/v1/pages?limit=3&page=2').expect(200);
    expect(slugsOf(second.body)).toEqual(['uses']);
    const bad = await api.http.get('/v1/pages?tag=x').expect(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
