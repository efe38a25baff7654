// GET /metrics: Prometheus text that counts every request (cache hits answered before
// Fastify too), and reports the cache, the content version, the pools and the import runs.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/config.js';
import { watchContent } from '../../src/db/content-watch.js';
import { createReader } from '../../src/db/reader.js';
import { importTotals } from '../../src/importer/runs.js';
import { appDeps } from '../../src/server.js';
import { startApp, type TestApp } from '../support/app.js';
import { contentDir, type ContentDir, importDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase, truncateAll } from '../support/postgres.js';

let t: TestDatabase;
let content: ContentDir | undefined;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
  await content?.cleanup();
  content = undefined;
  await truncateAll(t.db);
});

async function appWithMetrics(token?: string, extra: { rateLimit?: { public: number; admin: number } } = {}): Promise<TestApp> {
  const reader = createReader(t.url, { poolSize: 2 });
  const watch = await watchContent(reader, { listenUrl: t.url });
  const app = await startApp(t, undefined, {
    watch,
    ...extra,
    metrics: { token, pools: { primary: reader.pool }, imports: () => importTotals(reader) },
  });
  cleanups.push(
    () => reader.close(),
    () => watch.close(),
    () => app.app.close(),
  );
  return app;
}

/** The value of one sample, e.g. sample(text, 'quire_http_requests_total', { route: '/v1/posts/:slug' }). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

const scrape = async (http: TestApp['http'], token?: string) => {
  const req = http.get('/metrics');
  if (token) req.set('authorization', `Bearer ${token}`);
  const res = await req.expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  expect(res.headers['cache-control']).toBe('no-store');
  return res.text;
};

describe('GET /metrics', () => {
  it('does not exist unless turned on', async () => {
    const { http } = await startApp(t);
    cleanups.push(async () => {});
    await http.get('/metrics').expect(404);
  });

  it('counts routed requests and cache hits by route and status, with their latency', async () => {
    content = await contentDir({ 'a.md': post('a'), 'b.md': post('b') });
    await importDir(t.db, content.dir);
    const { http } = await appWithMetrics();
    const before = await scrape(http);
    expect(sample(before, 'quire_content_version')).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) await http.get('/v1/posts/a').expect(200);
    await http.get('/v1/posts/nope').expect(404);
    await http.get('/no/such/route').expect(404);
    const after = await scrape(http);
    const route = { method: 'GET', route: '/v1/posts/:slug' };
    // One miss, then two hits answered before Fastify: all three counted on their route.
    expect(sample(after, 'quire_http_requests_total', { ...route, status: '200' })).toBe(3);
    expect(sample(after, 'quire_http_requests_total', { ...route, status: '404' })).toBe(1);
    expect(sample(after, 'quire_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(sample(after, 'quire_http_request_duration_seconds_count', route)).toBe(4);
    expect(sample(after, 'quire_http_request_duration_seconds_bucket', { ...route, le: '+Inf' })).toBe(4);
    expect(sample(after, 'quire_response_cache_hits_total')).toBe(2);
    expect(sample(after, 'quire_response_cache_misses_total')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'quire_response_cache_entries')).toBe(1);
    expect(sample(after, 'quire_response_cache_bytes')).toBeGreaterThan(100);
    expect(sample(after, 'quire_db_pool_connections', { pool: 'primary' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'quire_db_pool_waiting', { pool: 'primary' })).toBe(0);
    expect(sample(after, 'quire_import_runs', { status: 'succeeded' })).toBe(1);
    expect(sample(after, 'quire_last_import_duration_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(after, 'quire_last_import_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 600);
    expect(sample(after, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('follows the content version when an import lands', async () => {
    content = await contentDir({ 'a.md': post('a') });
    await importDir(t.db, content.dir);
    const { http } = await appWithMetrics();
    const version = sample(await scrape(http), 'quire_content_version')!;
    await content.write('a.md', post('a', { title: 'Changed' }));
    await importDir(t.db, content.dir);
    const { waitFor } = await import('../support/wait.js');
    await waitFor(async () => sample(await scrape(http), 'quire_content_version') === version + 1);
    expect(sample(await scrape(http), 'quire_import_runs', { status: 'succeeded' })).toBe(2);
  });

  it('counts hits answered after the rate limit too (no fast path then), and 429s', async () => {
    content = await contentDir({ 'a.md': post('a') });
    await importDir(t.db, content.dir);
    const { http } = await appWithMetrics(undefined, { rateLimit: { public: 3, admin: 0 } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await http.get('/v1/posts/a')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const text = await scrape(http); // not rate limited itself
    const route = { method: 'GET', route: '/v1/posts/:slug' };
    expect(sample(text, 'quire_http_requests_total', { ...route, status: '200' })).toBe(3);
    expect(sample(text, 'quire_http_requests_total', { ...route, status: '429' })).toBe(1);
    expect(sample(text, 'quire_response_cache_hits_total')).toBe(2);
  });

  it('asks for its own bearer token when one is set', async () => {
    const token = 'metrics-token-0123456789';
    const { http } = await appWithMetrics(token);
    const refused = await http.get('/metrics').expect(401);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="quire-metrics"');
    await http.get('/metrics').set('authorization', 'Bearer wrong-token-0123456789').expect(401);
    expect(await scrape(http, token)).toContain('quire_http_requests_total');
    // Public routes stay open.
    await http.get('/healthz').expect(200);
  });

  it('is never open by accident: QUIRE_METRICS=on without a token refuses everyone; public must be said', async () => {
    const reader = createReader(t.url, { poolSize: 2 });
    cleanups.push(() => reader.close());
    const served = async (env: Record<string, string>, token?: string) => {
      const deps = appDeps(loadConfig(env), t.db, { reader, writer: reader }, undefined, { metrics: { pools: { primary: reader.pool } } });
      const app = await buildApp({ ...deps, logger: false });
      cleanups.push(() => app.close());
      return (await app.inject({ url: '/metrics', headers: token ? { authorization: `Bearer ${token}` } : {} })).statusCode;
    };
    const token = 'metrics-token-0123456789';
    expect(await served({ QUIRE_METRICS: 'on' })).toBe(401);
    expect(await served({ QUIRE_METRICS: 'on' }, token)).toBe(401);
    expect(await served({ QUIRE_METRICS: 'on', QUIRE_METRICS_TOKEN: token })).toBe(401);
    expect(await served({ QUIRE_METRICS: 'on', QUIRE_METRICS_TOKEN: token }, token)).toBe(200);
    expect(await served({ QUIRE_METRICS: 'public' })).toBe(200);
    // public with a token still asks for it
    expect(await served({ QUIRE_METRICS: 'public', QUIRE_METRICS_TOKEN: token })).toBe(401);
    expect(await served({ QUIRE_METRICS: 'off' })).toBe(404);
  });
});
