// Webhooks after imports: written with the content (outbox), signed, retried with backoff,
// and never in the way of the import itself.
import http from 'node:http';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backoff, deliverDue, drain } from '../src/webhooks/dispatcher.js';
import { webhookOutbox } from '../src/webhooks/events.js';
import { verify } from '../src/webhooks/signature.js';
import { contentDir, type ContentDir, importDir, post } from './support/content.js';
import { createTestDatabase, type TestDatabase, truncateAll } from './support/postgres.js';

const SECRET = 'test-secret-0123456789';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local endpoint that records deliveries and answers with the statuses it is given. */
async function receiver(statuses: number[] = []) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise((r) => server.close(r)) };
}

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
  await t.db.webhookDelivery.deleteMany();
});

const events = async () =>
  (await t.db.webhookDelivery.findMany({ orderBy: { id: 'asc' } })).map((d) => ({
    event: d.event,
    posts: ((d.payload as { data: { posts?: { slug: string }[] } }).data.posts ?? []).map((p) => p.slug),
  }));

/** The import's hook that writes events for these URLs to the outbox. */
const hooks = (urls: string[]) => ({ onChange: webhookOutbox(urls)! });

describe('webhook events', () => {
  it("are written in the import's transaction: published for new public posts, one of each type per URL", async () => {
    content = await contentDir({ 'a.md': post('a'), 'b.md': post('b'), 'd.md': post('d', { draft: true }) });
    await importDir(t.db, content.dir, hooks(['http://127.0.0.1:9/one', 'http://127.0.0.1:9/two']));
    const rows = await t.db.webhookDelivery.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.url.slice(-3), r.event])).toEqual([
      ['one', 'post.published'],
      ['one', 'import.completed'],
      ['two', 'post.published'],
      ['two', 'import.completed'],
    ]);
    expect((await events())[0]!.posts).toEqual(['a', 'b']);
    // The same event to two URLs carries one id, so receivers can drop duplicates.
    const ids = rows.map((r) => (r.payload as { id: string }).id);
    expect(ids[0]).toBe(ids[2]);
    // What a CDN should purge comes along: new posts move every list, and show in each other.
    const completed = rows[1]!.payload as { type: string; data: { created: number; purge: string[] } };
    expect(completed).toMatchObject({ type: 'import.completed', data: { created: 3, updated: 0, deleted: 0 } });
    expect(completed.data.purge).toEqual(expect.arrayContaining(['posts', 'feeds', 'sitemap', 'tags', 'post:en/a', 'post:en/b']));
    expect(completed.data.purge).not.toContain('*');
  });

  it('follow what the public sees: updated, published when a draft goes public, deleted when a post goes', async () => {
    content = await contentDir({ 'a.md': post('a'), 'b.md': post('b', { draft: true }), 'c.md': post('c'), 'd.md': post('d') });
    const urls = hooks(['http://127.0.0.1:9/']);
    await importDir(t.db, content.dir, urls);
    await t.db.webhookDelivery.deleteMany();
    await content.write('a.md', post('a', { title: 'A2' }));
    await content.write('b.md', post('b'));
    await content.write('c.md', post('c', { draft: true }));
    await content.remove('d.md');
    await importDir(t.db, content.dir, { prune: true, ...urls });
    expect((await events()).filter((e) => e.event !== 'import.completed')).toEqual([
      { event: 'post.published', posts: ['b'] },
      { event: 'post.updated', posts: ['a'] },
      { event: 'post.deleted', posts: ['c', 'd'] },
    ]);
  });

  it('are not raised by a run that changed nothing', async () => {
    content = await contentDir({ 'a.md': post('a') });
    const urls = hooks(['http://127.0.0.1:9/']);
    await importDir(t.db, content.dir, urls);
    await t.db.webhookDelivery.deleteMany();
    await importDir(t.db, content.dir, urls);
    expect(await t.db.webhookDelivery.count()).toBe(0);
  });
});

describe('webhook delivery', () => {
  it('posts JSON signed with HMAC-SHA256 that a receiver can verify', async () => {
    const hook = await receiver();
    cleanups.push(hook.close);
    content = await contentDir({ 'a.md': post('a') });
    await importDir(t.db, content.dir, hooks([hook.url]));
    const result = await deliverDue(t.db, { secret: SECRET });
    expect(result).toEqual({ delivered: 2, retrying: 0, failed: 0 });
    expect(hook.received.map((r) => r.headers['quire-event']).sort()).toEqual(['import.completed', 'post.published']);
    for (const r of hook.received) {
      const signature = r.headers['quire-signature'] as string;
      expect(verify(SECRET, r.body, signature, Math.floor(Date.now() / 1000))).toBe(true);
      expect(verify('wrong-secret-0123456789', r.body, signature, Math.floor(Date.now() / 1000))).toBe(false);
      expect(verify(SECRET, `${r.body} `, signature, Math.floor(Date.now() / 1000))).toBe(false);
      expect(JSON.parse(r.body)).toMatchObject({ id: r.headers['quire-delivery'], type: r.headers['quire-event'] });
    }
    expect(await t.db.webhookDelivery.count({ where: { deliveredAt: null } })).toBe(0);
  });

  it('retries failures with exponential backoff until the endpoint takes them', async () => {
    const hook = await receiver([500, 503]);
    cleanups.push(hook.close);
    await t.db.webhookDelivery.create({
      data: { event: 'import.completed', url: hook.url, payload: { id: 'x', type: 'import.completed', data: {} } },
    });
    let now = new Date(Date.now() + 1000);
    const step = () => deliverDue(t.db, { secret: SECRET, baseDelayMs: 1000, now: () => now });

    expect(await step()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    const first = await t.db.webhookDelivery.findFirstOrThrow();
    expect(first).toMatchObject({ attempts: 1, lastError: 'HTTP 500', deliveredAt: null });
    expect(first.nextAttemptAt.getTime() - now.getTime()).toBe(1000);
    expect(await step()).toEqual({ delivered: 0, retrying: 0, failed: 0 }); // not due yet

    now = new Date(first.nextAttemptAt.getTime());
    expect(await step()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    const second = await t.db.webhookDelivery.findFirstOrThrow();
    expect(second.nextAttemptAt.getTime() - now.getTime()).toBe(2000);

    now = second.nextAttemptAt;
    expect(await step()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(await t.db.webhookDelivery.findFirstOrThrow()).toMatchObject({ attempts: 3, deliveredAt: now, lastError: null });
    expect(hook.received).toHaveLength(3);
  });

  it('gives up after the last attempt, and never fails the import when the endpoint is down', async () => {
    content = await contentDir({ 'a.md': post('a') });
    const summary = await importDir(t.db, content.dir, hooks(['http://127.0.0.1:9/closed']));
    expect(summary.status).toBe('succeeded');
    let now = new Date();
    for (let i = 0; i < 3; i++) {
      await deliverDue(t.db, { secret: SECRET, maxAttempts: 3, timeoutMs: 1000, now: () => now });
      now = new Date(now.getTime() + 60 * 60_000);
    }
    const rows = await t.db.webhookDelivery.findMany();
    expect(rows.every((r) => r.attempts === 3 && r.failedAt !== null && r.deliveredAt === null)).toBe(true);
    expect(rows[0]!.lastError).toMatch(/fetch failed|ECONNREFUSED/);
  });

  it('drains what is due within a deadline and leaves the rest for later', async () => {
    const hook = await receiver([500]);
    cleanups.push(hook.close);
    await t.db.webhookDelivery.create({ data: { event: 'e', url: hook.url, payload: { id: 'y', type: 'e', data: {} } } });
    const r = await drain(t.db, { secret: SECRET, baseDelayMs: 50 }, 5_000);
    expect(r).toMatchObject({ delivered: 1, pending: 0 });
    expect(hook.received).toHaveLength(2);
  });

  it('backs off 1 s, 2 s, 4 s … up to an hour', () => {
    expect([1, 2, 3, 4, 30].map((n) => backoff(n, 1000))).toEqual([1000, 2000, 4000, 8000, 3_600_000]);
  });
});
