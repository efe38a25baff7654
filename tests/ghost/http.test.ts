// The Ghost layer's HTTP as any client sees it: Ghost's envelopes and errors byte for byte
// where clients read them, the key check before anything, and /v1's caching (ETag, 304, the
// response cache) with an import dropping what it changed.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/api/app.js';
import type { z } from 'zod';
import { loadConfig } from '../../src/config.js';
import { type ContentWatch, watchContent } from '../../src/db/content-watch.js';
import { createReader } from '../../src/db/reader.js';
import { GHOST_ERROR_STATUS, GhostErrorsSchema } from '../../src/api/ghost/errors.js';
import { GHOST_EMPTY_ENVELOPES, GHOST_ENVELOPES, GhostAuthorSchema, GhostPostSchema, GhostTagSchema } from '../../src/api/ghost/schemas.js';
import { GhostSettingsResponseSchema } from '../../src/api/ghost/settings.js';
import { startApp } from '../support/app.js';
import { loadBlog } from '../support/blog.js';
import { type ContentDir, importDir, post } from '../support/content.js';
import { useTestDatabase } from '../support/postgres.js';
import { waitFor } from '../support/wait.js';
import { GHOST_BLOG, GHOST_KEY, OTHER_KEY, SECOND_KEY, startGhostApp } from './blog.js';

const t = useTestDatabase();
let content: ContentDir;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  ({ content } = await loadBlog(t.db, GHOST_BLOG));
});
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
afterAll(async () => {
  await content.cleanup();
});

/** Ports: TEST_GHOST_PORT + 1, 2 and 4 here (client.test.ts takes + 0, starters.test.ts + 3). */
async function ghostApp(cached = false, portOffset = 1, extra: Partial<AppDeps> = {}) {
  let watch: ContentWatch | undefined;
  if (cached) {
    const reader = createReader(t.url, { poolSize: 2 });
    watch = await watchContent(reader, { listenUrl: t.url });
    cleanups.push(
      () => reader.close(),
      () => watch!.close(),
    );
  }
  const app = await startGhostApp(t, { ...extra, ...(watch && { watch }) }, portOffset);
  cleanups.push(() => app.app.close());
  return app;
}

const ERROR_KEYS = ['message', 'context', 'type', 'details', 'property', 'help', 'code', 'id', 'ghostErrorCode'];

describe('switching the layer on', () => {
  it("is off without keys: Quire's own 404", async () => {
    const api = await startApp(t);
    cleanups.push(() => api.app.close());
    const res = await api.http.get(`/ghost/api/content/posts/?key=${GHOST_KEY}`).expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('is in the OpenAPI document when on, under the ghost tag, at its canonical prefix only; out of it when off', async () => {
    const off = await startApp(t);
    cleanups.push(() => off.app.close());
    const without = (await off.http.get('/openapi.json').expect(200)).body;
    expect(Object.keys(without.paths).filter((p) => p.startsWith('/ghost'))).toEqual([]);
    expect(without.tags.map((tag: { name: string }) => tag.name)).not.toContain('ghost');
    expect(without.components.securitySchemes).not.toHaveProperty('ghostContentKey');

    const { http } = await ghostApp();
    const doc = (await http.get('/openapi.json').expect(200)).body;
    const paths = Object.keys(doc.paths).filter((p) => p.startsWith('/ghost'));
    expect(paths).toHaveLength(17);
    // The versioned prefixes answer the same routes, unlisted; offers/{id}/ never succeeds.
    expect(paths.filter((p) => !p.startsWith('/ghost/api/content/'))).toEqual([]);
    expect(paths).not.toContain('/ghost/api/content/offers/{id}/');
    expect(doc.tags.find((tag: { name: string }) => tag.name === 'ghost').description).toMatch(/v2.*not listed/);
    expect(doc.components.securitySchemes.ghostContentKey).toMatchObject({ type: 'apiKey', in: 'query', name: 'key' });
    for (const path of paths) {
      for (const op of [doc.paths[path].get, doc.paths[path].head]) {
        expect(op.tags, path).toEqual(['ghost']);
        expect(op.security, path).toEqual([{ ghostContentKey: [] }]);
        // The key is the security scheme's, not a parameter of its own.
        expect(op.parameters?.map((p: { name: string }) => p.name) ?? [], path).not.toContain('key');
      }
      // Every error in Ghost's shape, as application/json, but for what the server refuses
      // before any route is chosen (413, 431: problem documents there too).
      for (const [status, res] of Object.entries(doc.paths[path].get.responses as Record<string, { content?: object }>)) {
        if (Number(status) < 400) continue;
        const type = ['413', '431'].includes(status) ? 'application/problem+json' : 'application/json';
        expect(Object.keys(res.content!), `${path} ${status}`).toEqual([type]);
      }
    }
    const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
    const browse = doc.paths['/ghost/api/content/posts/'].get;
    expect(browse.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'fields',
      'filter',
      'formats',
      'include',
      'limit',
      'order',
      'page',
    ]);
    const limit = browse.parameters.find((p: { name: string }) => p.name === 'limit').schema;
    expect(limit.default).toBe(15);
    expect(limit.anyOf).toContainEqual({ type: 'string', enum: ['all'] });
    expect(Object.keys(browse.responses).sort()).toEqual(['200', '304', '400', '401', '403', '413', '422', '431', '500', '503']);
    expect(browse.responses['200'].content['application/json'].schema).toEqual(ref('GhostPostsBrowse'));
    expect(browse.responses['200'].headers).toHaveProperty('etag');
    expect(browse.responses['422'].content['application/json'].schema).toEqual(ref('GhostErrors'));
    const read = doc.paths['/ghost/api/content/tags/slug/{slug}/'].get;
    expect(read.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['fields', 'formats', 'include', 'slug']);
    expect(read.responses['200'].content['application/json'].schema).toEqual(ref('GhostTagsRead'));
    expect(read.responses['404'].description).toMatch(/^NotFoundError/);
    expect(doc.paths['/ghost/api/content/settings/'].get.responses['200'].content['application/json'].schema).toEqual(
      ref('GhostSettingsRead'),
    );
    expect(doc.paths['/ghost/api/content/tiers/'].get.responses['200'].content['application/json'].schema).toEqual(ref('GhostTiersBrowse'));

    const schemas = doc.components.schemas;
    expect(schemas.GhostPostsBrowse.required).toEqual(['posts', 'meta']);
    expect(schemas.GhostPostsBrowse.properties.posts.items).toEqual({ anyOf: [ref('GhostPost'), ref('GhostPostFields')] });
    expect(schemas.GhostPostsBrowse.properties.meta.properties.pagination).toEqual(ref('GhostPagination'));
    expect(schemas.GhostPostsRead.properties.posts).toMatchObject({ minItems: 1, maxItems: 1 });
    expect(schemas.GhostPostsRead.required).toEqual(['posts']);
    expect(schemas.GhostPost.properties.tags.items).toEqual(ref('GhostTag'));
    expect(schemas.GhostPost.required).toEqual(
      expect.arrayContaining(['id', 'uuid', 'slug', 'url', 'excerpt', 'reading_time', 'published_at']),
    );
    expect(schemas.GhostPost.required).not.toContain('html');
    expect(schemas.GhostErrors.properties.errors.items.required).toEqual(ERROR_KEYS);
    expect(schemas.GhostErrors.properties.errors.items.properties.type.enum).toEqual(Object.keys(GHOST_ERROR_STATUS));
    expect(schemas.GhostPagination.properties.limit.anyOf).toContainEqual({ type: 'string', const: 'all' });
    expect(schemas.GhostTiersBrowse.properties.tiers.maxItems).toBe(0);
  });

  it('answers in the shapes the document gives: no field it does not name, none it requires missing', async () => {
    const { http } = await ghostApp();
    const get = async (path: string, status = 200) =>
      (await http.get(`/ghost/api/content/${path}${path.includes('?') ? '&' : '?'}key=${GHOST_KEY}`).expect(status)).body;
    // An item is the whole shape, or with fields= any part of it (the document's union):
    // without fields=, each item must be whole.
    const cases: [string, z.ZodType, z.ZodType | undefined][] = [
      ['posts/?include=tags,authors,tiers&formats=html,plaintext', GHOST_ENVELOPES.posts.browse, GhostPostSchema],
      ['posts/?fields=title,slug&include=tags', GHOST_ENVELOPES.posts.browse, undefined],
      ['posts/slug/ghost-ready/?include=tags,authors', GHOST_ENVELOPES.posts.read, GhostPostSchema],
      ['pages/?include=authors', GHOST_ENVELOPES.pages.browse, GhostPostSchema],
      ['pages/slug/about/', GHOST_ENVELOPES.pages.read, GhostPostSchema],
      ['tags/?include=count.posts&limit=all', GHOST_ENVELOPES.tags.browse, GhostTagSchema],
      ['tags/slug/news/?fields=name', GHOST_ENVELOPES.tags.read, undefined],
      ['authors/?include=count.posts', GHOST_ENVELOPES.authors.browse, GhostAuthorSchema],
      ['authors/slug/ada/', GHOST_ENVELOPES.authors.read, GhostAuthorSchema],
      ['settings/', GhostSettingsResponseSchema, undefined],
      ['tiers/', GHOST_EMPTY_ENVELOPES.tiers, undefined],
    ];
    for (const [path, schema, whole] of cases) {
      const body = await get(path);
      expect(schema.safeParse(body).error, path).toBeUndefined();
      // zod objects drop keys they do not know: a key sent and not documented shows as a difference.
      expect(schema.parse(body), path).toEqual(body);
      const items = Object.values(body as Record<string, unknown>).find(Array.isArray) as unknown[];
      for (const item of whole ? items : []) expect(whole!.parse(item), path).toEqual(item);
    }
    expect(GhostPostSchema.safeParse((await get('posts/?fields=slug')).posts[0]).success).toBe(false);
    for (const [path, status] of [
      ['posts/?limit=0', 422],
      ['posts/?filter=nonsense:1', 400],
      ['posts/slug/nope/', 404],
    ] as const) {
      const body = await get(path, status);
      expect(GhostErrorsSchema.parse(body), path).toEqual(body);
    }
    expect(GhostErrorsSchema.parse((await http.get('/ghost/api/content/posts/').expect(403)).body).errors[0]!.type).toBe(
      'NoPermissionError',
    );
  });

  it('takes QUIRE_GHOST_CONTENT_KEYS as 26-hex keys, comma-separated, and refuses anything else at start', () => {
    expect(loadConfig({ QUIRE_GHOST_CONTENT_KEYS: `${GHOST_KEY}, ${SECOND_KEY}` }).ghost?.keys).toEqual([GHOST_KEY, SECOND_KEY]);
    expect(loadConfig({}).ghost).toBeUndefined();
    expect(() => loadConfig({ QUIRE_GHOST_CONTENT_KEYS: 'not-a-key' })).toThrow(/QUIRE_GHOST_CONTENT_KEYS.*26 lowercase hex/);
    expect(() => loadConfig({ QUIRE_GHOST_CONTENT_KEYS: GHOST_KEY.toUpperCase() })).toThrow(/QUIRE_GHOST_CONTENT_KEYS/);
  });
});

describe('the key', () => {
  it("missing: 403 NoPermissionError; unknown: 401 UnauthorizedError; in Ghost's error shape, never cached", async () => {
    const { http } = await ghostApp();
    const missing = await http.get('/ghost/api/content/posts/').expect(403);
    expect(missing.headers['content-type']).toMatch(/^application\/json/);
    expect(missing.headers['cache-control']).toBe('no-store');
    expect(Object.keys(missing.body)).toEqual(['errors']);
    expect(Object.keys(missing.body.errors[0])).toEqual(ERROR_KEYS);
    expect(missing.body.errors[0]).toMatchObject({ type: 'NoPermissionError', message: 'Authorization failed' });
    const wrong = await http.get(`/ghost/api/content/posts/?key=${OTHER_KEY}`).expect(401);
    expect(wrong.body.errors[0]).toMatchObject({ type: 'UnauthorizedError', message: 'Unknown Content API Key' });
    // Before the parameters are looked at.
    await http.get(`/ghost/api/content/posts/?key=${OTHER_KEY}&filter=tag:(&limit=0`).expect(401);
    await http.get(`/ghost/api/content/posts/?key=${GHOST_KEY}&key=${GHOST_KEY}`).expect(401);
  });

  it('lets browsers call it: CORS preflight without a key, then the answer with CORS headers', async () => {
    const { http } = await ghostApp();
    const preflight = await http
      .options('/ghost/api/content/posts/')
      .set('origin', 'https://site.example.com')
      .set('access-control-request-method', 'GET')
      .set('access-control-request-headers', 'accept-version');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    const res = await http.get(`/ghost/api/content/posts/?key=${GHOST_KEY}`).set('origin', 'https://site.example.com').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('any configured key opens every route, with or without the trailing slash, with Accept-Version', async () => {
    const { http } = await ghostApp();
    for (const key of [GHOST_KEY, SECOND_KEY]) {
      for (const path of [
        'posts/',
        'posts',
        'pages/',
        'tags/',
        'authors/',
        'settings/',
        'tiers/',
        'newsletters/',
        'offers/',
        'recommendations/',
        'posts/slug/js-intro/',
        'tags/slug/news/',
        'authors/slug/ada/',
      ]) {
        await http.get(`/ghost/api/content/${path}?key=${key}`).set('accept-version', 'v5.0').expect(200);
      }
    }
  });
});

describe('shapes', () => {
  it('a browse is { <resource>: [...], meta: { pagination } }; a read one item and no meta', async () => {
    const { http } = await ghostApp();
    const list = await http.get(`/ghost/api/content/posts/?key=${GHOST_KEY}&limit=2`).expect(200);
    expect(list.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Object.keys(list.body)).toEqual(['posts', 'meta']);
    expect(list.body.meta).toEqual({ pagination: { page: 1, limit: 2, pages: 4, total: 7, next: 2, prev: null } });
    const one = await http.get(`/ghost/api/content/posts/slug/js-intro/?key=${GHOST_KEY}`).expect(200);
    expect(Object.keys(one.body)).toEqual(['posts']);
    expect(one.body.posts).toHaveLength(1);
    // Ghost's fields, in Ghost's order, typed as Ghost types them.
    const p = one.body.posts[0];
    expect(Object.keys(p)).toEqual([
      'id',
      'uuid',
      'title',
      'slug',
      'html',
      'comment_id',
      'feature_image',
      'featured',
      'visibility',
      'created_at',
      'updated_at',
      'published_at',
      'custom_excerpt',
      'codeinjection_head',
      'codeinjection_foot',
      'custom_template',
      'canonical_url',
      'url',
      'excerpt',
      'reading_time',
      'access',
      'comments',
      'og_image',
      'og_title',
      'og_description',
      'twitter_image',
      'twitter_title',
      'twitter_description',
      'meta_title',
      'meta_description',
      'email_subject',
      'frontmatter',
      'feature_image_alt',
      'feature_image_caption',
    ]);
    expect(p).toMatchObject({
      slug: 'js-intro',
      title: 'JavaScript for beginners',
      custom_excerpt: 'Start here',
      // The custom excerpt wins, as in Ghost.
      excerpt: 'Start here',
      url: 'https://blog.example.com/js-intro/',
      published_at: '2024-01-01T00:00:00.000+00:00',
      updated_at: '2024-06-01T00:00:00.000+00:00',
      reading_time: 1,
      visibility: 'public',
      access: true,
      comments: false,
      featured: false,
      meta_title: null,
    });
    expect(p.comment_id).toBe(p.id);
    expect(p.uuid.replace(/-/g, '').slice(0, 24)).toBe(p.id);
  });

  it('formats=plaintext alone drops html; fields keeps only what is named, includes added', async () => {
    const { http } = await ghostApp();
    const { body } = await http
      .get(`/ghost/api/content/posts/slug/ghost-ready/?key=${GHOST_KEY}&formats=plaintext&fields=slug,plaintext,html&include=authors`)
      .expect(200);
    expect(body.posts[0]).toEqual({
      slug: 'ghost-ready',
      plaintext: 'Featured text.',
      authors: [expect.objectContaining({ slug: 'grace' }), expect.objectContaining({ slug: 'ada' })],
      primary_author: expect.objectContaining({ slug: 'grace' }),
    });
  });

  it('answers a page past the end with an empty list, and limit=all with 100 as Ghost 6 does, or all where allowed', async () => {
    const { http } = await ghostApp();
    const past = await http.get(`/ghost/api/content/tags/?key=${GHOST_KEY}&page=5`).expect(200);
    expect(past.body).toEqual({ tags: [], meta: { pagination: { page: 5, limit: 15, pages: 1, total: 6, next: null, prev: 4 } } });
    const hundred = await http.get(`/ghost/api/content/authors/?key=${GHOST_KEY}&limit=all`).expect(200);
    expect(hundred.body.meta.pagination).toEqual({ page: 1, limit: 100, pages: 1, total: 3, next: null, prev: null });
    const allowed = await ghostApp(false, 2, { ghost: { keys: [GHOST_KEY], limitAll: true } });
    const all = await allowed.http.get(`/ghost/api/content/authors/?key=${GHOST_KEY}&limit=all`).expect(200);
    expect(all.body.meta.pagination).toEqual({ page: 1, limit: 'all', pages: 1, total: 3, next: null, prev: null });
    expect(all.body.authors).toEqual(hundred.body.authors);
  });

  it.each([
    ['posts/?limit=0', 422, 'ValidationError'],
    ['posts/?limit=ten', 422, 'ValidationError'],
    ['posts/?page=0', 422, 'ValidationError'],
    ['posts/?formats=mobiledoc', 422, 'ValidationError'],
    ['posts/?formats=html,lexical', 422, 'ValidationError'],
    ['posts/?order=published_at%20sideways', 422, 'ValidationError'],
    ['posts/slug/a%00b/', 422, 'ValidationError'],
    ['posts/?filter=slug:%27a%00b%27', 422, 'ValidationError'],
    [`posts/?filter=${'tag:aa,'.repeat(1200)}tag:bb`, 422, 'ValidationError'],
    ['posts/?filter=tag:news%2Bnonsense:1', 400, 'BadRequestError'],
    ['posts/?filter=published_at:>%27yesterday%27', 400, 'BadRequestError'],
    ['posts/?filter=tag:null', 400, 'BadRequestError'],
    ['tags/?filter=count.posts:>1', 400, 'BadRequestError'],
    ['posts/?filter=id:123456789012345678901234', 400, 'BadRequestError'],
    ["posts/?filter=id:'123456789012345678901234'", 200, undefined],
    ['posts/slug/nope/', 404, 'NotFoundError'],
    ['posts/5f0000000000000000000000/', 404, 'NotFoundError'],
    ['members/', 404, 'NotFoundError'],
  ])('%.60s -> %i %s', async (path, status, type) => {
    const { http } = await ghostApp();
    const res = await http.get(`/ghost/api/content/${path}${path.includes('?') ? '&' : '?'}key=${GHOST_KEY}`).expect(status);
    if (!type) return;
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].type).toBe(type);
    expect(res.body.errors[0].message).toEqual(expect.any(String));
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it("answers past the rate limit with Ghost's 429, and Retry-After", async () => {
    const app = await ghostApp(false, 4, { rateLimit: { public: 3, admin: 0 } });
    const { http } = app;
    await http.get(`/ghost/api/content/settings/?key=${GHOST_KEY}`).expect(200);
    const limited = await (async () => {
      for (let i = 0; i < 5; i++) {
        const res = await http.get(`/ghost/api/content/posts/?key=${GHOST_KEY}`);
        if (res.status !== 200) return res;
      }
      return undefined;
    })();
    expect(limited?.status).toBe(429);
    expect(limited?.body.errors[0].type).toBe('TooManyRequestsError');
    expect(limited?.headers['retry-after']).toBeDefined();
    // And the document says so, in Ghost's shape, where the rate limit is on (read from the
    // app: /openapi.json is past the limit too).
    const { paths } = app.app.swagger() as { paths: Record<string, { get: { responses: Record<string, unknown> } }> };
    expect(paths['/ghost/api/content/posts/']!.get.responses['429']).toMatchObject({
      description: expect.stringMatching(/^TooManyRequestsError/),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/GhostErrors' } } },
      headers: { 'retry-after': expect.any(Object) },
    });
  });

  it('answers 503 ServiceUnavailableError with Retry-After when the database cannot be reached', async () => {
    // Nothing listens on the last port of this session's range.
    const gone = createReader('postgresql://postgres@127.0.0.1:3459/none', { connectTimeoutMs: 500 });
    const { http } = await ghostApp(false, 1, { reader: gone });
    const res = await http.get(`/ghost/api/content/posts/?key=${GHOST_KEY}`).expect(503);
    expect(res.body.errors[0].type).toBe('ServiceUnavailableError');
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('fields naming nothing Ghost has gives empty objects, as Ghost does', async () => {
    const { http } = await ghostApp();
    const { body } = await http.get(`/ghost/api/content/posts/?key=${GHOST_KEY}&limit=2&fields=nonsense`).expect(200);
    expect(body.posts).toEqual([{}, {}]);
  });

  it('names the unsupported filter field, operator or value', async () => {
    const { http } = await ghostApp();
    const field = await http
      .get(`/ghost/api/content/posts/?key=${GHOST_KEY}&filter=${encodeURIComponent('tag:news+nonsense:1')}`)
      .expect(400);
    expect(field.body.errors[0].message).toBe('Unsupported filter: field "nonsense"');
    const op = await http.get(`/ghost/api/content/posts/?key=${GHOST_KEY}&filter=${encodeURIComponent('featured:>true')}`).expect(400);
    expect(op.body.errors[0].message).toBe('Unsupported filter: operator $gt on "featured"');
  });
});

describe('caching, as for /v1', () => {
  it('sends ETag, Last-Modified, Cache-Control and Surrogate-Key; If-None-Match answers 304; HEAD works', async () => {
    const { http } = await ghostApp();
    const url = `/ghost/api/content/posts/?key=${GHOST_KEY}&include=tags`;
    const first = await http.get(url).expect(200);
    expect(first.headers.etag).toMatch(/^W\//);
    expect(first.headers['last-modified']).toBeDefined();
    expect(first.headers['cache-control']).toMatch(/^public, max-age=/);
    expect(first.headers['surrogate-key']).toContain('post:en/js-intro');
    await http.get(url).set('if-none-match', first.headers.etag!).expect(304);
    const head = await http.head(url).expect(200);
    expect(head.headers.etag).toBe(first.headers.etag);
  });

  it('keeps responses in the response cache until an import changes what they hold', async () => {
    const { http } = await ghostApp(true, 2);
    const list = `/ghost/api/content/posts/?key=${GHOST_KEY}&limit=all&fields=slug,excerpt`;
    const one = `/ghost/api/content/posts/slug/js-async/?key=${GHOST_KEY}`;
    const tags = `/ghost/api/content/tags/?key=${GHOST_KEY}&include=count.posts`;
    for (const url of [list, one, tags]) {
      expect((await http.get(url).expect(200)).headers['x-cache']).toBe('MISS');
      expect((await http.get(url).expect(200)).headers['x-cache']).toBe('HIT');
    }
    // A wrong key is a different URL: never answered from what a right one cached.
    await http.get(list.replace(GHOST_KEY, OTHER_KEY)).expect(401);

    cleanups.push(async () => {
      await content.write('js-async.md', GHOST_BLOG['js-async.md']);
      await importDir(t.db, content.dir);
    });
    // An edit in place names the post alone: the list and the read holding it go, not the tags.
    const revisedFile = (tags: string[]) =>
      post(
        'js-async',
        { title: 'Async JavaScript', date: '2024-02-01', tags, categories: ['Tutorials'], author: 'Ada' },
        'Revised body.\n',
      );
    await content.write('js-async.md', revisedFile(['JavaScript', 'Async']));
    await importDir(t.db, content.dir);
    const revised = await waitFor(async () => {
      const res = await http.get(one).expect(200);
      return res.body.posts[0].excerpt === 'Revised body.' && res;
    });
    expect(revised.headers['x-cache']).toBe('MISS');
    const listed = await http.get(list).expect(200);
    expect(listed.headers['x-cache']).toBe('MISS');
    expect(listed.body.posts.find((p: { slug: string }) => p.slug === 'js-async').excerpt).toBe('Revised body.');
    expect((await http.get(tags).expect(200)).headers['x-cache']).toBe('HIT');
    // A new tag moves the post among lists: the tag counts are made again.
    await content.write('js-async.md', revisedFile(['JavaScript', 'Async', 'Python']));
    await importDir(t.db, content.dir);
    const counted = await waitFor(async () => {
      const res = await http.get(tags).expect(200);
      return res.body.tags.find((x: { slug: string }) => x.slug === 'python').count.posts === 3 && res;
    });
    expect(counted.headers['x-cache']).toBe('MISS');
  });
});
