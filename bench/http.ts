// npm run bench [-- N]: Quire's reads against the ceiling, in one run on one machine.
//
// Generates a blog of N articles (default 10,000), imports it into a scratch PostgreSQL
// database, then drives, with autocannon (50 connections, BENCH_DURATION seconds per run,
// loopback only), each route on three servers:
//   ceiling    a bare Fastify answering the same bytes from memory
//   quire      Quire as configured by default (response cache on)
//   uncached   Quire with QUIRE_RESPONSE_CACHE=off: every request reads the database
// and, on the cached server, the latency of first hits: 50 requests one at a time, each
// for a URL not yet cached (another post, page, tag, word or feed), as after an import.
// Prints requests/s, p50/p99 latency, errors and Quire's throughput as a ratio of the
// ceiling, the servers' peak RSS, and writes it all as JSON under bench/results/.
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import autocannon from 'autocannon';
import { VOCABULARY } from './corpus.js';
import { freePort, peakRssMb, ready, ROOT, saveResults, scratchBlog, startQuire, stopAll } from './support.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 50;

interface Measure {
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(url: string): Promise<Measure> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION });
  return {
    reqPerSec: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** Latency of one request at a time to URLs the cache has not seen. */
async function firstHits(base: string, paths: string[]): Promise<{ p50: number; p99: number; errors: number }> {
  const times: number[] = [];
  let errors = 0;
  for (const path of paths) {
    const start = performance.now();
    const res = await fetch(`${base}${path}`);
    await res.arrayBuffer();
    times.push(performance.now() - start);
    if (!res.ok || res.headers.get('x-cache') !== 'MISS') errors++;
  }
  times.sort((a, b) => a - b);
  const round = (n: number) => Number(n.toFixed(1));
  return { p50: round(percentile(times, 50)), p99: round(percentile(times, 99)), errors };
}

async function main() {
  const count = Number(process.argv[2] ?? 10_000);
  console.log(`generating and importing ${count} articles…`);
  const blog = await scratchBlog('bench_http', count);
  const { dbUrl, dir, importMs } = blog;
  const children: ChildProcess[] = [];
  try {
    const [quirePort, uncachedPort, ceilingPort] = [await freePort(), await freePort(), await freePort()];
    const quire = startQuire(dbUrl, quirePort);
    const uncached = startQuire(dbUrl, uncachedPort, { QUIRE_RESPONSE_CACHE: 'off' });
    children.push(quire, uncached);
    await ready(`http://127.0.0.1:${quirePort}/readyz`, quire);
    await ready(`http://127.0.0.1:${uncachedPort}/readyz`, uncached);

    const page = (await (await fetch(`http://127.0.0.1:${uncachedPort}/v1/posts?limit=100&lang=en&fields=slug`)).json()) as { data: { slug: string }[] };
    const first = { data: page.data };
    const tags = (await (await fetch(`http://127.0.0.1:${uncachedPort}/v1/tags?limit=100&sort=-count`)).json()) as { data: { slug: string }[] };
    // URLs of the same kinds as the routes below, none asked before: first hits.
    const cold: Record<string, string[]> = {
      'post by slug': page.data.slice(1, 51).map((p) => `/v1/posts/${p.slug}`),
      'post list, first page': Array.from({ length: 50 }, (_, i) => `/v1/posts?page=${i + 2}`),
      'a tag\'s posts': tags.data.filter((t) => t.slug !== 'javascript').slice(0, 50).map((t) => `/v1/tags/${encodeURIComponent(t.slug)}/posts`),
      search: VOCABULARY.slice(301, 351).map((w) => `/v1/search?q=${w}`),
      'RSS feed': tags.data.slice(0, 50).map((t) => `/v1/tags/${encodeURIComponent(t.slug)}/feed.xml`),
    };
    const routes = [
      { name: 'post by slug', path: `/v1/posts/${first.data[0]!.slug}` },
      { name: 'post list, first page', path: '/v1/posts' },
      { name: 'a tag\'s posts', path: '/v1/tags/javascript/posts' },
      // A word of middling frequency in the generated prose (see corpus.ts's VOCABULARY).
      { name: 'search', path: `/v1/search?q=${VOCABULARY[300]}` },
      { name: 'RSS feed', path: '/v1/feed.xml' },
    ];
    const captured = [];
    for (const r of routes) {
      const res = await fetch(`http://127.0.0.1:${quirePort}${r.path}`);
      if (!res.ok) throw new Error(`${r.path}: ${res.status}`);
      captured.push({ path: r.path, type: res.headers.get('content-type') ?? 'application/json', body: await res.text() });
    }
    const capturedFile = path.join(dir, 'responses.json');
    await writeFile(capturedFile, JSON.stringify(captured));
    const ceiling = spawn(process.execPath, ['--import', 'tsx', 'bench/ceiling.ts', capturedFile, String(ceilingPort)], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(ceiling);
    await ready(`http://127.0.0.1:${ceilingPort}${routes[0]!.path}`, ceiling);

    const results = [];
    for (const r of routes) {
      console.log(`${r.name}: ${r.path}`);
      // A short warm-up of each server (JIT, connection pools, caches) before measuring.
      for (const port of [ceilingPort, quirePort, uncachedPort]) {
        await autocannon({ url: `http://127.0.0.1:${port}${r.path}`, connections: 10, duration: 1 });
      }
      const ceilingM = await load(`http://127.0.0.1:${ceilingPort}${r.path}`);
      const quireM = await load(`http://127.0.0.1:${quirePort}${r.path}`);
      const uncachedM = await load(`http://127.0.0.1:${uncachedPort}${r.path}`);
      const firstHit = await firstHits(`http://127.0.0.1:${quirePort}`, cold[r.name]!);
      results.push({
        route: r.name,
        path: r.path,
        bytes: captured.find((c) => c.path === r.path)!.body.length,
        ceiling: ceilingM,
        quire: quireM,
        uncached: uncachedM,
        firstHit,
        ratio: Number((quireM.reqPerSec / ceilingM.reqPerSec).toFixed(2)),
        uncachedRatio: Number((uncachedM.reqPerSec / ceilingM.reqPerSec).toFixed(2)),
      });
    }
    const memory = {
      quirePeakRssMb: await peakRssMb(quire.pid!),
      uncachedPeakRssMb: await peakRssMb(uncached.pid!),
      ceilingPeakRssMb: await peakRssMb(ceiling.pid!),
    };

    console.log(`\n${count} articles, imported in ${importMs} ms; ${CONNECTIONS} connections, ${DURATION} s per run\n`);
    console.log('route                    ceiling req/s   p99 |  quire req/s  ratio  p50   p99   err | uncached req/s  ratio  p50   p99   err');
    for (const r of results) {
      const m = (x: Measure) => `${String(x.p50).padStart(4)} ${String(x.p99).padStart(5)} ${String(x.errors).padStart(5)}`;
      console.log(
        `${r.route.padEnd(24)} ${String(r.ceiling.reqPerSec).padStart(13)} ${String(r.ceiling.p99).padStart(5)} | ${String(r.quire.reqPerSec).padStart(12)} ${r.ratio.toFixed(2).padStart(6)} ${m(r.quire)} | ${String(r.uncached.reqPerSec).padStart(14)} ${r.uncachedRatio.toFixed(2).padStart(6)} ${m(r.uncached)}`,
      );
    }
    console.log('\nfirst hits (one request at a time, each URL new to the cache), ms:');
    for (const r of results) console.log(`${r.route.padEnd(24)} p50 ${String(r.firstHit.p50).padStart(5)}  p99 ${String(r.firstHit.p99).padStart(5)}  errors ${r.firstHit.errors}`);
    console.log(`\npeak RSS: quire ${memory.quirePeakRssMb} MB, uncached ${memory.uncachedPeakRssMb} MB, ceiling ${memory.ceilingPeakRssMb} MB (latencies in ms)`);

    await saveResults('http', { articles: count, importMs, connections: CONNECTIONS, durationSeconds: DURATION, memory, results });
  } finally {
    await stopAll(children);
    await blog.drop();
  }
}

await main();
