import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import supertest from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { IMPORT_LOCK_KEY } from '../../src/importer/apply.js';
import { adminDeps, startApp, type TestApp, testDeps } from '../support/app.js';
import { article, contentDir, type ContentDir, DEFAULT_IMPORTER, post } from '../support/content.js';
import { multipart } from '../support/multipart.js';
import { createTestDatabase, type TestDatabase, truncateAll } from '../support/postgres.js';

const TOKEN = 'admin-token-0123456789abcdef';

let t: TestDatabase;
let content: ContentDir;
let app: FastifyInstance;
let http: ReturnType<typeof supertest>;

beforeAll(async () => {
  t = await createTestDatabase();
  content = await contentDir();
  const deps = testDeps(t, {
    admin: adminDeps({ token: TOKEN, contentDir: content.dir, importer: { ...DEFAULT_IMPORTER, lockTimeoutMs: 300 } }),
  });
  app = await buildApp({ ...deps, onClose: () => deps.reader.close() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  http = supertest(app.server);
});
afterAll(async () => {
  await app.close();
  await content.cleanup();
  await t.drop();
});
afterEach(async () => {
  await content.clear();
  await truncateAll(t.db);
});

const auth = { authorization: `Bearer ${TOKEN}` };

describe('admin routes', () => {
  it('do not exist without a configured token', async () => {
    const plain: TestApp = await startApp(t);
    try {
      await plain.http.post('/v1/admin/imports').set(auth).expect(404);
      await plain.http.get('/v1/admin/imports').set(auth).expect(404);
    } finally {
      await plain.app.close();
    }
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: 'Bearer nope' }],
    ['a token one character off', { authorization: `Bearer ${TOKEN.slice(0, -1)}x` }],
    ['a longer token', { authorization: `Bearer ${TOKEN}x` }],
    ['another scheme', { authorization: `Basic ${TOKEN}` }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('refuse %s with the same 401 problem', async (_, headers) => {
    const res = await http.get('/v1/admin/imports').set(headers).expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="quire-admin"');
    expect(res.body).toMatchObject({ type: '/problems/unauthorized', status: 401 });
  });
});

describe('POST /v1/admin/imports', () => {
  it("imports the content folder and returns the run's summary", async () => {
    await content.write('a.md', post('a'));
    await content.write('b.md', post('b'));
    const first = await http.post('/v1/admin/imports').set(auth).expect(200);
    expect(first.body).toMatchObject({ status: 'succeeded', dryRun: false, files: 2, unchanged: 0 });
    expect(first.body.created.map((c: { slug: string }) => c.slug)).toEqual(['a', 'b']);
    const second = await http.post('/v1/admin/imports').set(auth).expect(200);
    expect(second.body).toMatchObject({ created: [], updated: [], unchanged: 2 });
    expect(await t.db.importRun.findFirstOrThrow({ orderBy: { id: 'desc' } })).toMatchObject({ trigger: 'http:127.0.0.1' });
  });

  it('takes the flags as query parameters', async () => {
    await content.write('a.md', post('a'));
    const res = await http.post('/v1/admin/imports?dryRun=true').set(auth).expect(200);
    expect(res.body).toMatchObject({ dryRun: true, runId: null });
    expect(await t.db.post.count()).toBe(0);
    const bad = await http.post('/v1/admin/imports?dryrun=yes').set(auth).expect(400);
    expect(bad.body.errors).toEqual([{ in: 'query', name: 'dryrun', reason: 'is not a known parameter' }]);
  });

  it('answers 422 with every file problem when the folder is invalid, and writes nothing', async () => {
    await content.write('a.md', post('a'));
    await content.write('bad.md', article({ title: 'Bad', date: 'later' }));
    const res = await http.post('/v1/admin/imports').set(auth).expect(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: '/problems/import-failed', status: 422 });
    expect(res.body.files).toEqual([{ file: 'bad.md', field: 'date', line: 3, message: expect.stringMatching(/not a date/) }]);
    expect(res.body.summary).toMatchObject({ status: 'failed' });
    expect(await t.db.post.count()).toBe(0);
  });

  it('returns a partial summary with skipInvalid', async () => {
    await content.write('a.md', post('a'));
    await content.write('bad.md', article({ title: 'Bad', date: 'later' }));
    const res = await http.post('/v1/admin/imports?skipInvalid=true').set(auth).expect(200);
    expect(res.body).toMatchObject({ status: 'partial', problems: [{ file: 'bad.md' }] });
    expect(await t.db.post.count()).toBe(1);
  });

  it("imports uploaded Markdown files beside the database's posts", async () => {
    await content.write('a.md', post('a'));
    await http.post('/v1/admin/imports').set(auth).expect(200);
    const upload = multipart([{ name: 'posts/uploaded.md', text: post('uploaded', {}, '[a](/posts/a)') }]);
    const res = await http.post('/v1/admin/imports').set(auth).type(upload.type).send(upload.body).expect(200);
    expect(res.body.created).toEqual([
      { kind: 'post', slug: 'uploaded', lang: 'en', path: '/posts/uploaded/', sourcePath: 'posts/uploaded.md' },
    ]);
    expect(res.body).toMatchObject({ missing: [], warnings: [] });
    expect(await t.db.post.count()).toBe(2);
  });

  it('honours options sent as JSON: a dry run is a dry run', async () => {
    await content.write('a.md', post('a'));
    const dry = await http.post('/v1/admin/imports').set(auth).send({ dryRun: true }).expect(200);
    expect(dry.body).toMatchObject({ dryRun: true, runId: null });
    expect(dry.body.created.map((c: { slug: string }) => c.slug)).toEqual(['a']);
    expect(await t.db.post.count()).toBe(0);
    const bad = await http.post('/v1/admin/imports').set(auth).send({ dryrun: true }).expect(400);
    expect(bad.body.errors).toEqual([{ in: 'body', name: 'dryrun', reason: 'is not a known parameter' }]);
    const other = await http.post('/v1/admin/imports').set(auth).set('content-type', 'text/plain').send('dryRun=true').expect(415);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await t.db.post.count()).toBe(0);
  });

  it.each(['../escape.md', '/etc/passwd.md', 'notes.exe', 'run.js', '.hidden/x.md'])('refuses an upload named %s', async (filename) => {
    const upload = multipart([{ name: filename, text: post('x') }]);
    const res = await http.post('/v1/admin/imports').set(auth).type(upload.type).send(upload.body).expect(400);
    expect(res.body.detail).toContain(filename);
    expect(await t.db.post.count()).toBe(0);
  });

  it('answers 409 while another import holds the lock', async () => {
    await content.write('a.md', post('a'));
    const holder = new pg.Client({ connectionString: t.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK_KEY]);
      const res = await http.post('/v1/admin/imports').set(auth).expect(409);
      expect(res.body).toMatchObject({ type: '/problems/import-in-progress' });
    } finally {
      await holder.end();
    }
  });
});

describe('GET /v1/admin/imports', () => {
  it('lists past runs, newest first, failed ones with their errors', async () => {
    await content.write('a.md', post('a'));
    await http.post('/v1/admin/imports').set(auth).expect(200);
    await content.write('bad.md', article({ title: 'x', date: 'someday' }));
    await http.post('/v1/admin/imports').set(auth).expect(422);
    const res = await http.get('/v1/admin/imports?limit=10').set(auth).expect(200);
    expect(res.body.meta).toMatchObject({ total: 2 });
    expect(res.body.data.map((r: { status: string }) => r.status)).toEqual(['failed', 'succeeded']);
    expect(res.body.data[0]).toMatchObject({ failed: 1, errors: [{ file: 'bad.md', field: 'date' }], trigger: 'http:127.0.0.1' });
    expect(res.body.data[1]).toMatchObject({ created: 1, options: { prune: false, partial: false } });
  });
});
