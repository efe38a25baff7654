import { describe, expect, it } from 'vitest';
import { EN_NEWEST_FIRST, useBlogApi } from '../support/blog.js';

const api = useBlogApi();

const get = (url: string) => api.http.get(url);
const slugs = async (url: string) => {
  const res = await get(url).expect(200);
  return res.body.data.map((p: { slug: string; lang: string }) => (p.lang === 'en' ? p.slug : `${p.lang}/${p.slug}`));
};

describe('GET /v1/posts', () => {
  it('lists published posts of every language, newest first, never drafts or future posts', async () => {
    expect(await slugs('/v1/posts')).toEqual(['zen-of-code', 'release-notes', 'py-async', 'js-async', 'fr/js-intro', 'js-intro']);
  });

  it("returns the summary shape: no body, with url, authors and terms in the author's order", async () => {
    const { body } = await get('/v1/posts?lang=en&limit=1&sort=publishedAt').expect(200);
    expect(body.data[0]).toEqual({
      slug: 'js-intro',
      lang: 'en',
      path: '/js-intro/',
      url: 'https://blog.example.com/js-intro/',
      title: 'JavaScript for beginners',
      description: 'Start here',
      excerpt: 'Variables and functions.',
      image: null,
      publishedAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-06-01T00:00:00.000Z',
      readingMinutes: 1,
      wordCount: 6,
      featured: false,
      tags: [
        { slug: 'javascript', name: 'JavaScript' },
        { slug: 'beginners', name: 'Beginners' },
      ],
      categories: [{ slug: 'tutorials', name: 'Tutorials' }],
      authors: [{ slug: 'ada', name: 'Ada', url: null, affiliation: null }],
    });
    // Keys in the order of the schema that documents them.
    expect(Object.keys(body.data[0])).toEqual([
      'slug',
      'lang',
      'path',
      'url',
      'title',
      'description',
      'excerpt',
      'image',
      'publishedAt',
      'updatedAt',
      'readingMinutes',
      'wordCount',
      'featured',
      'tags',
      'categories',
      'authors',
    ]);
  });

  it('gives the full shape with view=full; fields= belongs to the export', async () => {
    const full = await get('/v1/posts?lang=en&limit=1&view=full').expect(200);
    expect(full.body.data[0]).toMatchObject({ slug: 'zen-of-code', html: '<p>Less is more.</p>\n', toc: [], extra: {}, aliases: [] });
    const refused = await get('/v1/posts?fields=title').expect(400);
    expect(refused.body.errors).toEqual([{ in: 'query', name: 'fields', reason: 'is not a known parameter' }]);
  });

  it.each([
    ['tag=javascript', ['zen-of-code', 'js-async', 'fr/js-intro', 'js-intro']],
    ['tag=python,news', ['release-notes', 'py-async']],
    ['tag=python&tag=news', ['release-notes', 'py-async']],
    ['tagAll=javascript,async', ['js-async']],
    ['tagNot=javascript&lang=en', ['release-notes', 'py-async']],
    ['tag=async&tagNot=python', ['js-async']],
    ['category=tutorials', ['py-async', 'js-async', 'js-intro']],
    ['category=tutorials,opinion&tagNot=beginners', ['zen-of-code', 'py-async', 'js-async']],
    ['categoryNot=tutorials&lang=en', ['zen-of-code', 'release-notes']],
    ['author=grace', ['release-notes', 'py-async']],
    ['author=ada&category=tutorials', ['js-async', 'js-intro']],
    ['from=2024-02-01&to=2024-04-01', ['release-notes', 'py-async', 'js-async']],
    ['from=2024-03-15T00:00:00Z', ['zen-of-code', 'release-notes']],
    ['to=2024-01-01', ['js-intro']],
    ['lang=fr', ['fr/js-intro']],
    ['tag=hidden', []],
    ['tag=no-such-tag', []],
  ])('filters %s', async (query, expected) => {
    expect(await slugs(`/v1/posts?${query}`)).toEqual(expected);
  });

  it.each([
    ['-publishedAt', EN_NEWEST_FIRST],
    ['publishedAt', [...EN_NEWEST_FIRST].reverse()],
    ['-updatedAt', ['js-intro', 'zen-of-code', 'release-notes', 'py-async', 'js-async']],
    ['updatedAt', ['js-async', 'py-async', 'release-notes', 'zen-of-code', 'js-intro']],
    ['title', ['js-async', 'js-intro', 'py-async', 'release-notes', 'zen-of-code']],
    ['-title', ['zen-of-code', 'release-notes', 'py-async', 'js-intro', 'js-async']],
  ])('sorts by %s', async (sort, expected) => {
    expect(await slugs(`/v1/posts?lang=en&sort=${sort}`)).toEqual(expected);
  });

  it('pages with totals and links, to the last page and past it', async () => {
    const first = await get('/v1/posts?lang=en&limit=2').expect(200);
    expect(first.body.meta).toMatchObject({ page: 1, limit: 2, total: 5, totalPages: 3 });
    expect(first.body.links).toMatchObject({
      prev: null,
      next: '/v1/posts?lang=en&limit=2&page=2',
      last: '/v1/posts?lang=en&limit=2&page=3',
    });
    expect(first.headers.link).toContain('</v1/posts?lang=en&limit=2&page=2>; rel="next"');
    const last = await get('/v1/posts?lang=en&limit=2&page=3').expect(200);
    expect(last.body.data.map((p: { slug: string }) => p.slug)).toEqual(['js-intro']);
    expect(last.body.links).toMatchObject({ next: null, prev: '/v1/posts?lang=en&limit=2&page=2' });
    const past = await get('/v1/posts?lang=en&limit=2&page=7').expect(200);
    expect(past.body).toMatchObject({
      data: [],
      meta: { total: 5, totalPages: 3 },
      links: { next: null, prev: '/v1/posts?lang=en&limit=2&page=3' },
    });
  });

  it('reads on with a keyset cursor, through every post once, in order, for each sort', async () => {
    for (const sort of ['-publishedAt', 'publishedAt', 'title', '-updatedAt']) {
      const seen: string[] = [];
      let url: string | null = `/v1/posts?lang=en&limit=2&sort=${sort}&cursor=`;
      while (url) {
        const res: { body: { data: { slug: string }[]; meta: object; links: { next: string | null } } } = await get(url).expect(200);
        seen.push(...res.body.data.map((p: { slug: string }) => p.slug));
        expect(res.body.meta).toMatchObject({ limit: 2, total: 5 });
        url = res.body.links.next;
      }
      expect(seen).toEqual(await slugs(`/v1/posts?lang=en&sort=${sort}`));
    }
  });

  it('gives no next cursor when a cursor page ends exactly at the last post', async () => {
    const { body } = await get('/v1/posts?lang=en&limit=5&cursor=').expect(200);
    expect(body.data).toHaveLength(5);
    expect(body.meta.nextCursor).toBeNull();
    expect(body.links.next).toBeNull();
  });

  it.each([
    ['cursor=garbage', 'cursor'],
    ['sort=newest', 'sort'],
    ['from=yesterday', 'from'],
    ['tag=', 'tag'],
    ['view=compact', 'view'],
  ])('refuses %s with a 400 problem naming %s', async (query, name) => {
    const res = await get(`/v1/posts?${query}`).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors[0].name).toBe(name);
  });

  it('takes what the document allows: page beside a cursor (ignored), relevance without q (newest first)', async () => {
    const withCursor = await get('/v1/posts?lang=en&limit=2&cursor=&page=2').expect(200);
    expect(withCursor.body.data.map((p: { slug: string }) => p.slug)).toEqual(EN_NEWEST_FIRST.slice(0, 2));
    expect(await slugs('/v1/posts?lang=en&sort=relevance')).toEqual(EN_NEWEST_FIRST);
  });

  it('refuses a cursor made for another sort', async () => {
    const { body } = await get('/v1/posts?limit=1&cursor=').expect(200);
    const res = await get(`/v1/posts?sort=title&cursor=${body.meta.nextCursor}`).expect(400);
    expect(res.body.detail).toMatch(/was made for sort=-publishedAt/);
  });

  it.each([
    ['limit=0', 'limit', /at least 1/],
    ['limit=101', 'limit', /at most 100/],
    ['page=0', 'page', /at least 1/],
    ['page=two', 'page', /whole number/],
    ['limit=2.5', 'limit', /whole number/],
    ['tags=js', 'tags', /not a known parameter/],
  ])('answers %s with a 400 problem naming the parameter', async (query, name, reason) => {
    const res = await get(`/v1/posts?${query}`).expect(400);
    expect(res.body).toMatchObject({ type: '/problems/invalid-parameter', status: 400, instance: '/v1/posts' });
    expect(res.body.errors).toEqual([{ in: 'query', name, reason: expect.stringMatching(reason) }]);
  });
});

describe('GET /v1/export/posts', () => {
  it('streams every published post as NDJSON, oldest first, in the full shape', async () => {
    const res = await get('/v1/export/posts').expect(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = res.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((p) => `${p.lang}/${p.slug}`)).toEqual([
      'en/js-intro',
      'fr/js-intro',
      'en/js-async',
      'en/py-async',
      'en/release-notes',
      'en/zen-of-code',
    ]);
    expect(lines[0]).toHaveProperty('html');
  });

  it("takes the list's filters and fields", async () => {
    const res = await get('/v1/export/posts?tag=async&fields=title').expect(200);
    expect(res.text).toBe(
      '{"slug":"js-async","lang":"en","title":"Async JavaScript"}\n{"slug":"py-async","lang":"en","title":"Python asyncio"}\n',
    );
  });
});
