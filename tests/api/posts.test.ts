import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app.js';
import { contentDir, type ContentDir, importDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase, truncateAll } from '../support/postgres.js';

let t: TestDatabase;
let api: TestApp;
let content: ContentDir | undefined;

beforeAll(async () => {
  t = await createTestDatabase();
  api = await startApp(t.db);
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

async function load(files: Record<string, string>) {
  content = await contentDir(files);
  await importDir(t.db, content.dir);
}

const day = (n: number) => `2024-01-${String(n).padStart(2, '0')}`;

describe('GET /v1/posts', () => {
  it('pages through published posts newest first, with totals and links', async () => {
    await load(Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`p${n}.md`, post(`p${n}`, { date: day(n) })])));

    const first = await api.http.get('/v1/posts?limit=2').expect(200);
    expect(first.body.data.map((p: { slug: string }) => p.slug)).toEqual(['p5', 'p4']);
    expect(first.body.meta).toEqual({ page: 1, limit: 2, total: 5, totalPages: 3 });
    expect(first.body.links).toMatchObject({ prev: null, next: '/v1/posts?limit=2&page=2', last: '/v1/posts?limit=2&page=3' });
    expect(first.headers.link).toContain('</v1/posts?limit=2&page=2>; rel="next"');

    const last = await api.http.get('/v1/posts?limit=2&page=3').expect(200);
    expect(last.body.data.map((p: { slug: string }) => p.slug)).toEqual(['p1']);
    expect(last.body.links.next).toBeNull();

    const past = await api.http.get('/v1/posts?limit=2&page=9').expect(200);
    expect(past.body.data).toEqual([]);
    expect(past.body.meta.total).toBe(5);
  });

  it('returns summaries without the body', async () => {
    await load({ 'a.md': post('a', { description: 'D', tags: ['x'], categories: ['C'] }, 'Hello **there**.\n') });
    const { body } = await api.http.get('/v1/posts').expect(200);
    expect(body.data[0]).toEqual({
      slug: 'a',
      title: 'Title of a',
      description: 'D',
      excerpt: 'Hello there.',
      publishedAt: '2024-01-01T00:00:00.000Z',
      updatedAt: null,
      readingMinutes: 1,
      wordCount: 2,
      tags: [{ slug: 'x', name: 'x' }],
      categories: [{ slug: 'c', name: 'C' }],
    });
  });

  it('filters by tag and by category slug', async () => {
    await load({
      'a.md': post('a', { tags: ['js'], categories: ['Web'], date: day(1) }),
      'b.md': post('b', { tags: ['js', 'py'], date: day(2) }),
      'c.md': post('c', { tags: ['py'], categories: ['Web'], date: day(3) }),
    });
    const slugs = async (q: string) =>
      (await api.http.get(`/v1/posts?${q}`).expect(200)).body.data.map((p: { slug: string }) => p.slug);
    expect(await slugs('tag=js')).toEqual(['b', 'a']);
    expect(await slugs('category=web')).toEqual(['c', 'a']);
    expect(await slugs('tag=py&category=web')).toEqual(['c']);
    expect(await slugs('tag=nothing')).toEqual([]);
  });

  it('never lists drafts or posts dated in the future', async () => {
    await load({
      'pub.md': post('pub'),
      'draft.md': post('draft', { draft: true }),
      'later.md': post('later', { date: '2999-01-01' }),
    });
    const { body } = await api.http.get('/v1/posts').expect(200);
    expect(body.data.map((p: { slug: string }) => p.slug)).toEqual(['pub']);
    expect(body.meta.total).toBe(1);
  });

  it.each([
    ['limit=0', 'limit', /at least 1/],
    ['limit=101', 'limit', /at most 100/],
    ['page=0', 'page', /at least 1/],
    ['page=two', 'page', /whole number/],
    ['limit=2.5', 'limit', /whole number/],
    ['tags=js', 'tags', /not a known parameter/],
  ])('answers %s with a 400 problem naming the parameter', async (query, name, reason) => {
    const res = await api.http.get(`/v1/posts?${query}`).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: '/problems/invalid-parameter', status: 400, instance: '/v1/posts' });
    expect(res.body.errors).toEqual([{ in: 'query', name, reason: expect.stringMatching(reason) }]);
    expect(res.body.detail).toContain(name);
  });
});

describe('GET /v1/posts/:slug', () => {
  it('returns the full post with HTML, table of contents and unknown front-matter keys', async () => {
    await load({
      'a.md': post('a', { updated: '2024-02-01', canonical: 'https://example.com/a' }, '## One\n\n```js\nx()\n```\n'),
    });
    const { body } = await api.http.get('/v1/posts/a').expect(200);
    expect(body.data).toMatchObject({
      slug: 'a',
      updatedAt: '2024-02-01T00:00:00.000Z',
      html: expect.stringContaining('<code class="language-js">x()\n</code>'),
      toc: [{ depth: 2, text: 'One', id: 'one' }],
      extra: { canonical: 'https://example.com/a' },
    });
  });

  it('answers 404 problems for unknown, draft and scheduled slugs alike', async () => {
    await load({ 'd.md': post('d', { draft: true }), 'f.md': post('f', { date: '2999-01-01' }) });
    for (const slug of ['nope', 'd', 'f']) {
      const res = await api.http.get(`/v1/posts/${slug}`).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: '/problems/not-found', status: 404, instance: `/v1/posts/${slug}` });
      expect(res.body.detail).toContain(slug);
    }
  });
});

describe('unknown routes', () => {
  it('are 404 problems too', async () => {
    const res = await api.http.get('/v2/whatever').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toBe('no route for GET /v2/whatever');
  });
});
