// Conditional GETs, cache headers for CDNs, surrogate keys, CORS, compression, security
// headers and the interactive docs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app.js';
import { contentDir, type ContentDir, importDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

let t: TestDatabase;
let api: TestApp;
let content: ContentDir;

beforeAll(async () => {
  t = await createTestDatabase();
  api = await startApp(t, undefined, {
    http: { corsOrigins: ['https://app.example.com'], cache: { maxAge: 30, sMaxAge: 600, staleWhileRevalidate: 3600 } },
  });
  content = await contentDir({
    'a.md': post('a', { tags: ['x'], categories: ['C'], author: 'Ada' }, 'Some text.\n'),
    'b.md': post('b', { date: '2024-02-01', tags: ['日本語'] }),
    'long.md': post('long', { date: '2023-01-01' }, `${'Long text to compress. '.repeat(300)}\n`),
  });
  await importDir(t.db, content.dir);
});
afterAll(async () => {
  await api.app.close();
  await content.cleanup();
  await t.drop();
});

const get = (url: string) => api.http.get(url);

describe('conditional GET', () => {
  it('answers If-None-Match with 304 until the content changes, then with the new content', async () => {
    const first = await get('/v1/posts/a').expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"/);
    const again = await get('/v1/posts/a').set('if-none-match', etag).expect(304);
    expect(again.text).toBe('');

    await content.write('a.md', post('a', { title: 'Changed', tags: ['x'], categories: ['C'], author: 'Ada' }));
    await importDir(t.db, content.dir);
    const changed = await get('/v1/posts/a').set('if-none-match', etag).expect(200);
    expect(changed.body.data.title).toBe('Changed');
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('keeps the ETag of a post an import did not change, though the version moved', async () => {
    const before = await get('/v1/posts/b').expect(200);
    await content.write('c.md', post('c', { date: '2023-01-01' }));
    await importDir(t.db, content.dir);
    await get('/v1/posts/b')
      .set('if-none-match', before.headers.etag as string)
      .expect(304);
    await content.remove('c.md');
    await importDir(t.db, content.dir, { prune: true });
  });

  it('answers If-Modified-Since with 304 when nothing changed since, and 200 otherwise', async () => {
    const res = await get('/v1/posts').expect(200);
    const modified = res.headers['last-modified'] as string;
    expect(new Date(modified).getTime()).toBeGreaterThan(Date.now() - 3_600_000);
    await get('/v1/posts').set('if-modified-since', modified).expect(304);
    await get('/v1/posts')
      .set('if-modified-since', new Date(Date.parse(modified) - 60_000).toUTCString())
      .expect(200);
  });

  it('puts ETag and Last-Modified on every public GET', async () => {
    for (const url of [
      '/v1/posts',
      '/v1/posts/a',
      '/v1/tags',
      '/v1/tags/x',
      '/v1/categories',
      '/v1/authors/ada',
      '/v1/search?q=text',
      '/v1/feed.xml',
      '/sitemap.xml',
    ]) {
      const res = await get(url).expect(200);
      expect(res.headers.etag, url).toBeDefined();
      expect(res.headers['last-modified'], url).toBeDefined();
    }
  });
});

describe('cache headers', () => {
  it('lets CDNs keep public responses, as configured', async () => {
    const res = await get('/v1/posts').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=30, s-maxage=600, stale-while-revalidate=3600');
  });

  it('keeps errors, health and admin out of shared caches', async () => {
    expect((await get('/v1/posts/nope').expect(404)).headers['cache-control']).toBe('no-store');
    expect((await get('/v1/posts?limit=0').expect(400)).headers['cache-control']).toBe('no-store');
    expect((await get('/readyz').expect(200)).headers['cache-control']).toBe('no-store');
  });

  it('names the surrogate keys to purge a response by', async () => {
    expect((await get('/v1/posts/a').expect(200)).headers['surrogate-key']).toBe('post:en/a tag:x category:c author:ada');
    expect((await get('/v1/posts?tag=x').expect(200)).headers['surrogate-key']).toBe('posts tag:x post:en/a');
    expect((await get('/v1/tags').expect(200)).headers['surrogate-key']).toBe('tags tag:x tag:%E6%97%A5%E6%9C%AC%E8%AA%9E');
    // A slug in any script fits in a header, percent-encoded.
    expect((await get('/v1/posts/b').expect(200)).headers['surrogate-key']).toBe('post:en/b tag:%E6%97%A5%E6%9C%AC%E8%AA%9E');
  });
});

describe('transport', () => {
  it('allows the configured origins by CORS, and exposes the paging and caching headers', async () => {
    const res = await get('/v1/posts').set('origin', 'https://app.example.com').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(res.headers['access-control-expose-headers']).toContain('link');
    const other = await get('/v1/posts').set('origin', 'https://evil.example.com').expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await api.http
      .options('/v1/posts')
      .set('origin', 'https://app.example.com')
      .set('access-control-request-method', 'GET');
    expect(preflight.status).toBe(204);
  });

  it('compresses with brotli or gzip when asked', async () => {
    // node:http, which does not decompress: the bytes as they travel.
    const { port } = api.app.server.address() as AddressInfo;
    const br = await new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http
        .get({ port, path: '/v1/posts/long', headers: { 'accept-encoding': 'br' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });
    expect(br.headers['content-encoding']).toBe('br');
    expect(JSON.parse(zlib.brotliDecompressSync(br.body).toString()).data.slug).toBe('long');
    const gzip = await get('/v1/posts/long').set('accept-encoding', 'gzip').expect(200);
    expect(gzip.headers['content-encoding']).toBe('gzip');
  });

  it('sends security headers', async () => {
    const res = await get('/v1/posts').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    // HSTS only over https: over plain HTTP it would make browsers refuse the next request.
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('sends /docs over plain http with a policy that does not push the browser to https', async () => {
    for (const url of ['/docs/', '/docs/static/swagger-initializer.js']) {
      const res = await get(url).expect(200);
      const csp = res.headers['content-security-policy'] as string;
      expect(csp, url).toMatch(/script-src 'self'/); // Swagger UI's own policy, not the API's
      expect(csp, url).not.toMatch(/upgrade-insecure-requests/);
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
    expect((await get('/v1/posts').expect(200)).headers['strict-transport-security']).toBeUndefined();
  });

  it('sends HSTS only when the request came over https through a trusted proxy', async () => {
    const proxied = await startApp(t, undefined, { trustProxy: true });
    try {
      const https = await proxied.http.get('/docs/').set('x-forwarded-proto', 'https').expect(200);
      expect(https.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      const api = await proxied.http.get('/v1/posts').set('x-forwarded-proto', 'https').expect(200);
      expect(api.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      const plain = await proxied.http.get('/docs/').set('x-forwarded-proto', 'http').expect(200);
      expect(plain.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await proxied.app.close();
    }
    // Without QUIRE_TRUST_PROXY, anyone could claim https: the header is not believed.
    const claimed = await get('/docs/').set('x-forwarded-proto', 'https').expect(200);
    expect(claimed.headers['strict-transport-security']).toBeUndefined();
  });

  it('serves interactive docs at /docs with the OpenAPI document', async () => {
    const page = await get('/docs/').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('swagger-ui');
    const init = await get('/docs/static/swagger-initializer.js').expect(200);
    expect(init.text).toContain('/openapi.json');
  });
});
