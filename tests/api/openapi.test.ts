import { readFile } from 'node:fs/promises';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT, generateTypes, TYPES } from '../../openapi/generate.js';
import { GHOST_ERROR_STATUS } from '../../src/ghost/errors.js';
import { startApp, TEST_CONFIG, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

let t: TestDatabase;
let api: TestApp;
let served: Record<string, any>;

beforeAll(async () => {
  t = await createTestDatabase();
  // With admin routes and the Ghost layer on: the committed document describes every route.
  api = await startApp(
    t,
    { token: 'x'.repeat(32) },
    { rateLimit: TEST_CONFIG.rateLimit, ghost: { keys: ['0'.repeat(26)], limitAll: false } },
  );
  served = (await api.http.get('/openapi.json').expect(200)).body;
});
afterAll(async () => {
  await api.app.close();
  await t.drop();
});

describe('GET /openapi.json', () => {
  it('serves an OpenAPI 3.1 document covering every route', () => {
    expect(served.openapi).toBe('3.1.0');
    expect(Object.keys(served.paths).sort()).toEqual([
      // The Ghost layer at its canonical prefix (not /ghost/api/v4/content/ and the like).
      ...['authors', 'newsletters', 'offers', 'pages', 'posts', 'recommendations', 'settings', 'tags', 'tiers'].flatMap((r) => [
        `/ghost/api/content/${r}/`,
        ...(['authors', 'pages', 'posts', 'tags'].includes(r)
          ? [`/ghost/api/content/${r}/slug/{slug}/`, `/ghost/api/content/${r}/{id}/`]
          : []),
      ]),
      '/healthz',
      '/readyz',
      '/sitemap.xml',
      '/v1/admin/imports',
      '/v1/admin/previews',
      '/v1/authors',
      '/v1/authors/{slug}',
      '/v1/authors/{slug}/feed.atom',
      '/v1/authors/{slug}/feed.json',
      '/v1/authors/{slug}/feed.xml',
      '/v1/authors/{slug}/posts',
      '/v1/categories',
      '/v1/categories/{slug}',
      '/v1/categories/{slug}/feed.atom',
      '/v1/categories/{slug}/feed.json',
      '/v1/categories/{slug}/feed.xml',
      '/v1/categories/{slug}/posts',
      '/v1/export/posts',
      '/v1/feed.atom',
      '/v1/feed.json',
      '/v1/feed.xml',
      '/v1/media/{hash}/{name}',
      '/v1/pages',
      '/v1/pages/{slug}',
      '/v1/posts',
      '/v1/posts/{slug}',
      '/v1/resolve',
      '/v1/search',
      '/v1/tags',
      '/v1/tags/{slug}',
      '/v1/tags/{slug}/feed.atom',
      '/v1/tags/{slug}/feed.json',
      '/v1/tags/{slug}/feed.xml',
      '/v1/tags/{slug}/posts',
    ]);
    const operations = Object.values(served.paths).flatMap((p) => Object.values(p as object));
    const ids = operations.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const heads = Object.values(served.paths).flatMap((p: any) => (p.head ? [p.head] : []));
    // Every GET has its HEAD twin: the same responses and headers, no bodies.
    expect(heads).toHaveLength(Object.values(served.paths).filter((p: any) => p.get).length);
    for (const op of heads) expect(Object.values(op.responses).filter((r: any) => r.content)).toEqual([]);
    for (const op of operations) {
      expect(op.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      if (!heads.includes(op)) expect(Object.keys(op.responses['200'].content)).toHaveLength(1);
      // Every error a route can answer is documented as a problem; the Ghost layer's in
      // Ghost's error shape (its contract is Ghost's), but for the server's own refusals
      // before any route (413, 431), which are problems there too.
      const ghost = Object.entries(served.paths).some(([path, p]) => path.startsWith('/ghost/') && Object.values(p as object).includes(op));
      for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
        if (Number(status) < 400 || heads.includes(op)) continue;
        if (ghost && !['413', '431'].includes(status)) {
          expect(response.content).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/GhostErrors' } } });
          expect(Object.values(GHOST_ERROR_STATUS)).toContain(Number(status));
        } else expect(Object.keys(response.content)).toEqual(['application/problem+json']);
      }
    }
    const refs = [...JSON.stringify(served).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    for (const ref of refs) expect(served.components.schemas).toHaveProperty(ref!);
  });

  it("passes Redocly's recommended lint rules with no error", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(served), absoluteRef: 'openapi.json', config });
    // Ghost's paths end with a slash, as Ghost serves them and its clients call them: the
    // one rule the Ghost layer is exempt from, on its own paths only.
    const ghostSlash = (p: (typeof problems)[number]) =>
      p.ruleId === 'no-path-trailing-slash' && !!p.location[0]?.pointer?.startsWith('#/paths/~1ghost~1');
    expect(problems.filter(ghostSlash).length).toBe(17);
    const errors = problems
      .filter((p) => p.severity === 'error' && !ghostSlash(p))
      .map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(errors).toEqual([]);
    const warnings = problems.filter((p) => p.severity === 'warn').map((p) => `${p.ruleId} ${p.location[0]?.pointer}`);
    expect(warnings).toEqual([]);
  });

  it('has examples for the main shapes', () => {
    for (const name of [
      'PostDetail',
      'PostSummary',
      'Post',
      'Cover',
      'Tag',
      'Author',
      'Problem',
      'ListMeta',
      'GhostErrors',
      'GhostPagination',
    ]) {
      expect(served.components.schemas[name].examples?.length, name).toBeGreaterThan(0);
    }
  });

  it('matches the committed openapi/openapi.json and openapi/types.ts (run `npm run openapi`)', async () => {
    const committed = await readFile(DOCUMENT, 'utf8');
    expect(served).toEqual(JSON.parse(committed));
    expect(await readFile(TYPES, 'utf8')).toBe(await generateTypes(committed));
  });
});
