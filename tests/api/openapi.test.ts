import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

let t: TestDatabase;
let api: TestApp;

beforeAll(async () => {
  t = await createTestDatabase();
  // With admin routes on: the committed document describes every route.
  api = await startApp(t.db, { token: 'x'.repeat(32), contentDir: '/nonexistent', importer: { defaultLang: 'en' } });
});
afterAll(async () => {
  await api.app.close();
  await t.drop();
});

const COMMITTED = new URL('../../openapi/openapi.json', import.meta.url);

describe('GET /openapi.json', () => {
  it('serves an OpenAPI 3.1 document covering every route', async () => {
    const { body } = await api.http.get('/openapi.json').expect(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths).sort()).toEqual([
      '/healthz',
      '/readyz',
      '/v1/admin/imports',
      '/v1/categories',
      '/v1/categories/{slug}',
      '/v1/posts',
      '/v1/posts/{slug}',
      '/v1/tags',
      '/v1/tags/{slug}',
    ]);
    const operations = Object.values(body.paths).flatMap((p) => Object.values(p as object));
    expect(operations).toHaveLength(10);
    for (const op of operations) {
      expect(op.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.responses['200'].content['application/json'].schema).toBeDefined();
    }
    // Every $ref points at a schema the document defines.
    const refs = [...JSON.stringify(body).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    for (const ref of refs) expect(body.components.schemas).toHaveProperty(ref!);
    expect(body.paths['/v1/posts'].get.responses['400'].content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
  });

  it('matches the committed openapi/openapi.json (run `npm run openapi` after changing routes)', async () => {
    const { body } = await api.http.get('/openapi.json').expect(200);
    const committed = JSON.parse(await readFile(COMMITTED, 'utf8'));
    expect(body).toEqual(committed);
  });
});
