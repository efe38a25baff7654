// The in-process response cache: hits skip the database, and no hit ever outlives the
// content it was made from (an import here or elsewhere, or a scheduled post going live).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.js';
import { type ContentWatch, watchContent } from '../../src/db/content-watch.js';
import { startApp, type TestApp } from '../support/app.js';
import { contentDir, type ContentDir, importDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase, truncateAll } from '../support/postgres.js';
import { waitFor } from '../support/wait.js';

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

/** An app with the cache on, over its own watch; `clock` moves time for it. */
async function cachedApp(clock: () => Date = () => new Date(), admin = false): Promise<TestApp & { watch: ContentWatch }> {
  const watch = await watchContent(t.db, t.url, { clock });
  const app = await startApp(
    t.db,
    admin ? { token: 'x'.repeat(32), contentDir: content!.dir, importer: { defaultLang: 'en' } } : undefined,
    { watch, clock },
  );
  cleanups.push(() => watch.close(), () => app.app.close());
  return { ...app, watch };
}

describe('the response cache', () => {
  it('answers the second request from memory, with the same body and validators', async () => {
    content = await contentDir({ 'a.md': post('a', {}, `${'Words to compress. '.repeat(200)}\n`) });
    await importDir(t.db, content.dir);
    const { http } = await cachedApp();
    const miss = await http.get('/v1/posts/a').expect(200);
    expect(miss.headers['x-cache']).toBe('MISS');
    const hit = await http.get('/v1/posts/a').expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.body).toEqual(miss.body);
    for (const h of ['etag', 'last-modified', 'cache-control', 'surrogate-key', 'content-type']) expect(hit.headers[h]).toBe(miss.headers[h]);
    const notModified = await http.get('/v1/posts/a').set('if-none-match', miss.headers.etag as string).expect(304);
    expect(notModified.headers['x-cache']).toBe('HIT');
    await http.get('/v1/posts/a').set('if-none-match', '"other"').expect(200);
    await http.get('/v1/posts/a').set('if-modified-since', miss.headers['last-modified'] as string).expect(304);
    // Hits carry the headers the other hooks add, too.
    expect(hit.headers['x-content-type-options']).toBe('nosniff');
    expect(hit.headers['access-control-allow-origin']).toBe('*');
    const plain = await http.get('/v1/posts/a').set('accept-encoding', 'identity').expect(200);
    const head = await http.head('/v1/posts/a').set('accept-encoding', 'identity').expect(200);
    expect([head.headers['x-cache'], head.headers['content-length']]).toEqual(['HIT', plain.headers['content-length']]);
    const gzip = await http.get('/v1/posts/a').set('accept-encoding', 'gzip').expect(200);
    expect([gzip.headers['x-cache'], gzip.headers['content-encoding'], gzip.body.data.slug]).toEqual(['HIT', 'gzip', 'a']);
    // Another URL is another entry; errors are never kept.
    expect((await http.get('/v1/posts/a?format=text').expect(200)).headers['x-cache']).toBe('MISS');
    await http.get('/v1/posts/nope').expect(404);
    expect((await http.get('/v1/posts/nope').expect(404)).headers['x-cache']).toBeUndefined();
  });

  it('drops everything when another process imports (NOTIFY)', async () => {
    content = await contentDir({ 'a.md': post('a', { title: 'Before' }) });
    await importDir(t.db, content.dir);
    const { http } = await cachedApp();
    await http.get('/v1/posts/a').expect(200);
    expect((await http.get('/v1/posts/a').expect(200)).headers['x-cache']).toBe('HIT');

    // Another client, as another process would be: its import announces itself by NOTIFY.
    const other: Db = createDb(t.url, { poolSize: 1 });
    cleanups.push(() => other.$disconnect());
    await content.write('a.md', post('a', { title: 'After' }));
    await importDir(other, content.dir);
    const fresh = await waitFor(async () => {
      const res = await http.get('/v1/posts/a').expect(200);
      return res.body.data.title === 'After' && res;
    });
    expect(fresh.headers['x-cache']).toBe('MISS');
  });

  it('sees an import made through its own admin API at once', async () => {
    content = await contentDir({ 'a.md': post('a', { title: 'Before' }) });
    await importDir(t.db, content.dir);
    const { http } = await cachedApp(undefined, true);
    await http.get('/v1/posts').expect(200);
    await content.write('b.md', post('b'));
    await http.post('/v1/admin/imports').set('authorization', `Bearer ${'x'.repeat(32)}`).expect(200);
    const list = await http.get('/v1/posts').expect(200);
    expect(list.body.data.map((p: { slug: string }) => p.slug).sort()).toEqual(['a', 'b']);
  });

  it('drops everything when a scheduled post goes live, without an import', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    content = await contentDir({ 'old.md': post('old', { date: '2029-01-01' }), 'soon.md': post('soon', { date: '2030-01-01T12:00:00Z' }) });
    await importDir(t.db, content.dir);
    const { http } = await cachedApp(() => now);
    const before = await http.get('/v1/posts').expect(200);
    expect(before.body.data.map((p: { slug: string }) => p.slug)).toEqual(['old']);
    expect((await http.get('/v1/posts').expect(200)).headers['x-cache']).toBe('HIT');
    now = new Date('2030-01-01T12:00:01Z');
    const after = await http.get('/v1/posts').expect(200);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body.data.map((p: { slug: string }) => p.slug)).toEqual(['soon', 'old']);
    // Content last changed when that post went live.
    expect(after.headers['last-modified']).toBe(new Date('2030-01-01T12:00:00Z').toUTCString());
  });

  it('notices a version change on its next read even without a notification', async () => {
    content = await contentDir({ 'a.md': post('a') });
    await importDir(t.db, content.dir);
    const watch = await watchContent(t.db, t.url, { pollMs: 60_000 });
    cleanups.push(() => watch.close());
    const before = watch.generation();
    await t.db.$executeRaw`UPDATE "ContentState" SET version = version + 1`; // no NOTIFY
    expect(watch.generation()).toBe(before);
    await watch.refresh();
    expect(watch.generation()).toBe(before + 1);
  });
});
