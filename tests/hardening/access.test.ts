// Who gets in: admin refusals all alike, rate limits, and drafts and scheduled posts
// invisible through every public route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPreview } from '../../src/blog/previews.js';
import { loadConfig } from '../../src/config.js';
import { startApp, TEST_CONFIG, type TestApp } from '../support/app.js';
import { contentDir, type ContentDir, importDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase, truncateAll } from '../support/postgres.js';

let t: TestDatabase;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
  await t.drop();
});

async function app(extra: Parameters<typeof startApp>[2] = {}, token?: string): Promise<TestApp> {
  const content = await contentDir();
  const a = await startApp(t, token === undefined ? undefined : { token, contentDir: content.dir }, extra);
  cleanups.push(
    () => a.app.close(),
    () => content.cleanup(),
  );
  return a;
}

/** A response without what differs from one request to the next. */
const shape = (res: { status: number; headers: Record<string, unknown>; text: string }) => {
  const { date: _d, 'x-ratelimit-reset': _r, ...headers } = res.headers;
  return { status: res.status, headers, body: res.text };
};

describe('admin refusals', () => {
  const TOKEN = 'the-right-admin-token-123456';

  it('are one and the same 401, whatever was wrong with the token', async () => {
    const { http } = await app({}, TOKEN);
    const refusals = await Promise.all(
      [
        {},
        { authorization: 'Bearer wrong' },
        { authorization: `Bearer ${TOKEN.slice(0, -1)}7` },
        { authorization: `Bearer ${TOKEN}7` },
        { authorization: `bearer ${TOKEN.toUpperCase()}` },
        { authorization: 'Bearer ' },
        { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` },
        { authorization: TOKEN },
      ].map((headers) => http.get('/v1/admin/imports').set(headers)),
    );
    const first = shape(refusals[0]!);
    expect(first.status).toBe(401);
    for (const r of refusals) expect(shape(r)).toEqual(first);
    await http.get('/v1/admin/imports').set('authorization', `Bearer ${TOKEN}`).expect(200);
  });

  it('refuse everyone when the configured token is empty (and the routes exist)', async () => {
    expect(loadConfig({ QUIRE_ADMIN_TOKEN: '' }).adminToken).toBe('');
    expect(loadConfig({}).adminToken).toBeUndefined();
    const { http } = await app({}, '');
    for (const authorization of ['Bearer ', 'Bearer x', 'Bearer  ', '']) {
      const res = await http.post('/v1/admin/imports').set('authorization', authorization);
      expect(res.status).toBe(401);
      expect(res.body.type).toBe('/problems/unauthorized');
    }
  });
});

describe('rate limits', () => {
  it('answer 429 problems with Retry-After past the public limit, hits included', async () => {
    const { http } = await app({ rateLimit: { public: 3, admin: 0 } });
    for (let i = 0; i < 3; i++) await http.get('/v1/posts').expect(200);
    const res = await http.get('/v1/posts').expect(429);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: '/problems/too-many-requests', status: 429 });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('hold admin routes to their own, stricter limit', async () => {
    const { http } = await app({ rateLimit: { public: 100, admin: 2 } }, 'x'.repeat(20));
    for (let i = 0; i < 2; i++) await http.get('/v1/admin/imports').expect(401);
    const res = await http.get('/v1/admin/imports').expect(429);
    expect(res.body.type).toBe('/problems/too-many-requests');
    await http.get('/v1/posts').expect(200);
  });

  it('never count health probes, and say 429 in the OpenAPI document of every limited route', async () => {
    const { http } = await app({ rateLimit: { public: 2, admin: 0 } });
    for (let i = 0; i < 5; i++) {
      await http.get('/healthz').expect(200);
      await http.get('/readyz').expect(200);
    }
    await http.get('/v1/posts').expect(200);
    const doc = (await http.get('/openapi.json').expect(200)).body;
    expect(doc.paths['/v1/posts'].get.responses['429']).toBeDefined();
    expect(doc.paths['/readyz'].get.responses['429']).toBeUndefined();
  });
});

describe('drafts and scheduled posts', () => {
  const SECRET = 'zebrafish';
  let content: ContentDir;

  beforeAll(async () => {
    content = await contentDir({
      'public.md': post('public', { tags: ['shared'], categories: ['Open'], author: 'Pat' }, 'A public post about fish.\n'),
      'draft.md': post(
        'draft-zebrafish',
        {
          title: `Draft ${SECRET}`,
          description: SECRET,
          draft: true,
          tags: ['shared', `${SECRET}-tag`],
          categories: [`${SECRET} category`],
          author: `${SECRET} author`,
          aliases: ['/old-zebrafish/'],
        },
        `${SECRET} ${SECRET}\n`,
      ),
      'later.md': post(
        'later-zebrafish',
        {
          title: `Later ${SECRET}`,
          date: '2999-01-01',
          tags: ['shared', `${SECRET}-later`],
          categories: ['Open'],
          author: 'Pat',
        },
        `${SECRET}\n`,
      ),
      'fr.md': post('public', { lang: 'fr', title: `Brouillon ${SECRET}`, draft: true }),
    });
    await importDir(t.db, content.dir);
  });
  afterAll(async () => {
    await content.cleanup();
    await truncateAll(t.db);
  });

  const urls = [
    '/v1/posts',
    '/v1/posts?view=full',
    '/v1/posts?tag=shared',
    '/v1/posts?lang=fr',
    '/v1/posts?sort=-updatedAt&cursor=',
    `/v1/search?q=${SECRET}`,
    `/v1/posts?q=${SECRET}`,
    '/v1/search?q=fish',
    '/v1/posts/public',
    '/v1/posts/public?format=text',
    '/v1/tags',
    '/v1/tags/shared',
    '/v1/tags/shared/posts',
    '/v1/categories',
    '/v1/categories/open',
    '/v1/authors',
    '/v1/authors/pat',
    '/v1/feed.xml',
    '/v1/feed.atom',
    '/v1/feed.json',
    '/v1/tags/shared/feed.xml',
    '/v1/categories/open/feed.json',
    '/v1/authors/pat/feed.atom',
    '/sitemap.xml',
    '/v1/export/posts',
  ];

  it('leak through no public route: lists, counts, search, feeds, sitemap, export, links', async () => {
    const { http } = await app();
    for (const url of urls) {
      const res = await http.get(url);
      expect(res.status, url).toBe(200);
      // A search for the secret echoes it back in its links; the results must not hold it.
      const text = url.includes(`q=${SECRET}`) ? JSON.stringify(res.body.data) : res.text;
      expect(text, url).not.toContain(SECRET);
      expect(res.text, url).not.toContain('2999');
    }
    expect((await http.get('/v1/tags/shared').expect(200)).body.data.postCount).toBe(1);
    expect((await http.get('/v1/posts').expect(200)).body.meta.total).toBe(1);
  });

  it('answer 404 for their slugs, old slugs, terms and feeds', async () => {
    const { http } = await app();
    for (const url of [
      '/v1/posts/draft-zebrafish',
      '/v1/posts/later-zebrafish',
      '/v1/posts/old-zebrafish',
      '/v1/posts/public?lang=fr',
      `/v1/tags/${SECRET}-tag`,
      `/v1/tags/${SECRET}-later`,
      `/v1/categories/${SECRET}-category`,
      `/v1/authors/${SECRET}-author`,
      `/v1/tags/${SECRET}-tag/posts`,
      `/v1/tags/${SECRET}-later/feed.xml`,
      `/v1/authors/${SECRET}-author/feed.json`,
    ]) {
      const res = await http.get(url);
      expect(res.status, url).toBe(404);
      expect(res.text, url).not.toContain('Draft');
    }
  });

  it('show through their own preview link only, and leak nowhere once one was opened', async () => {
    const { http } = await app();
    const secret = TEST_CONFIG.previews!.secret;
    const tokenOf = async (slug: string, lang = 'en') => {
      const { id } = await t.db.post.findFirstOrThrow({ where: { slug, lang }, select: { id: true } });
      return encodeURIComponent(signPreview(secret, id, new Date(Date.now() + 60_000)));
    };
    const draft = await tokenOf('draft-zebrafish');
    const later = await tokenOf('later-zebrafish');
    const fr = await tokenOf('public', 'fr');
    for (const [url, title] of [
      [`/v1/posts/draft-zebrafish?preview=${draft}`, `Draft ${SECRET}`],
      [`/v1/posts/later-zebrafish?preview=${later}`, `Later ${SECRET}`],
      [`/v1/posts/public?lang=fr&preview=${fr}`, `Brouillon ${SECRET}`],
    ] as const) {
      const res = await http.get(url).expect(200);
      expect([res.body.data.title, res.headers['cache-control']], url).toEqual([title, 'private, no-store']);
    }
    for (const url of urls) {
      const res = await http.get(url).expect(200);
      const text = url.includes(`q=${SECRET}`) ? JSON.stringify(res.body.data) : res.text;
      expect(text, url).not.toContain(SECRET);
    }
    // One document's token opens no other, an old slug included; lists take no token at all.
    for (const url of [
      `/v1/posts/later-zebrafish?preview=${draft}`,
      `/v1/posts/old-zebrafish?preview=${draft}`,
      `/v1/posts/public?lang=fr&preview=${draft}`,
    ]) {
      expect((await http.get(url)).status, url).toBe(404);
    }
    expect((await http.get(`/v1/posts?preview=${draft}`)).status).toBe(400);
  });
});
