// Generated requests against every Ghost route, with a valid key: random NQL built from the
// language's own pieces (fields, operators, values, combinators, broken syntax), orders,
// includes, fields, formats, limits and paths. None may answer 5xx, and every refusal is in
// Ghost's error shape with Ghost's status for its type.
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { GHOST_ERROR_STATUS } from '../../src/ghost/errors.js';
import { testDeps } from '../support/app.js';
import { loadBlog } from '../support/blog.js';
import type { ContentDir } from '../support/content.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { GHOST_BLOG, GHOST_KEY } from './blog.js';

const RUNS = Number(process.env.GHOST_FUZZ_RUNS ?? 1_000);

let t: TestDatabase;
let content: ContentDir;
let app: FastifyInstance;

beforeAll(async () => {
  t = await createTestDatabase();
  ({ content } = await loadBlog(t.db, GHOST_BLOG));
  const deps = testDeps(t, { ghost: { keys: [GHOST_KEY], limitAll: false } });
  app = await buildApp({ ...deps, onClose: () => deps.reader.close() });
}, 60_000);
afterAll(async () => {
  await app.close();
  await content.cleanup();
  await t.drop();
});

const FIELDS = [
  'tag',
  'tags',
  'tags.slug',
  'author',
  'authors',
  'primary_tag',
  'primary_author',
  'featured',
  'slug',
  'id',
  'uuid',
  'title',
  'published_at',
  'updated_at',
  'created_at',
  'visibility',
  'status',
  'name',
  'count.posts',
  'nonsense',
  'tags.name',
];
const VALUES = [
  'javascript',
  'news',
  'ada',
  'true',
  'false',
  'null',
  "'2024-01-01'",
  "'2024-13-45'",
  'now-30d',
  "'it''s'",
  "'a\\'b'",
  '123456789012345678901234',
  '0',
  '-1',
  "''",
  'x',
  '日本語',
  "'%'",
  "'_'",
  "'\\\\'",
  "'.*'",
  "'(a|b)'",
];
const OPS = ['', '-', '>', '>=', '<', '<=', '~', '~^', '~$', '-~'];
const condition = fc.oneof(
  fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom(...OPS), fc.constantFrom(...VALUES)).map(([f, op, v]) => `${f}:${op}${v}`),
  fc
    .tuple(fc.constantFrom(...FIELDS), fc.boolean(), fc.array(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 3 }))
    .map(([f, not, vs]) => `${f}:${not ? '-' : ''}[${vs.join(',')}]`),
);
const filter = fc.oneof(
  fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small' },
      condition,
      fc.tuple(tie('expr'), fc.constantFrom('+', ','), tie('expr')).map(([a, op, b]) => `${a}${op}${b}`),
      tie('expr').map((e) => `(${e})`),
    ),
  })).expr,
  fc.string({ maxLength: 30 }),
  fc.constantFrom('', '(', ')', 'tag:', ':', '+', 'tag:[', 'tag:[]', "tag:'", 'tag:a+', ',tag:a'),
);
const param = fc.oneof(
  fc.tuple(fc.constant('filter'), filter),
  fc.tuple(
    fc.constant('order'),
    fc.oneof(
      fc.constantFrom('published_at desc', 'title asc', 'count.posts desc', 'name', 'featured desc, title', 'nope asc', 'title up', ''),
      fc.string({ maxLength: 20 }),
    ),
  ),
  fc.tuple(fc.constant('include'), fc.constantFrom('tags', 'authors', 'tags,authors', 'count.posts', 'tiers', 'nope', '', ',')),
  fc.tuple(fc.constant('fields'), fc.constantFrom('title', 'id,slug,html', 'nope', '', 'tags,primary_tag', ',,')),
  fc.tuple(fc.constant('formats'), fc.constantFrom('html', 'plaintext', 'html,plaintext', 'mobiledoc', '')),
  fc.tuple(fc.constant('limit'), fc.constantFrom('all', '1', '15', '100', '101', '0', '-1', 'abc', '1.5', '9'.repeat(30), '')),
  fc.tuple(fc.constant('page'), fc.constantFrom('1', '2', '999999', '0', '-1', 'x', '1e3', '')),
  fc.tuple(fc.constantFrom('key', 'absolute_urls', 'x'), fc.string({ maxLength: 10 })),
);
const RESOURCE = ['posts', 'pages', 'tags', 'authors'];
const path = fc.oneof(
  fc.constantFrom(...RESOURCE, 'settings', 'tiers', 'newsletters', 'offers', 'recommendations', 'members', '').map((r) => `${r}/`),
  fc
    .tuple(
      fc.constantFrom(...RESOURCE),
      fc.oneof(
        fc.constantFrom('js-intro', 'javascript', 'ada', 'about', '%00', 'a'.repeat(300), '日本語'),
        fc.string({ maxLength: 30 }).map(encodeURIComponent),
      ),
    )
    .map(([r, s]) => `${r}/slug/${s}/`),
  fc
    .tuple(
      fc.constantFrom(...RESOURCE, 'offers'),
      fc.oneof(
        fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 24, maxLength: 24 }),
        fc.string({ maxLength: 30 }).map(encodeURIComponent),
      ),
    )
    .map(([r, id]) => `${r}/${id}/`),
);

describe('Ghost layer fuzzing', () => {
  it(`answers ${RUNS} generated requests without a 5xx, refusing in Ghost's shape`, async () => {
    await fc.assert(
      fc.asyncProperty(
        path,
        fc.array(param, { maxLength: 5 }),
        fc.constantFrom('content', 'v2/content', 'v4/content'),
        async (p, params, prefix) => {
          const qs = [`key=${GHOST_KEY}`, ...params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`)].join('&');
          const url = `/ghost/api/${prefix}/${p}?${qs}`;
          const res = await app.inject({ method: 'GET', url });
          expect(res.statusCode, url).toBeLessThan(500);
          // A path segment over 200 characters matches no route: the router refuses it before
          // any plugin, with Quire's 404 problem (no Ghost client sends such a slug).
          if (p.split('/').some((s) => s.length > 200)) {
            expect(res.statusCode).toBe(404);
            return;
          }
          expect(res.headers['content-type'], url).toMatch(/^application\/json/);
          const body = res.json<Record<string, unknown>>();
          if (res.statusCode >= 400) {
            const [error] = body.errors as { type: keyof typeof GHOST_ERROR_STATUS; message: string }[];
            expect(GHOST_ERROR_STATUS[error!.type], url).toBe(res.statusCode);
            expect(error!.message, url).toEqual(expect.any(String));
          }
        },
      ),
      { numRuns: RUNS },
    );
  }, 300_000);
});
