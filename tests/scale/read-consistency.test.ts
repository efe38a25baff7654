// The rules that keep a process from serving older content than it knows, each alone:
// a response read while a content change came in is served but not cached; a replica read
// fails over to the primary only for the replica's own failures, never for a bad query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Change, type ContentWatch, watchContent } from '../../src/db/content-watch.js';
import { type ReadSource, readTrace, replicaUnusable, routeReads } from '../../src/db/read-router.js';
import { createReader } from '../../src/db/reader.js';
import { sql } from '../../src/db/sql.js';
import { startApp } from '../support/app.js';
import { contentDir, type ContentDir, importDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

let t: TestDatabase;
let content: ContentDir;

beforeAll(async () => {
  t = await createTestDatabase();
  content = await contentDir({ 'a.md': post('a') });
  await importDir(t.db, content.dir);
});
afterAll(async () => {
  await content.cleanup();
  await t.drop();
});

describe('the response cache and the content version', () => {
  it('serves a response read while the version moved, and does not keep it', async () => {
    const reader = createReader(t.url, { poolSize: 2 });
    const real = await watchContent(reader);
    // The real watch, except that a change arrives while the next response is being made
    // (its Last-Modified is read mid-request): as when NOTIFY lands during a replica read.
    let version = real.version();
    let arriveDuringNext = false;
    const listeners: ((c: Change) => void)[] = [];
    const watch: ContentWatch = {
      ...real,
      version: () => version,
      subscribe: (l) => void listeners.push(l),
      lastModified() {
        if (arriveDuringNext) {
          arriveDuringNext = false;
          listeners.forEach((l) => l('all'));
          version++;
        }
        return real.lastModified();
      },
    };
    const { http, app } = await startApp(t, undefined, { watch });
    try {
      arriveDuringNext = true;
      expect((await http.get('/v1/posts/a').expect(200)).headers['x-cache']).toBeUndefined();
      // Not kept: the next one is read again, and kept.
      expect((await http.get('/v1/posts/a').expect(200)).headers['x-cache']).toBe('MISS');
      expect((await http.get('/v1/posts/a').expect(200)).headers['x-cache']).toBe('HIT');
    } finally {
      await app.close();
      await real.close();
      await reader.close();
    }
  });
});

describe('the read router', () => {
  it("tells the replica's failures from the query's", () => {
    const withCode = (code: string) => Object.assign(new Error('x'), { code });
    for (const code of ['ECONNREFUSED', 'ECONNRESET', '08006', '57P01', '57P03', '53300', '40001'])
      expect(replicaUnusable(withCode(code)), code).toBe(true);
    expect(replicaUnusable(new Error('Connection terminated unexpectedly'))).toBe(true);
    for (const code of ['42601', '22P02', '23505']) expect(replicaUnusable(withCode(code)), code).toBe(false);
  });

  it("sends a bad query's error to the caller, and reads the primary when the replica cannot answer", async () => {
    const primary = createReader(t.url, { poolSize: 1 });
    // A replica that is not there: nothing listens on port 1.
    const gone = createReader('postgresql://postgres@127.0.0.1:1/quire', { poolSize: 1, connectTimeoutMs: 500 });
    const standIn = createReader(t.url, { poolSize: 1 });
    const router = routeReads(primary, [{ url: 'postgresql://127.0.0.1:1/quire', reader: gone }], {
      knownVersion: () => 0,
      maxWaitMs: 50,
      pollMs: 60_000,
    });
    const healthy = routeReads(primary, [{ url: t.url, reader: standIn }], { knownVersion: () => 0, maxWaitMs: 1_000, pollMs: 60_000 });
    try {
      const trace: { from?: ReadSource } = {};
      const rows = await readTrace.run(trace, () => router.query<{ n: number }>(sql`SELECT 1 AS n`));
      expect([rows, trace.from]).toEqual([[{ n: 1 }], 'primary']);
      expect(router.stats().replicas[0]).toMatchObject({ name: '127.0.0.1:1/quire', up: false });
      expect(router.stats().queries.down).toBe(1);

      const onReplica: { from?: ReadSource } = {};
      await readTrace.run(onReplica, () => healthy.query(sql`SELECT 1`));
      expect(onReplica.from).toBe('replica');
      await expect(healthy.query(sql`SELECT * FROM no_such_table`)).rejects.toMatchObject({ code: '42P01' });
      expect(healthy.stats().queries).toEqual({ replica: 1, behind: 0, down: 0 });
    } finally {
      await router.close();
      await healthy.close();
      await primary.close();
    }
  });
});
