// Preview links: a draft or scheduled document opens to the holder of its token, as it would
// be published, and to no one else, through no other URL, and never from a shared cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ContentWatch, watchContent } from '../../src/db/content-watch.js';
import { createReader } from '../../src/db/reader.js';
import { startApp, type TestApp } from '../support/app.js';
import { article, contentDir, type ContentDir, importDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

const TOKEN = 'preview-admin-token-0123456789';
const SECRET = 'quokka';
const auth = { authorization: `Bearer ${TOKEN}` };

let t: TestDatabase;
let content: ContentDir;
let api: TestApp;
let watch: ContentWatch;
let now = new Date();
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  content = await contentDir({
    'public.md': post('public', { tags: ['shared'] }, 'A public post.\n'),
    'draft.md': post(
      'draft-quokka',
      { title: `Draft ${SECRET}`, draft: true, tags: ['shared'] },
      `## First ${SECRET}\n\nBody of the ${SECRET} draft.\n`,
    ),
    'other.md': post('other-draft', { title: 'Other draft', draft: true }),
    'later.md': post('later-quokka', { title: `Later ${SECRET}`, date: '2999-01-01', tags: ['shared'] }, `${SECRET} later\n`),
    'pages/soon.md': article({ title: `Soon ${SECRET}`, slug: 'soon', draft: true }, `## Coming ${SECRET}\n`),
  });
  await importDir(t.db, content.dir);
  // The response cache on, over a watch, with a clock the tests move.
  const reader = createReader(t.url, { poolSize: 2 });
  watch = await watchContent(reader, { listenUrl: t.url, clock: () => now });
  api = await startApp(t, { token: TOKEN, contentDir: content.dir }, { watch, clock: () => now });
  cleanups.push(
    () => reader.close(),
    () => watch.close(),
    () => api.app.close(),
  );
});
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
  await content.cleanup();
  await t.drop();
});

async function previewToken(body: Record<string, unknown>): Promise<{ token: string; url: string; siteUrl: string; expiresAt: string }> {
  const res = await api.http.post('/v1/admin/previews').set(auth).send(body).expect(200);
  expect(res.headers['cache-control']).toBe('no-store');
  return res.body;
}

const q = (token: string) => `preview=${encodeURIComponent(token)}`;

describe('POST /v1/admin/previews', () => {
  it('needs the admin token', async () => {
    const res = await api.http.post('/v1/admin/previews').send({ slug: 'draft-quokka' }).expect(401);
    expect(res.body.type).toBe('/problems/unauthorized');
  });

  it("answers a link for a draft, expiring after the default TTL on the app's clock", async () => {
    const link = await previewToken({ slug: 'draft-quokka' });
    expect(link.url).toBe(`https://api.example.com/v1/posts/draft-quokka?${q(link.token)}`);
    // The document's own URL on the site, for a frontend that passes the token on.
    const opened = await api.http.get(`/v1/posts/draft-quokka?${q(link.token)}`).expect(200);
    expect(link.siteUrl).toBe(`${opened.body.data.url}?${q(link.token)}`);
    expect(Date.parse(link.expiresAt) - now.getTime()).toBe(24 * 60 * 60_000);
  });

  it('is a 404 problem for a slug that does not exist, and a 400 for a bad body', async () => {
    const missing = await api.http.post('/v1/admin/previews').set(auth).send({ slug: 'nothing-here' }).expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    const bad = await api.http.post('/v1/admin/previews').set(auth).send({ slug: 'draft-quokka', minutes: 0 }).expect(400);
    expect(bad.body.errors[0]).toMatchObject({ in: 'body', name: 'minutes' });
    await api.http.post('/v1/admin/previews').set(auth).send({ slug: 'soon', kind: 'post' }).expect(404);
  });
});

describe('a preview link', () => {
  it.each([
    ['a draft', 'draft-quokka', `Draft ${SECRET}`],
    ['a scheduled post', 'later-quokka', `Later ${SECRET}`],
  ])('opens %s as it would be published, private and never cached', async (_, slug, title) => {
    const { token } = await previewToken({ slug });
    for (let i = 0; i < 2; i++) {
      const res = await api.http.get(`/v1/posts/${slug}?${q(token)}`).expect(200);
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(res.headers['x-cache']).toBeUndefined();
      expect(res.headers['surrogate-key']).toBeUndefined();
      expect(res.body.data).toMatchObject({ slug, title, url: `https://blog.example.com/${slug}/` });
      expect(res.body.data.html).toContain(SECRET);
    }
    // The same URL without the token is still hidden, now and from the cache.
    for (let i = 0; i < 2; i++) {
      const hidden = await api.http.get(`/v1/posts/${slug}`).expect(404);
      expect(hidden.headers['x-cache']).toBeUndefined();
    }
  });

  it('opens a draft page at /v1/pages/:slug with its HTML and table of contents', async () => {
    const { token, url } = await previewToken({ slug: 'soon', kind: 'page' });
    expect(url).toBe(`https://api.example.com/v1/pages/soon?${q(token)}`);
    const res = await api.http.get(`/v1/pages/soon?${q(token)}`).expect(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.body.data.html).toContain(`<h2 id="coming-${SECRET}">`);
    expect(res.body.data.toc).toEqual([{ depth: 2, text: `Coming ${SECRET}`, id: `coming-${SECRET}` }]);
    await api.http.get('/v1/pages/soon').expect(404);
    // A page's token opens no post, and the other way round.
    await api.http.get(`/v1/posts/soon?${q(token)}`).expect(404);
    const postToken = (await previewToken({ slug: 'draft-quokka' })).token;
    await api.http.get(`/v1/pages/draft-quokka?${q(postToken)}`).expect(404);
  });

  it('opens the draft through /v1/resolve by its path too', async () => {
    const { token } = await previewToken({ slug: 'draft-quokka' });
    const res = await api.http.get(`/v1/resolve?path=/draft-quokka/&${q(token)}`).expect(200);
    expect([res.body.data.kind, res.body.data.slug, res.headers['cache-control']]).toEqual(['post', 'draft-quokka', 'private, no-store']);
    await api.http.get('/v1/resolve?path=/draft-quokka/').expect(404);
  });

  it('leaves lists, counts, search, feeds and the sitemap as they were', async () => {
    for (const slug of ['draft-quokka', 'later-quokka']) {
      const { token } = await previewToken({ slug });
      await api.http.get(`/v1/posts/${slug}?${q(token)}`).expect(200);
    }
    for (const url of [
      '/v1/posts',
      '/v1/posts?view=full',
      '/v1/posts?tag=shared',
      `/v1/search?q=${SECRET}`,
      '/v1/tags/shared',
      '/v1/feed.xml',
      '/v1/feed.atom',
      '/v1/feed.json',
      '/v1/tags/shared/feed.json',
      '/sitemap.xml',
      '/v1/export/posts',
      '/v1/pages',
    ]) {
      const res = await api.http.get(url).expect(200);
      const text = url.includes(`q=${SECRET}`) ? JSON.stringify(res.body.data) : res.text;
      expect(text, url).not.toContain(SECRET);
    }
    expect((await api.http.get('/v1/posts').expect(200)).body.meta.total).toBe(1);
    expect((await api.http.get('/v1/tags/shared').expect(200)).body.data.postCount).toBe(1);
  });
});

describe('a token that does not open the document', () => {
  const hiddenBody = async (slug: string) => (await api.http.get(`/v1/posts/${slug}`).expect(404)).text;

  it.each([
    ['garbage', () => 'not-a-token'],
    ['a token of the right form, unsigned', () => 'p1.1.zzzzzz.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a tampered signature', (good: string) => `${good.slice(0, -2)}${good.endsWith('AA') ? 'BB' : 'AA'}`],
    [
      'a tampered expiry',
      (good: string) =>
        good.replace(/^(p1\.[^.]+\.)([^.]+)/, (_, head: string, exp: string) => `${head}${(parseInt(exp, 36) + 3600).toString(36)}`),
    ],
    [
      'a tampered document id',
      (good: string) => good.replace(/^p1\.([^.]+)/, (_, id: string) => `p1.${(parseInt(id, 36) + 1).toString(36)}`),
    ],
  ])('is a 404 exactly like a hidden post: %s', async (_, make) => {
    const { token } = await previewToken({ slug: 'draft-quokka' });
    const res = await api.http.get(`/v1/posts/draft-quokka?${q(make(token))}`).expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.text).toBe(await hiddenBody('draft-quokka'));
    expect(res.headers['cache-control']).toMatch(/no-store/);
  });

  it('is a 404 exactly like a hidden post when it opens another post', async () => {
    const { token } = await previewToken({ slug: 'other-draft' });
    const res = await api.http.get(`/v1/posts/draft-quokka?${q(token)}`).expect(404);
    expect(res.text).toBe(await hiddenBody('draft-quokka'));
  });

  it("expires on the app's clock: a 404 like a hidden post after its minutes", async () => {
    const { token, expiresAt } = await previewToken({ slug: 'draft-quokka', minutes: 5 });
    expect(Date.parse(expiresAt) - now.getTime()).toBe(5 * 60_000);
    const start = now;
    try {
      now = new Date(start.getTime() + 4 * 60_000);
      await api.http.get(`/v1/posts/draft-quokka?${q(token)}`).expect(200);
      now = new Date(start.getTime() + 5 * 60_000 + 1_000);
      const res = await api.http.get(`/v1/posts/draft-quokka?${q(token)}`).expect(404);
      expect(res.text).toBe(await hiddenBody('draft-quokka'));
    } finally {
      now = start;
    }
  });

  it('still shows a published post, privately: a frontend in draft mode passes its token everywhere', async () => {
    const { token } = await previewToken({ slug: 'draft-quokka' });
    const plain = await api.http.get('/v1/posts/public').expect(200);
    const res = await api.http.get(`/v1/posts/public?${q(token)}`).expect(200);
    expect(res.body.data).toEqual(plain.body.data);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const garbage = await api.http.get('/v1/posts/public?preview=nope').expect(200);
    expect(garbage.body.data.slug).toBe('public');
    expect(garbage.headers['cache-control']).toBe('private, no-store');
  });

  it('opens nothing once the server signs with another secret', async () => {
    const { token } = await previewToken({ slug: 'draft-quokka' });
    const other = await startApp(t, undefined, { previews: { secret: 'another-secret', ttlMs: 60_000 }, clock: () => now });
    try {
      await other.http.get(`/v1/posts/draft-quokka?${q(token)}`).expect(404);
    } finally {
      await other.app.close();
    }
  });
});

describe('the preview route under the admin rate limit', () => {
  it('counts guesses at the admin token like every admin route (429 past the limit)', async () => {
    const limited = await startApp(t, { token: TOKEN, contentDir: content.dir }, { rateLimit: { public: 100, admin: 2 } });
    try {
      for (let i = 0; i < 2; i++)
        await limited.http.post('/v1/admin/previews').set('authorization', `Bearer guess-${i}`).send({ slug: 'draft-quokka' }).expect(401);
      const res = await limited.http.post('/v1/admin/previews').set(auth).send({ slug: 'draft-quokka' }).expect(429);
      expect(res.body.type).toBe('/problems/too-many-requests');
    } finally {
      await limited.app.close();
    }
  });
});
