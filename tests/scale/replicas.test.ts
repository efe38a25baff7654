// Two API processes reading a real streaming replica (a throwaway primary and a standby made
// by pg_basebackup -R): reads go to the replica, never older than the content version a
// process knows; a paused replica makes them wait, then read the primary; a stopped one
// sends them to the primary; a stopped primary leaves cached and replica reads going, and
// imports failing with a clear error.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, type RunningCli } from '../support/cli.js';
import { type Cluster, clusterPort, createCluster } from '../support/cluster.js';
import { contentDir, type ContentDir, post } from '../support/content.js';
import { waitFor } from '../support/wait.js';

const TOKEN = 'admin-token-for-replica-tests';
/** How long a read waits for a lagging replica before it reads the primary. */
const MAX_WAIT_S = 0.3;

let primary: Cluster;
let replica: Cluster;
let content: ContentDir;
const servers: RunningCli[] = [];
const bases: string[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

async function onReplica<T>(query: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: replica.url('quire') });
  await client.connect();
  try {
    return (await client.query(query)).rows as T[];
  } finally {
    await client.end();
  }
}
const replicaVersion = async () =>
  (await onReplica<{ version: number }>('SELECT version FROM "ContentState" WHERE id = 1'))[0]?.version ?? 0;
const importNow = () => runCli(['import', content.dir, '--no-progress'], { DATABASE_URL: primary.url('quire') });

beforeAll(async () => {
  primary = await createCluster({ port: clusterPort(0) });
  cleanups.push(() => primary.destroy());
  const admin = new pg.Client({ connectionString: primary.url() });
  await admin.connect();
  await admin.query('CREATE DATABASE quire');
  await admin.end();
  expect((await runCli(['migrate'], { DATABASE_URL: primary.url('quire') })).code).toBe(0);
  content = await contentDir({ 'a.md': post('a', { title: 'Version 1' }), 'b.md': post('b') });
  cleanups.push(() => content.cleanup());
  expect((await importNow()).code).toBe(0);
  replica = await createCluster({ port: clusterPort(1), replicaOf: primary });
  cleanups.push(() => replica.destroy());
  await waitFor(async () => (await replicaVersion()) >= 1, 15_000, 50);
  const env = {
    DATABASE_URL: primary.url('quire'),
    QUIRE_READ_DATABASE_URL: replica.url('quire'),
    QUIRE_REPLICA_MAX_WAIT: String(MAX_WAIT_S),
    QUIRE_METRICS: 'public',
    QUIRE_ADMIN_TOKEN: TOKEN,
    QUIRE_CONTENT_DIR: content.dir,
    QUIRE_DB_CONNECT_TIMEOUT: '2',
    HOST: '127.0.0.1',
    PORT: '0',
  };
  for (let i = 0; i < 2; i++) {
    const server = startCli(['serve'], env);
    servers.push(server);
    cleanups.push(() => (server.child.exitCode === null ? server.stop() : Promise.resolve()));
  }
  for (const server of servers)
    bases.push(((await server.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/)) as [string, string])[1]);
}, 120_000);
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const get = async (base: string, url: string) => {
  const res = await fetch(`${base}${url}`, { signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  return {
    status: res.status,
    from: res.headers.get('quire-read-from'),
    cache: res.headers.get('x-cache'),
    body: text ? JSON.parse(text) : undefined,
  };
};
/** A URL no earlier request asked for, so not in the response cache: its read goes to a database. */
let fresh = 0;
const uncached = () => `/v1/search?q=version${++fresh}`;
const metricsOf = async (base: string) => (await fetch(`${base}/metrics`)).text();
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

/** Polls every process until it serves `title` for /v1/posts/a; never the older one after. */
async function untilServed(title: string, withinMs: number) {
  const started = performance.now();
  return Promise.all(
    bases.map(async (base) => {
      const seen: { title: string; from: string | null }[] = [];
      await waitFor(
        async () => {
          const r = await get(base, '/v1/posts/a');
          seen.push({ title: r.body.data.title, from: r.from ?? (r.cache === 'HIT' ? 'cache' : null) });
          return r.body.data.title === title;
        },
        withinMs,
        10,
      );
      const ms = performance.now() - started;
      for (let i = 0; i < 10; i++) seen.push({ title: (await get(base, '/v1/posts/a')).body.data.title, from: null });
      const first = seen.findIndex((s) => s.title === title);
      expect(
        seen.slice(first).map((s) => s.title),
        base,
      ).toEqual(seen.slice(first).map(() => title));
      return { ms, first: seen[first]! };
    }),
  );
}

describe('reads on a streaming replica', () => {
  it('go to the replica, and say so', async () => {
    for (const base of bases) {
      // Once its background check has seen the replica (a read that came first waited for it).
      await waitFor(
        async () => sample(await metricsOf(base), 'quire_replica_content_version', `replica="127.0.0.1:${replica.port}/quire"`) === 1,
        5_000,
        50,
      );
      const r = await get(base, '/v1/posts/a');
      expect([r.status, r.from, r.body.data.title]).toEqual([200, 'replica', 'Version 1']);
      const m = await metricsOf(base);
      expect(sample(m, 'quire_read_queries_total', 'from="replica",reason="current"')).toBeGreaterThan(0);
      expect(sample(m, 'quire_replica_up', `replica="127.0.0.1:${replica.port}/quire"`)).toBe(1);
    }
  });

  it('serve an import in every process within the bound, never the older body after', async () => {
    await content.write('a.md', post('a', { title: 'Version 2' }));
    expect((await importNow()).code).toBe(0);
    const seen = await untilServed('Version 2', 6_000);
    console.info(`import 2 served by both after ${seen.map((s) => `${s.ms.toFixed(0)} ms (${s.first.from})`).join(', ')}`);
  });

  it('wait for a paused replica, then read the primary: never older than the version known', async () => {
    await onReplica('SELECT pg_wal_replay_pause()');
    cleanups.push(() => onReplica('SELECT pg_wal_replay_resume()').catch(() => {}));
    await content.write('a.md', post('a', { title: 'Version 3' }));
    expect((await importNow()).code).toBe(0);
    expect(await replicaVersion()).toBe(2);
    const seen = await untilServed('Version 3', 6_000);
    expect(seen.map((s) => s.first.from)).toEqual(['primary', 'primary']);
    for (const base of bases) {
      // A list read since: the replica still lags, so the primary answers it too.
      expect((await get(base, '/v1/posts')).from).toBe('primary');
      const m = await metricsOf(base);
      expect(sample(m, 'quire_content_version')).toBe(3);
      expect(sample(m, 'quire_replica_content_version', `replica="127.0.0.1:${replica.port}/quire"`)).toBe(2);
      expect(sample(m, 'quire_read_queries_total', 'from="primary",reason="behind"')).toBeGreaterThan(0);
      const gaveUp = sample(m, 'quire_replica_waits_total', 'outcome="gave_up"')!;
      expect(gaveUp).toBeGreaterThan(0);
      // Each wait kept to its bound (with a little for the last check's round trip).
      expect(sample(m, 'quire_replica_wait_seconds_total')! / gaveUp).toBeLessThan(MAX_WAIT_S + 0.1);
    }
    console.info(`paused replica: both served version 3 from the primary after ${seen.map((s) => `${s.ms.toFixed(0)} ms`).join(' and ')}`);

    await onReplica('SELECT pg_wal_replay_resume()');
    await waitFor(async () => (await replicaVersion()) === 3, 10_000, 20);
    for (const base of bases) {
      const r = await waitFor(
        async () => {
          const res = await get(base, uncached());
          return res.from === 'replica' && res;
        },
        5_000,
        50,
      );
      expect(r.status).toBe(200);
    }
  });

  it('go to the primary while the replica is stopped, and back when it returns', async () => {
    await replica.stop();
    for (const base of bases) {
      const r = await get(base, '/v1/posts/b');
      expect([r.status, r.from]).toEqual([200, 'primary']);
      await waitFor(
        async () => sample(await metricsOf(base), 'quire_replica_up', `replica="127.0.0.1:${replica.port}/quire"`) === 0,
        5_000,
        50,
      );
    }
    await replica.start();
    for (const base of bases) {
      await waitFor(async () => (await get(base, uncached())).from === 'replica', 10_000, 100);
      expect(sample(await metricsOf(base), 'quire_replica_up', `replica="127.0.0.1:${replica.port}/quire"`)).toBe(1);
    }
  });

  it('go on from the replica and the cache while the primary is stopped; imports fail cleanly', async () => {
    for (const base of bases) await get(base, '/v1/posts/b'); // cached now
    await primary.stop();
    cleanups.push(() => primary.start().catch(() => {}));
    for (const base of bases) {
      const cached = await get(base, '/v1/posts/b');
      expect([cached.status, cached.cache]).toEqual([200, 'HIT']);
      for (const url of ['/v1/posts?limit=5', '/v1/posts/a?lang=en', '/v1/search?q=Version']) {
        const r = await get(base, url);
        expect([url, r.status, r.from]).toEqual([url, 200, 'replica']);
      }
      expect((await get(base, '/readyz')).status).toBe(200);
      const res = await fetch(`${base}/v1/admin/imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
        signal: AbortSignal.timeout(10_000),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await res.json()) as { type: string; detail: string };
      expect(problem.type).toBe('/problems/service-unavailable');
      expect(problem.detail).not.toMatch(/ECONNREFUSED|at .*\.ts/);
      // Metrics still answer, without the import runs the primary holds.
      expect(await metricsOf(base)).toContain('quire_http_requests_total');
    }
    const cli = await importNow();
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toMatch(/database/i);
    expect(cli.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
