// npm run bench:scale [-- N]: reads on a streaming replica against reads on the primary, and
// one API process against two, on a generated blog of N articles (default 2,000) in a
// throwaway primary and a hot standby of it (initdb, pg_basebackup -R; PostgreSQL's server
// programs must be installed; TEST_CLUSTER_PORT_BASE pins their ports).
//
//   uncached   QUIRE_RESPONSE_CACHE=off, posts by slug over 500 slugs and list pages: every
//              request reads the database. Primary vs replica, then 1 vs 2 processes.
//   cached     the default (cache on), the same URLs warm: 1 vs 2 processes.
//
// Load from autocannon (in this process); 2 processes get one autocannon each, at once, and
// their requests/s are summed. On one machine the databases, the API processes and the
// load share the cores: the replica line measures what routing costs (the version checks),
// not what a replica on its own machine would add; the ratio 2 / 1 processes is what counts.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { createDb } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrations.js';
import { runImport } from '../src/importer/run.js';
import { clusterPort, createCluster } from '../tests/support/cluster.js';
import { generateCorpus } from './corpus.js';
import { freePort, ready, saveResults, startQuire, stopAll } from './support.js';

const COUNT = Number(process.argv[2] ?? 2_000);
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

async function load(base: string, paths: string[]) {
  let i = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
  });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

/** `processes` Quire servers with `env`, loaded at once; requests/s summed. */
async function run(name: string, dbUrl: string, processes: number, env: Record<string, string>, paths: string[]) {
  const ports = await Promise.all(Array.from({ length: processes }, () => freePort()));
  const children = ports.map((port) => startQuire(dbUrl, port, env));
  try {
    const bases = ports.map((port) => `http://127.0.0.1:${port}`);
    await Promise.all(bases.map((base, i) => ready(`${base}/readyz`, children[i]!)));
    // Warm-up: connections, prepared statements, and the cache when it is on.
    await Promise.all(bases.map((base) => Promise.all(paths.map((p) => fetch(`${base}${p}`).then((r) => r.arrayBuffer())))));
    const results = await Promise.all(bases.map((base) => load(base, paths)));
    const row = {
      name,
      processes,
      rps: Math.round(results.reduce((n, r) => n + r.rps, 0)),
      p99ms: Math.max(...results.map((r) => r.p99)),
      errors: results.reduce((n, r) => n + r.errors, 0),
    };
    console.log(row);
    return row;
  } finally {
    await stopAll(children);
  }
}

const primary = await createCluster({ port: clusterPort(0) });
let replica: Awaited<ReturnType<typeof createCluster>> | undefined;
const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-scale-'));
try {
  const admin = new pg.Client({ connectionString: primary.url() });
  await admin.connect();
  await admin.query('CREATE DATABASE quire');
  await admin.end();
  const dbUrl = primary.url('quire');
  await applyMigrations(dbUrl);
  await generateCorpus(dir, COUNT);
  const db = createDb(dbUrl);
  await runImport(db, loadConfig({}).importer, { dir, trigger: 'bench' });
  const slugs = (
    await db.post.findMany({
      select: { slug: true },
      where: { kind: 'post', lang: 'en', draft: false, publishedAt: { lte: new Date() } },
      take: 500,
    })
  ).map((p) => p.slug);
  await db.$disconnect();
  replica = await createCluster({ port: clusterPort(1), replicaOf: primary });
  const paths = [...slugs.map((s) => `/v1/posts/${s}`), ...Array.from({ length: 50 }, (_, i) => `/v1/posts?page=${i + 1}`)];
  const uncached = { QUIRE_RESPONSE_CACHE: 'off' };
  const onReplica = { QUIRE_READ_DATABASE_URL: replica.url('quire') };
  const rows = [
    await run('uncached, primary', dbUrl, 1, uncached, paths),
    await run('uncached, replica', dbUrl, 1, { ...uncached, ...onReplica }, paths),
    await run('uncached, primary', dbUrl, 2, uncached, paths),
    await run('uncached, replica', dbUrl, 2, { ...uncached, ...onReplica }, paths),
    await run('cached', dbUrl, 1, {}, paths),
    await run('cached', dbUrl, 2, {}, paths),
  ];
  console.table(rows);
  const ratio = (a: number, b: number) => Number((rows[a]!.rps / rows[b]!.rps).toFixed(2));
  const ratios = { replicaOverPrimary: ratio(1, 0), twoOverOneUncached: ratio(2, 0), twoOverOneCached: ratio(5, 4) };
  console.log(ratios);
  await saveResults('scale', { count: COUNT, duration: DURATION, connections: CONNECTIONS, rows, ratios });
} finally {
  await replica?.destroy();
  await primary.destroy();
  await rm(dir, { recursive: true, force: true });
}
