import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app.js';
import { contentDir, type ContentDir, importDir, post } from '../support/content.js';
import { useTestDatabase } from '../support/postgres.js';

const t = useTestDatabase({ truncate: true });
let api: TestApp;
let content: ContentDir | undefined;

beforeAll(async () => {
  api = await startApp(t);
});
afterAll(async () => {
  await api.app.close();
});
afterEach(async () => {
  await content?.cleanup();
  content = undefined;
});

async function load(files: Record<string, string>) {
  content = await contentDir(files);
  await importDir(t.db, content.dir);
}

describe.each([
  ['tags', 'tags'],
  ['categories', 'categories'],
])('/v1/%s', (path, key) => {
  it('lists those with published posts, by name, with counts of published posts only', async () => {
    await load({
      'a.md': post('a', { [key]: ['Zeta', 'Alpha'] }),
      'b.md': post('b', { [key]: ['alpha'] }),
      'd.md': post('d', { [key]: ['Alpha', 'Hidden'], draft: true }),
      'f.md': post('f', { [key]: ['Later'], date: '2999-01-01' }),
    });
    const { body } = await api.http.get(`/v1/${path}`).expect(200);
    expect(body.data).toEqual([
      { slug: 'alpha', name: 'Alpha', postCount: 2 },
      { slug: 'zeta', name: 'Zeta', postCount: 1 },
    ]);
    expect(body.meta).toEqual({ page: 1, limit: 100, total: 2, totalPages: 1 });
  });

  it('pages, and keeps the total on a page past the end', async () => {
    await load({ 'a.md': post('a', { [key]: ['a1', 'a2', 'a3'] }) });
    const page2 = await api.http.get(`/v1/${path}?limit=2&page=2`).expect(200);
    expect(page2.body.data.map((x: { slug: string }) => x.slug)).toEqual(['a3']);
    const past = await api.http.get(`/v1/${path}?limit=2&page=5`).expect(200);
    expect(past.body).toMatchObject({ data: [], meta: { total: 3, totalPages: 2 } });
  });

  it('returns one by slug, and 404 for one with no published post', async () => {
    await load({ 'a.md': post('a', { [key]: ['Web Dev'] }), 'd.md': post('d', { [key]: ['Secret'], draft: true }) });
    const { body } = await api.http.get(`/v1/${path}/web-dev`).expect(200);
    expect(body.data).toEqual({ slug: 'web-dev', name: 'Web Dev', postCount: 1 });
    const missing = await api.http.get(`/v1/${path}/secret`).expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.body.detail).toContain('secret');
  });

  it('rejects a limit over 100 with a problem naming it', async () => {
    const res = await api.http.get(`/v1/${path}?limit=500`).expect(400);
    expect(res.body.errors).toEqual([{ in: 'query', name: 'limit', reason: 'must be at most 100' }]);
  });
});
