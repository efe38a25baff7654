// Faults, with real processes: the database stopped under a running server (a throwaway
// cluster this file starts and stops), an import killed mid-write, two imports at once,
// and a server told to stop while a response is still streaming.
import { request as httpGet, type IncomingMessage } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/corpus.js';
import { runCli, startCli } from '../support/cli.js';
import { createCluster, type Cluster } from '../support/cluster.js';
import { contentDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { snapshot } from '../support/snapshot.js';
import { waitFor } from '../support/wait.js';

/** Every answer must come within this; a socket left hanging fails the test. */
const ANSWER_WITHIN_MS = 5_000;

const get = (base: string, url: string) => fetch(`${base}${url}`, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });

async function expectUnavailable(base: string, url: string) {
  const res = await get(base, url);
  expect(res.status, url).toBe(503);
  expect(res.headers.get('content-type'), url).toMatch(/^application\/problem\+json/);
  expect(Number(res.headers.get('retry-after')), url).toBeGreaterThan(0);
  const body = (await res.json()) as { type: string; detail: string };
  expect(body.type, url).toBe('/problems/service-unavailable');
  expect(body.detail, url).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|at .*\.ts/);
}

describe('PostgreSQL stopped while the server runs', () => {
  let cluster: Cluster;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    cluster = await createCluster();
    cleanups.push(() => cluster.destroy());
  }, 60_000);
  afterAll(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it('answers 503 at once, stays up, and recovers by itself when the database returns', async () => {
    const content = await contentDir({
      'a.md': post('a', { tags: ['t'] }),
      'b.md': post('b', { tags: ['t'] }),
    });
    cleanups.push(() => content.cleanup());
    const env = { DATABASE_URL: cluster.url(), HOST: '127.0.0.1', PORT: '0', QUIRE_CONTENT_DIR: content.dir, QUIRE_RATE_LIMIT: '0' };
    const server = startCli(['start'], env);
    cleanups.push(() => (server.child.exitCode === null ? server.stop() : Promise.resolve()));
    const [, base] = (await server.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/)) as [string, string];

    expect((await get(base, '/v1/posts/a')).status).toBe(200); // now in the response cache
    expect((await get(base, '/v1/posts/c')).status).toBe(404);
    await cluster.stop();

    await expectUnavailable(base, '/readyz');
    const uncached = [
      '/v1/posts/b',
      '/v1/posts?tag=t',
      '/v1/search?q=title',
      '/v1/tags',
      '/v1/feed.xml',
      '/sitemap.xml',
      '/v1/export/posts',
    ];
    for (const url of uncached) await expectUnavailable(base, url);
    // Many at once: none hangs, none is anything but a 503 problem.
    await Promise.all(Array.from({ length: 42 }, (_, i) => expectUnavailable(base, uncached[i % uncached.length]!)));
    // What the cache holds is still served: stale content beats none.
    const cached = await get(base, '/v1/posts/a');
    expect(cached.status).toBe(200);
    expect(cached.headers.get('x-cache')).toBe('HIT');
    expect((await get(base, '/healthz')).status).toBe(200);
    expect(server.child.exitCode).toBeNull();

    await cluster.start();
    await waitFor(async () => (await get(base, '/readyz')).status === 200, 30_000, 100);
    expect((await get(base, '/v1/posts/b')).status).toBe(200);

    // Change announcements reach it again: an import elsewhere shows without a restart.
    await content.write('c.md', post('c'));
    expect((await runCli(['import', content.dir], { DATABASE_URL: cluster.url() })).code).toBe(0);
    await waitFor(async () => (await get(base, '/v1/posts/c')).status === 200, 15_000, 100);

    const stopped = await server.stop();
    expect(stopped.code).toBe(0);
  }, 120_000);
});

/** Reads the first bytes of a big export, then stops reading: the server must hold it open. */
function pausedExport(base: string) {
  const chunks: Buffer[] = [];
  return new Promise<{ response: IncomingMessage; chunks: Buffer[]; done: Promise<void> }>((resolve, reject) => {
    const req = httpGet(`${base}/v1/export/posts`, (res) => {
      const done = new Promise<void>((ok, fail) => {
        res.on('end', ok);
        res.on('error', fail);
        res.on('aborted', () => fail(new Error('aborted')));
      });
      done.catch(() => {}); // looked at by the test when it wants to
      res.once('data', (chunk: Buffer) => {
        chunks.push(chunk);
        res.pause();
        res.on('data', (more: Buffer) => chunks.push(more));
        resolve({ response: res, chunks, done });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('imports and signals', () => {
  let t: TestDatabase;
  let corpus: string;
  let admin: pg.Client;

  beforeAll(async () => {
    t = await createTestDatabase();
    corpus = await mkdtemp(path.join(tmpdir(), 'quire-faults-'));
    await generateCorpus(corpus, 2_000, 7);
    admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
  }, 60_000);
  afterAll(async () => {
    await admin.end();
    await rm(corpus, { recursive: true, force: true });
    await t.drop();
  });

  /** The backends of another session that hold a transaction with writes in it. */
  const writers = async () =>
    (
      await admin.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()`, [
        t.name,
      ])
    ).rows;

  it('leaves the database exactly as it was when an import is killed mid-write; the next one completes', async () => {
    const small = await contentDir({ 'a.md': post('a', { title: 'Before' }) });
    try {
      expect((await runCli(['import', small.dir], { DATABASE_URL: t.url })).code).toBe(0);
      const before = await snapshot(t.db);
      const runs = await t.db.importRun.count();

      const importer = startCli(['import', '--no-progress', corpus], { DATABASE_URL: t.url });
      // Killed the moment its transaction has written something: mid-way, by construction.
      await waitFor(async () => (await writers()).length > 0, 60_000, 5);
      const killed = await importer.stop('SIGKILL');
      expect(killed.code).toBeNull(); // it died by the signal; it did not finish first
      // PostgreSQL rolls the transaction back when it finds the client gone.
      await waitFor(async () => (await writers()).length === 0, 30_000);

      expect(await snapshot(t.db)).toEqual(before);
      expect(await t.db.importRun.count()).toBe(runs);

      const again = await runCli(['import', '--no-progress', corpus], { DATABASE_URL: t.url });
      expect(again.code, again.stderr).toBe(0);
      expect(await t.db.post.count()).toBeGreaterThan(1_900);
    } finally {
      await small.cleanup();
    }
  }, 180_000);

  it('never interleaves two imports started at once: one wins whole', async () => {
    const names = (prefix: string) =>
      Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`${prefix}-${i}.md`, post(`${prefix}-${i}`, { tags: [prefix] })]));
    const left = await contentDir(names('left'));
    const right = await contentDir(names('right'));
    try {
      const [a, b] = await Promise.all([
        runCli(['import', '--prune-all', '--no-progress', left.dir], { DATABASE_URL: t.url }),
        runCli(['import', '--prune-all', '--no-progress', right.dir], { DATABASE_URL: t.url }),
      ]);
      expect([a.code, b.code], `${a.stderr}\n${b.stderr}`).toEqual([0, 0]);
      const slugs = (await t.db.post.findMany({ select: { slug: true } })).map((p) => p.slug.split('-')[0]);
      const [last] = await t.db.importRun.findMany({ orderBy: { finishedAt: 'desc' }, take: 2 });
      const winner = last!.source.includes(left.dir) ? 'left' : 'right';
      expect(new Set(slugs)).toEqual(new Set([winner]));
      expect(slugs).toHaveLength(150);
      expect((await t.db.tag.findMany()).map((tag) => tag.slug)).toEqual([winner]);
    } finally {
      await left.cleanup();
      await right.cleanup();
    }
  }, 120_000);

  describe('on SIGTERM, a server with a big export to stream', () => {
    beforeAll(async () => {
      expect((await runCli(['import', '--prune-all', '--no-progress', corpus], { DATABASE_URL: t.url })).code).toBe(0);
    }, 60_000);

    it('finishes the response in flight, refuses new connections, then exits 0', async () => {
      const published = Number((await admin.query(`SELECT count(*) FROM "Post" WHERE NOT draft AND "publishedAt" <= now()`)).rows[0].count);
      const server = startCli(['serve'], { DATABASE_URL: t.url, HOST: '127.0.0.1', PORT: '0', QUIRE_RATE_LIMIT: '0' });
      const [, base] = (await server.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/)) as [string, string];

      const { response, chunks, done } = await pausedExport(base);
      expect(response.statusCode).toBe(200);

      server.child.kill('SIGTERM');
      await server.waitFor(/shutting down/);
      // New connections are refused while the old response is still going.
      await waitFor(async () => {
        try {
          await get(base, '/healthz');
          return false;
        } catch (err) {
          return /ECONNREFUSED/.test(String((err as Error & { cause?: unknown }).cause));
        }
      }, 10_000);
      expect(server.child.exitCode).toBeNull();

      response.resume();
      await done;
      const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
      expect(lines).toHaveLength(published);
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();

      // It exits by itself, nothing calling process.exit: the pool and every timer are closed.
      const exit = await server.exited;
      expect(exit.code).toBe(0);
      // The export was still going when the signal came: it completed after "shutting down".
      const log = exit.stdout;
      expect(log.indexOf('"msg":"stopped: every response has finished"')).toBeGreaterThan(log.indexOf('"msg":"shutting down"'));
      expect(log.indexOf('"msg":"shutting down"')).toBeGreaterThan(0);
    }, 180_000);

    it('cuts a response nobody reads once QUIRE_SHUTDOWN_TIMEOUT has passed, and still exits 0', async () => {
      const server = startCli(['serve'], { DATABASE_URL: t.url, HOST: '127.0.0.1', PORT: '0', QUIRE_SHUTDOWN_TIMEOUT: '1' });
      const [, base] = (await server.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/)) as [string, string];
      const { response, done } = await pausedExport(base);
      server.child.kill('SIGTERM');
      const exit = await server.exited;
      expect(exit.code).toBe(0);
      expect(exit.stdout).toMatch(/connections still open after 1 s/);
      // What had reached this side is read, and then the response stops short.
      response.resume();
      await expect(done).rejects.toThrow(/aborted/);
    }, 60_000);
  });
});
