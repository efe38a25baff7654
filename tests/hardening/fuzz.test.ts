// Thousands of generated requests with random and extreme paths, query values, encodings
// and headers, against every route: none may answer 5xx or leak a stack trace, and every
// 4xx is a problem document (on the Ghost layer, Ghost's error shape: its contract).
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { type ContentWatch, watchContent } from '../../src/db/content-watch.js';
import { GHOST_ERROR_STATUS } from '../../src/ghost/errors.js';
import { adminDeps, testDeps } from '../support/app.js';
import { loadBlog } from '../support/blog.js';
import type { ContentDir } from '../support/content.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

const TOKEN = 'fuzz-admin-token-0123456789';
const GHOST_KEY = 'f0220123456789abcdef012345';
export const FUZZ_RUNS = { get: 3_000, headers: 500, admin: 300 };

let t: TestDatabase;
let content: ContentDir;
let app: FastifyInstance;
let watch: ContentWatch;
let templates: string[];

beforeAll(async () => {
  t = await createTestDatabase();
  ({ content } = await loadBlog(t.db));
  const deps = testDeps(t, { admin: adminDeps({ token: TOKEN, contentDir: content.dir }), ghost: { keys: [GHOST_KEY], limitAll: false } });
  watch = await watchContent(deps.reader, { listenUrl: t.url });
  app = await buildApp({ ...deps, watch, onClose: () => deps.reader.close() });
  const doc = (await app.inject('/openapi.json')).json<{ paths: Record<string, unknown> }>();
  templates = [...Object.keys(doc.paths), '/openapi.json', '/docs/', '/nope', '/v1', '/v1/posts/'];
}, 60_000);
afterAll(async () => {
  await watch.close();
  await app.close();
  await content.cleanup();
  await t.drop();
});

const PARAMS = [
  'page',
  'limit',
  'cursor',
  'sort',
  'tag',
  'tagAll',
  'tagNot',
  'category',
  'categoryNot',
  'author',
  'lang',
  'from',
  'to',
  'q',
  'view',
  'fields',
  'format',
  'dryRun',
];
const EXTREME = [
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  '-0',
  'NaN',
  'Infinity',
  '9'.repeat(400),
  '0x10',
  '1.5',
  '100',
  '101',
  'true',
  'null',
  '%',
  '%Z',
  '%ZZ',
  '%00',
  '%C0%AF',
  '%E0%80%80',
  '%FF%FE',
  '%2e%2e%2f',
  '..%2F..%2F',
  '<script>',
  '"\'`;--',
  '\\u0000',
  'javascript:alert(1)',
  'a'.repeat(10_000),
  '日本語',
  '🚀',
  'x,y,,z',
  ',',
  'publishedAt',
  '-title',
  'relevance',
  'full',
  'eyJzIjoiLXB1Ymxpc2hlZEF0IiwidiI6InkiLCJpZCI6MX0',
  'e30',
  '2024-13-45',
  '2024-01-01T25:00:00Z',
  '9999-12-31',
];

const value = fc.oneof(
  fc.constantFrom(...EXTREME),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer().map(String),
  fc.double().map(String),
);
/** A query value as sent: sometimes percent-encoded, sometimes raw (encodings the client got wrong). */
const sent = fc.tuple(value, fc.boolean()).map(([v, raw]) => (raw ? v.replace(/[\s#&]/g, '') : encodeURIComponent(v)));
const query = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...PARAMS), fc.string({ maxLength: 12 })), sent), { maxLength: 6 })
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&'));
const segment = fc.oneof(
  fc.constantFrom(
    'js-intro',
    'py-async',
    'javascript',
    'tutorials',
    'ada',
    '..',
    '%2e%2e',
    '%2F',
    '%00',
    'a'.repeat(300),
    '日本語',
    '%E6%97%A5',
  ),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
);

/** A route's path with its parameters filled in. */
const fill = (template: string, value: string) => template.replace('{slug}', value).replace('{id}', value);
/** The Ghost layer's routes want their key first, or every request is a 403. */
const withKey = (template: string, q: string) => (template.startsWith('/ghost/') ? [`key=${GHOST_KEY}`, q].filter(Boolean).join('&') : q);

/** Ghost-shaped refusals seen: the fuzzing reached the layer's own error handling. */
let ghostRefusals = 0;

function checkResponse(url: string, res: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  expect(res.statusCode, url).toBeLessThan(500);
  expect(res.body, url).not.toMatch(/\n\s+at .+[/\\].+:\d+:\d+/); // a stack frame
  const path = url.replace(/^[A-Z]+ /, '').split('?')[0]!;
  // The Ghost layer's contract is Ghost's error shape (the document says so), not problem+json;
  // a path segment over 200 characters matches no route, and gets Quire's 404 problem there too.
  if (res.statusCode >= 400 && path.startsWith('/ghost/') && !path.split('/').some((s) => s.length > 200)) {
    expect(res.headers['content-type'], url).toMatch(/^application\/json/);
    const [error] = (JSON.parse(res.body) as { errors: { type: keyof typeof GHOST_ERROR_STATUS; message: string }[] }).errors;
    expect(GHOST_ERROR_STATUS[error!.type], url).toBe(res.statusCode);
    expect(error!.message, url).toEqual(expect.any(String));
    ghostRefusals++;
  } else if (res.statusCode >= 400) {
    expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(res.body) as Record<string, unknown>;
    expect(problem, url).toMatchObject({
      type: expect.stringMatching(/^\/problems\//),
      status: res.statusCode,
      detail: expect.any(String),
    });
  }
}

describe('HTTP fuzzing', () => {
  it(`answers ${FUZZ_RUNS.get} generated GETs on every route without a 5xx`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...templates), segment, query, async (template, slug, q) => {
        const query = withKey(template, q);
        const url = `${fill(template, slug)}${query ? `?${query}` : ''}`;
        checkResponse(url, await app.inject({ method: 'GET', url }));
      }),
      { numRuns: FUZZ_RUNS.get },
    );
    expect(ghostRefusals).toBeGreaterThan(0);
  }, 300_000);

  it(`survives ${FUZZ_RUNS.headers} generated conditional, encoding and method headers`, async () => {
    const header = fc.oneof(fc.constantFrom(...EXTREME), fc.string({ maxLength: 60 })).map((v) => v.replace(/[^\t\x20-\x7e]/g, ''));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...templates.filter((p) => !p.includes('admin'))),
        fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
        fc.record(
          { 'if-none-match': header, 'if-modified-since': header, 'accept-encoding': header, origin: header },
          { requiredKeys: [] },
        ),
        async (template, method, headers) => {
          const url = `${fill(template, 'js-intro')}${template.startsWith('/ghost/') ? `?${withKey(template, '')}` : ''}`;
          const res = await app.inject({ method: method as 'GET', url, headers });
          if (method !== 'HEAD') checkResponse(`${method} ${url}`, res);
          else expect(res.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: FUZZ_RUNS.headers },
    );
  }, 300_000);

  it(`refuses ${FUZZ_RUNS.admin} generated admin requests cleanly, bodies and tokens alike`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constant(`Bearer ${TOKEN}`),
          fc.string({ maxLength: 40 }).map((s) => `Bearer ${s.replace(/[^\x20-\x7e]/g, '')}`),
        ),
        fc.constantFrom('application/json', 'multipart/form-data; boundary=x', 'text/plain', 'application/xml', 'multipart/form-data'),
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.constantFrom('{}', '{"a":', '--x\r\nContent-Disposition: form-data; name="f"; filename="../a.md"\r\n\r\nx\r\n--x--', ''),
        ),
        query,
        async (authorization, type, body, q) => {
          const url = `/v1/admin/imports?dryRun=true${q ? `&${q}` : ''}`;
          checkResponse(url, await app.inject({ method: 'POST', url, headers: { authorization, 'content-type': type }, payload: body }));
        },
      ),
      { numRuns: FUZZ_RUNS.admin },
    );
    expect(await t.db.importRun.count({ where: { trigger: { startsWith: 'http' }, NOT: { status: 'succeeded' } } })).toBeGreaterThanOrEqual(
      0,
    );
  }, 300_000);

  it('refuses bodies over the size limit with 413', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/admin/imports',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      payload: `{"a":"${big}"}`,
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
