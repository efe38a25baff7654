import { describe, expect, it } from 'vitest';
import { useBlogApi } from '../support/blog.js';

const api = useBlogApi();

const get = (url: string) => api.http.get(url);

describe('GET /v1/posts/:slug', () => {
  it('returns the full post: HTML, table of contents, extra, aliases', async () => {
    const { body } = await get('/v1/posts/js-intro').expect(200);
    expect(body.data).toMatchObject({
      slug: 'js-intro',
      lang: 'en',
      html: '<p>Variables and functions.</p>\n<h2 id="variables">Variables</h2>\n<p>Use const.</p>\n',
      toc: [{ depth: 2, text: 'Variables', id: 'variables' }],
      extra: {},
      aliases: [],
      kind: 'post',
      path: '/js-intro/',
      url: 'https://blog.example.com/js-intro/',
    });
    expect(body.data).not.toHaveProperty('text');
  });

  it('adds the body as plain text with format=text', async () => {
    const { body } = await get('/v1/posts/js-intro?format=text').expect(200);
    expect(body.data.text).toBe('Variables and functions.\nVariables\nUse const.');
  });

  it('links the previous and next post in the same language, null at the ends', async () => {
    const middle = (await get('/v1/posts/py-async').expect(200)).body.data;
    expect(middle.previous).toEqual({
      slug: 'js-async',
      lang: 'en',
      path: '/js-async/',
      url: 'https://blog.example.com/js-async/',
      title: 'Async JavaScript',
      publishedAt: '2024-02-01T00:00:00.000Z',
    });
    expect(middle.next).toMatchObject({ slug: 'release-notes' });
    expect((await get('/v1/posts/js-intro').expect(200)).body.data.previous).toBeNull();
    // The newest public post: the future one is not its next.
    expect((await get('/v1/posts/zen-of-code').expect(200)).body.data.next).toBeNull();
  });

  it('ranks related posts by shared tags (1 each) and categories (0.5 each), public ones only', async () => {
    const { body } = await get('/v1/posts/js-async').expect(200);
    // js-intro: JavaScript + Tutorials = 1.5 (older); py-async: Async + Tutorials = 1.5 (newer);
    // zen-of-code: JavaScript = 1. The draft shares JavaScript too but is never shown.
    expect(body.data.related.map((r: { slug: string }) => r.slug)).toEqual(['py-async', 'js-intro', 'zen-of-code']);
  });

  it('lists the same slug in other languages, and serves a language on request', async () => {
    const en = (await get('/v1/posts/js-intro').expect(200)).body.data;
    expect(en.translations).toEqual([
      { lang: 'fr', slug: 'js-intro', path: '/fr/js-intro/', url: 'https://blog.example.com/fr/js-intro/' },
    ]);
    const fr = (await get('/v1/posts/js-intro?lang=fr').expect(200)).body.data;
    expect(fr).toMatchObject({ lang: 'fr', title: 'JavaScript pour débutants', translations: [{ lang: 'en' }] });
    await get('/v1/posts/py-async?lang=fr').expect(404);
  });

  it('answers an old path from the front-matter aliases with 301, through /v1/resolve', async () => {
    const res = await get('/v1/resolve?path=/2024/03/python-async-old').expect(301);
    expect(res.headers.location).toBe('/v1/resolve?path=%2Fpy-async%2F');
    const found = await get('/v1/resolve?path=/py-async/').expect(200);
    expect(found.body.data).toMatchObject({ kind: 'post', slug: 'py-async', path: '/py-async/' });
    // Without its trailing slash too, and an old path likewise.
    expect((await get('/v1/resolve?path=/py-async').expect(200)).body.data).toMatchObject({ slug: 'py-async' });
    await get('/v1/resolve?path=/2024/03/python-async-old/').expect(301);
  });

  it('answers an old slug from the front-matter aliases with 301 to the current one', async () => {
    const res = await get('/v1/posts/python-async-old').expect(301);
    expect(res.headers.location).toBe('/v1/posts/py-async');
    const text = await get('/v1/posts/python-async-old?format=text').expect(301);
    expect(text.headers.location).toBe('/v1/posts/py-async?format=text');
  });

  it('answers 404 problems for unknown, draft and scheduled slugs alike', async () => {
    for (const slug of ['nope', 'secret-draft', 'from-the-future']) {
      const res = await get(`/v1/posts/${slug}`).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: '/problems/not-found', status: 404, instance: `/v1/posts/${slug}` });
    }
  });
});

describe('tags, categories and authors', () => {
  it('sort by name or by post count', async () => {
    const names = async (q: string) => (await get(`/v1/tags?${q}`).expect(200)).body.data.map((t: { slug: string }) => t.slug);
    expect(await names('')).toEqual(['async', 'beginners', 'javascript', 'news', 'opinion', 'python']);
    expect(await names('sort=-count&limit=2')).toEqual(['javascript', 'async']);
    expect(await names('sort=-name&limit=2')).toEqual(['python', 'opinion']);
    const counts = (await get('/v1/tags?sort=-count&limit=1').expect(200)).body.data[0];
    expect(counts).toEqual({ slug: 'javascript', name: 'JavaScript', postCount: 4 });
  });

  it('list authors with their links and counts', async () => {
    const { body } = await get('/v1/authors').expect(200);
    expect(body.data).toEqual([
      { slug: 'ada', name: 'Ada', postCount: 3, url: null, affiliation: null },
      { slug: 'grace', name: 'Grace', postCount: 2, url: null, affiliation: null },
    ]);
  });

  it("list their posts with the list's filters", async () => {
    const slugs = async (url: string) => (await get(url).expect(200)).body.data.map((p: { slug: string }) => p.slug);
    expect(await slugs('/v1/tags/async/posts')).toEqual(['py-async', 'js-async']);
    expect(await slugs('/v1/categories/tutorials/posts?author=ada&sort=title')).toEqual(['js-async', 'js-intro']);
    expect(await slugs('/v1/authors/grace/posts?limit=1')).toEqual(['release-notes']);
    await get('/v1/tags/hidden/posts').expect(404);
  });
});
