// The in-process response cache: hits skip the database, and no hit ever outlives the
// content it was made from (an import here or elsewhere, or a scheduled post going live).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.js';
import { type Change, type ContentWatch, watchContent } from '../../src/db/content-watch.js';
import { createReader } from '../../src/db/reader.js';
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
  const reader = createReader(t.url, { poolSize: 2 });
  const watch = await watchContent(reader, { listenUrl: t.url, clock });
  const app = await startApp(t, admin ? { token: 'x'.repeat(32), contentDir: content!.dir } : undefined, { watch, clock });
  cleanups.push(
    () => reader.close(),
    () => watch.close(),
    () => app.app.close(),
  );
  return { ...app, watch };
}
const cacheOf = async (http: TestApp['http'], url: string) => (await http.get(url).expect(200)).headers['x-cache'];

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
    for (const h of ['etag', 'last-modified', 'cache-control', 'surrogate-key', 'content-type'])
      expect(hit.headers[h]).toBe(miss.headers[h]);
    const notModified = await http
      .get('/v1/posts/a')
      .set('if-none-match', miss.headers.etag as string)
      .expect(304);
    expect(notModified.headers['x-cache']).toBe('HIT');
    await http.get('/v1/posts/a').set('if-none-match', '"other"').expect(200);
    await http
      .get('/v1/posts/a')
      .set('if-modified-since', miss.headers['last-modified'] as string)
      .expect(304);
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

  it('drops only what an edit touched: the post, the lists holding it, searches', async () => {
    content = await contentDir({ 'a.md': post('a', { tags: ['x'] }), 'b.md': post('b', { tags: ['y'], date: '2024-02-01' }) });
    await importDir(t.db, content.dir);
    const { http, watch } = await cachedApp();
    const urls = ['/v1/posts/a', '/v1/posts/b', '/v1/posts?tag=x', '/v1/posts?tag=y', '/v1/tags', '/v1/search?q=title'];
    for (const url of urls) await http.get(url).expect(200);
    for (const url of urls) expect(await cacheOf(http, url)).toBe('HIT');

    await content.write('a.md', post('a', { tags: ['x'] }, 'A new body.\n'));
    await importDir(t.db, content.dir);
    await watch.refresh();
    expect(Object.fromEntries(await Promise.all(urls.map(async (u) => [u, await cacheOf(http, u)])))).toEqual({
      '/v1/posts/a': 'MISS',
      '/v1/posts/b': 'HIT',
      '/v1/posts?tag=x': 'MISS',
      '/v1/posts?tag=y': 'HIT',
      '/v1/tags': 'HIT',
      '/v1/search?q=title': 'MISS',
    });
    expect((await http.get('/v1/posts/a').expect(200)).body.data.excerpt).toBe('A new body.');
  });

  it('drops the lists and the posts that show a new one (its neighbours, its related posts), not the others', async () => {
    content = await contentDir({
      'a.md': post('a', { tags: ['x'], date: '2024-01-01' }),
      'b.md': post('b', { tags: ['y'], date: '2024-02-01' }),
      'd.md': post('d', { tags: ['z'], date: '2024-03-01' }),
      'e.md': post('e', { tags: ['w'], date: '2024-04-01' }),
    });
    await importDir(t.db, content.dir);
    const { http, watch } = await cachedApp();
    const urls = ['/v1/posts/a', '/v1/posts/b', '/v1/posts/d', '/v1/posts/e', '/v1/posts', '/v1/tags', '/v1/feed.xml', '/v1/tags/x'];
    for (const url of urls) await http.get(url).expect(200);

    // c comes last by date (e's next) and shares tag y with b (b's related).
    await content.write('c.md', post('c', { tags: ['y'], date: '2024-04-15' }));
    const summary = await importDir(t.db, content.dir);
    await watch.refresh();
    expect(Object.fromEntries(await Promise.all(urls.map(async (u) => [u, await cacheOf(http, u)])))).toEqual({
      '/v1/posts/a': 'HIT',
      '/v1/posts/b': 'MISS',
      '/v1/posts/d': 'HIT',
      '/v1/posts/e': 'MISS',
      '/v1/posts': 'MISS',
      '/v1/tags': 'MISS',
      '/v1/feed.xml': 'MISS',
      '/v1/tags/x': 'MISS',
    });
    const [b, e] = [(await http.get('/v1/posts/b').expect(200)).body.data, (await http.get('/v1/posts/e').expect(200)).body.data];
    expect([b.related.map((r: { slug: string }) => r.slug), e.next?.slug]).toEqual([['c'], 'c']);
    expect(summary.created).toHaveLength(1);

    // Removing it (pruned) drops the same again, and still not a or d.
    await content.remove('c.md');
    await importDir(t.db, content.dir, { prune: true });
    await watch.refresh();
    expect([await cacheOf(http, '/v1/posts/a'), await cacheOf(http, '/v1/posts/d'), await cacheOf(http, '/v1/posts/e')]).toEqual([
      'HIT',
      'HIT',
      'MISS',
    ]);
    expect((await http.get('/v1/posts/e').expect(200)).body.data.next).toBeNull();
  });

  it("drops what another process's import touched (NOTIFY)", async () => {
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
    await http
      .post('/v1/admin/imports')
      .set('authorization', `Bearer ${'x'.repeat(32)}`)
      .expect(200);
    const list = await http.get('/v1/posts').expect(200);
    expect(list.body.data.map((p: { slug: string }) => p.slug).sort()).toEqual(['a', 'b']);
  });

  it('drops what a scheduled post going live, or a post expiring, touches, without an import', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    content = await contentDir({
      'far.md': post('far', { date: '2020-01-01' }),
      'old.md': post('old', { date: '2029-01-01' }),
      'soon.md': post('soon', { date: '2030-01-01T12:00:00Z' }),
      'brief.md': post('brief', { date: '2029-06-01', expiryDate: '2030-01-02' }),
    });
    await importDir(t.db, content.dir);
    const { http, watch } = await cachedApp(() => now);
    const before = await http.get('/v1/posts').expect(200);
    expect(before.body.data.map((p: { slug: string }) => p.slug)).toEqual(['brief', 'old', 'far']);
    for (const slug of ['far', 'old', 'brief']) await http.get(`/v1/posts/${slug}`).expect(200);
    expect((await http.get('/v1/posts').expect(200)).headers['x-cache']).toBe('HIT');
    now = new Date('2030-01-01T12:00:01Z');
    const after = await http.get('/v1/posts').expect(200);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body.data.map((p: { slug: string }) => p.slug)).toEqual(['soon', 'brief', 'old', 'far']);
    // Its neighbour shows it now; posts that do not show it stay cached.
    expect([await cacheOf(http, '/v1/posts/far'), await cacheOf(http, '/v1/posts/old')]).toEqual(['HIT', 'HIT']);
    const brief = await http.get('/v1/posts/brief').expect(200);
    expect([brief.headers['x-cache'], brief.body.data.next.slug]).toEqual(['MISS', 'soon']);
    // Content last changed when that post went live.
    expect(after.headers['last-modified']).toBe(new Date('2030-01-01T12:00:00Z').toUTCString());
    // Past its expiryDate (Hugo's), a post is gone: from lists, and by slug.
    await http.get('/v1/posts/brief').expect(200);
    // Passing a moment starts a read of what the next one touches; until it is done, the next
    // moment drops everything (safe, but not what this checks). Real moments are hours apart.
    await watch.refresh();
    now = new Date('2030-01-02T00:00:01Z');
    const expired = await http.get('/v1/posts').expect(200);
    expect([expired.headers['x-cache'], expired.body.data.map((p: { slug: string }) => p.slug)]).toEqual(['MISS', ['soon', 'old', 'far']]);
    await http.get('/v1/posts/brief').expect(404);
    expect(await cacheOf(http, '/v1/posts/far')).toBe('HIT');
    expect((await http.get('/v1/posts/old').expect(200)).body.data.next.slug).toBe('soon');
  });

  it('notices a version change on its next read even without a notification, and what it touched', async () => {
    content = await contentDir({ 'a.md': post('a') });
    await importDir(t.db, content.dir);
    const reader = createReader(t.url, { poolSize: 1 });
    const watch = await watchContent(reader, { pollMs: 60_000 });
    cleanups.push(
      () => reader.close(),
      () => watch.close(),
    );
    const heard: Change[] = [];
    watch.subscribe((c) => heard.push(c));
    const before = watch.version();
    await t.db.$executeRaw`UPDATE "ContentState" SET version = version + 1`; // no NOTIFY
    await t.db.$executeRaw`INSERT INTO "ContentChange" (version, keys) VALUES (${before + 1}, ${['post:en/a', 'search']}::text[])`;
    expect(watch.version()).toBe(before);
    await watch.refresh();
    expect([watch.version(), heard]).toEqual([before + 1, [['post:en/a', 'search']]]);
    // A version whose change is not on record (pruned, or written by an older Quire): all.
    await t.db.$executeRaw`UPDATE "ContentState" SET version = version + 2`;
    await watch.refresh();
    expect(heard.at(-1)).toBe('all');
  });
});
