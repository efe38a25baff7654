// npm run bench [-- N]: Quire's reads against what a user would run instead, in one run on
// one machine, load from wrk (C, in its own process, so the load generator is not what is
// measured). Generates a blog of N articles (default 10,000) in a scratch database, then:
//
//   cached     Quire as configured by default (response cache on), every URL warm, against
//              two ceilings answering the same URLs with Quire's exact status, headers and
//              bytes from memory: a bare Fastify server and raw node:http (bench/ceiling.ts)
//   uncached   Quire with QUIRE_RESPONSE_CACHE=off against a plain Fastify + node-postgres
//              server, one query a request (bench/plain-pg.ts), over the same URLs: posts
//              rotate over 1,000 slugs and lists over 50 pages, so no plan or page is warmer
//              than a reader's would be
//   publish    the hit rate of the cached server while a one-post import runs under load
//              (`quire import` in its own process, as an author runs it)
//   memory     each server's peak RSS
//
// Each figure is requests/s and p50/p99 latency over BENCH_DURATION seconds (10) with
// BENCH_CONNECTIONS (50) connections and BENCH_WRK_THREADS (1) wrk threads, after a short
// warm-up; wrk's own CPU use is printed beside it (near 100% of a thread would mean wrk was
// the limit). Ratios are Quire / baseline from the same run; absolute figures depend on the
// machine. Prints a table with the issue's targets, and writes it all under bench/results/.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { VOCABULARY } from './corpus.js';
import { freePort, peakRssMb, ready, ROOT, saveResults, scratchBlog, startQuire, stopAll } from './support.js';
import { ensureWrk, type Measure, round, wrk as runWrk } from './wrk-runner.js';
import type { Captured } from './ceiling.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const THREADS = Number(process.env.BENCH_WRK_THREADS ?? 1);
const WARMUP = 2;

/** One wrk run with this bench's connections and threads. */
const wrk = (base: string, pathsFile: string, seconds: number, countCache = false): Promise<Measure> =>
  runWrk(base, pathsFile, { seconds, connections: CONNECTIONS, threads: THREADS, countCache });

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return (await res.json()) as T;
}

/** Fetches each URL from the cached server until it is a hit, and keeps that response. */
async function capture(base: string, urls: string[]): Promise<Captured[]> {
  const out: Captured[] = [];
  for (const url of urls) {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${base}${url}`);
      const body = Buffer.from(await res.arrayBuffer());
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
      if (res.headers.get('x-cache') === 'HIT') {
        out.push({ url, status: res.status, headers: Object.fromEntries(res.headers), body: body.toString('base64') });
        break;
      }
      if (attempt > 5) throw new Error(`${url} never became a cache hit`);
    }
  }
  return out;
}

function spawnNode(script: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function main() {
  ensureWrk();
  const count = Number(process.argv[2] ?? 10_000);
  if (!Number.isInteger(count) || count < 100) throw new Error(`N must be a whole number of at least 100, got ${process.argv[2]}`);
  console.log(`generating and importing ${count} articles…`);
  const blog = await scratchBlog('bench_http', count);
  const { dbUrl, dir, importMs } = blog;
  const children: ChildProcess[] = [];
  try {
    const [quirePort, uncachedPort, plainPort, fastifyPort, nodePort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const quire = startQuire(dbUrl, quirePort);
    const uncached = startQuire(dbUrl, uncachedPort, { QUIRE_RESPONSE_CACHE: 'off' });
    const plain = spawnNode('bench/plain-pg.ts', [dbUrl, String(plainPort)]);
    children.push(quire, uncached, plain);
    const base = (port: number) => `http://127.0.0.1:${port}`;
    await ready(`${base(quirePort)}/readyz`, quire);
    await ready(`${base(uncachedPort)}/readyz`, uncached);
    await ready(`${base(plainPort)}/v1/posts`, plain);

    // The URLs: 1,000 posts, 50 list pages, 50 tags' posts, 50 searches, 50 feeds.
    const slugs: string[] = [];
    for (let page = 1; slugs.length < 1000; page++) {
      const list = await json<{ data: { slug: string }[] }>(`${base(uncachedPort)}/v1/posts?limit=100&page=${page}`);
      if (!list.data.length) break;
      slugs.push(...list.data.map((p) => p.slug));
    }
    const tags = (await json<{ data: { slug: string }[] }>(`${base(uncachedPort)}/v1/tags?limit=50&sort=-count`)).data.map((t) => t.slug);
    const routes: Record<string, string[]> = {
      'post by slug': slugs.map((s) => `/v1/posts/${encodeURIComponent(s)}`),
      'post list': Array.from({ length: 50 }, (_, i) => `/v1/posts?page=${i + 1}`),
      "a tag's posts": tags.map((t) => `/v1/tags/${encodeURIComponent(t)}/posts`),
      search: VOCABULARY.slice(300, 350).map((w) => `/v1/search?q=${w}`),
      'RSS feed': ['/v1/feed.xml', ...tags.slice(0, 49).map((t) => `/v1/tags/${encodeURIComponent(t)}/feed.xml`)],
    };
    const pathsFile = async (name: string, urls: string[]) => {
      const file = path.join(dir, `paths-${name.replace(/\W+/g, '-')}.txt`);
      await writeFile(file, `${urls.join('\n')}\n`);
      return file;
    };

    // Every URL warm in the cached server; the ceilings answer the same responses.
    console.log('warming the cache and capturing its responses…');
    const captured = (await Promise.all(Object.values(routes).map((urls) => capture(base(quirePort), urls)))).flat();
    const capturedFile = path.join(dir, 'responses.json');
    await writeFile(capturedFile, JSON.stringify(captured));
    const fastify = spawnNode('bench/ceiling.ts', ['fastify', capturedFile, String(fastifyPort)]);
    const node = spawnNode('bench/ceiling.ts', ['node', capturedFile, String(nodePort)]);
    children.push(fastify, node);
    await ready(`${base(fastifyPort)}/v1/posts?page=1`, fastify);
    await ready(`${base(nodePort)}/v1/posts?page=1`, node);

    const cached = [];
    for (const [route, urls] of Object.entries(routes)) {
      console.log(`cached: ${route}`);
      const file = await pathsFile(route, urls);
      const run = async (port: number) => {
        await wrk(base(port), file, WARMUP);
        return wrk(base(port), file, DURATION);
      };
      const [f, n, q] = [await run(fastifyPort), await run(nodePort), await run(quirePort)];
      const bytes = Math.round(
        captured.filter((c) => urls.includes(c.url)).reduce((sum, c) => sum + Buffer.from(c.body, 'base64').length, 0) / urls.length,
      );
      cached.push({
        route,
        urls: urls.length,
        meanBytes: bytes,
        fastify: f,
        node: n,
        quire: q,
        vsFastify: round(q.reqPerSec / f.reqPerSec, 2),
        vsNode: round(q.reqPerSec / n.reqPerSec, 2),
      });
    }

    const uncachedRuns = [];
    for (const route of ['post by slug', 'post list', "a tag's posts", 'search'] as const) {
      console.log(`uncached: ${route}`);
      const file = await pathsFile(`u-${route}`, routes[route]!);
      const withPlain = route === 'post by slug' || route === 'post list';
      const run = async (port: number) => {
        await wrk(base(port), file, WARMUP);
        return wrk(base(port), file, DURATION);
      };
      const p = withPlain ? await run(plainPort) : null;
      const q = await run(uncachedPort);
      uncachedRuns.push({ route, plain: p, quire: q, vsPlain: p ? round(q.reqPerSec / p.reqPerSec, 2) : null });
    }

    // A one-post import while readers load every warm URL: the hit rate over the run.
    console.log('publish: one post changed and imported under load…');
    const all = await pathsFile('all', Object.values(routes).flat());
    const slug = decodeURIComponent(routes['post by slug']![0]!.split('/').pop()!);
    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    const file = (
      await db.query<{ sourcePath: string }>('SELECT "sourcePath" FROM "Post" WHERE slug = $1 LIMIT 1', [slug]).finally(() => db.end())
    ).rows[0]!.sourcePath;
    // Window A: readers load every warm URL while `quire import` runs in its own process;
    // window B: the DURATION seconds right after it finished (and the server heard of it).
    const during = wrk(base(quirePort), all, DURATION, true);
    await new Promise((r) => setTimeout(r, 1000));
    await appendFile(path.join(dir, file), '\nOne more paragraph, written while readers read.\n');
    const importStart = performance.now();
    const cli = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'import', '--no-progress', dir], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: dbUrl },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const cliCode = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
    if (cliCode !== 0) throw new Error(`quire import exited ${cliCode}`);
    const importSeconds = round((performance.now() - importStart) / 1000, 2);
    const a = await during;
    const b = await wrk(base(quirePort), all, DURATION, true);
    const rate = (x: Measure) => round(x.hits / Math.max(1, x.hits + x.misses), 4);
    const fresh = (await (await fetch(`${base(quirePort)}${routes['post by slug']![0]!}`)).text()).includes('written while readers read');
    const publish = {
      during: a,
      after: b,
      fresh,
      hitRate: rate({ ...b, hits: a.hits + b.hits, misses: a.misses + b.misses }),
      hitRateAfter: rate(b),
      importSeconds,
      changed: file,
    };

    const memory = {
      quire: await peakRssMb(quire.pid!),
      uncached: await peakRssMb(uncached.pid!),
      plain: await peakRssMb(plain.pid!),
      fastify: await peakRssMb(fastify.pid!),
      node: await peakRssMb(node.pid!),
    };

    printReport({ count, importMs, cached, uncachedRuns, publish, memory });
    await saveResults('http', {
      articles: count,
      importMs,
      connections: CONNECTIONS,
      wrkThreads: THREADS,
      durationSeconds: DURATION,
      cached,
      uncached: uncachedRuns,
      publish,
      memory,
    });
  } finally {
    await stopAll(children);
    await blog.drop();
  }
}

type Row = { route: string; quire: Measure };
function printReport(r: {
  count: number;
  importMs: number;
  cached: (Row & { fastify: Measure; node: Measure; vsFastify: number; vsNode: number; meanBytes: number })[];
  uncachedRuns: (Row & { plain: Measure | null; vsPlain: number | null })[];
  publish: {
    during: Measure;
    after: Measure;
    fresh: boolean;
    hitRate: number;
    hitRateAfter: number;
    importSeconds: number;
    changed: string;
  };
  memory: Record<string, number | null>;
}) {
  const m = (x: Measure) =>
    `${String(x.reqPerSec).padStart(7)} ${String(x.p50).padStart(6)} ${String(x.p99).padStart(7)} ${String(x.errors).padStart(4)} ${x.wrkCpu === null ? '   ?' : `${Math.round(x.wrkCpu * 100)}%`.padStart(4)}`;
  const ok = (pass: boolean) => (pass ? 'met' : 'MISSED');
  console.log(
    `\n${r.count} articles, imported in ${r.importMs} ms; wrk ${THREADS} thread(s), ${CONNECTIONS} connections, ${DURATION} s per run; latencies in ms; "wrk" is wrk's CPU use\n`,
  );
  console.log('CACHED (every URL warm) vs ceilings sending the same headers and bytes');
  console.log(
    'route            bytes | fastify req/s    p50     p99  err  wrk | node req/s    p50     p99  err  wrk | quire req/s    p50     p99  err  wrk | ×fastify ×node',
  );
  for (const c of r.cached) {
    console.log(
      `${c.route.padEnd(15)} ${String(c.meanBytes).padStart(6)} | ${m(c.fastify)}       | ${m(c.node)}    | ${m(c.quire)}     | ${c.vsFastify.toFixed(2).padStart(8)} ${c.vsNode.toFixed(2).padStart(5)}`,
    );
  }
  console.log('\nUNCACHED (QUIRE_RESPONSE_CACHE=off) vs a plain Fastify + node-postgres server, one query a request');
  console.log('route           | plain req/s    p50     p99  err  wrk | quire req/s    p50     p99  err  wrk | ×plain');
  for (const u of r.uncachedRuns) {
    console.log(
      `${u.route.padEnd(15)} | ${u.plain ? m(u.plain) : '                    –           '}     | ${m(u.quire)}     | ${u.vsPlain === null ? '     –' : u.vsPlain.toFixed(2).padStart(6)}`,
    );
  }
  const p = r.publish;
  console.log(
    `\nPUBLISH under load (one post changed, \`quire import\` took ${p.importSeconds} s): during it ${p.during.hits} hits, ${p.during.misses} misses, ` +
      `${p.during.reqPerSec} req/s, p99 ${p.during.p99} ms; the ${DURATION} s after it ${p.after.hits} hits, ${p.after.misses} misses, p99 ${p.after.p99} ms; ` +
      `hit rate ${(p.hitRate * 100).toFixed(2)}% over both (${(p.hitRateAfter * 100).toFixed(2)}% after)`,
  );
  console.log(
    `\nPEAK RSS (MB): ${Object.entries(r.memory)
      .map(([k, v]) => `${k} ${v ?? '?'}`)
      .join(', ')}`,
  );

  const post = r.uncachedRuns.find((u) => u.route === 'post by slug')!;
  const list = r.uncachedRuns.find((u) => u.route === 'post list')!;
  const search = r.uncachedRuns.find((u) => u.route === 'search')!;
  const worstFastify = Math.min(...r.cached.map((c) => c.vsFastify));
  const worstNode = Math.min(...r.cached.map((c) => c.vsNode));
  const worstCachedP99 = Math.max(...r.cached.map((c) => c.quire.p99));
  const worstUncachedP99 = Math.max(post.quire.p99, list.quire.p99);
  console.log('\nTARGETS');
  const targets: [string, string, boolean][] = [
    ['uncached post ≥ 1.0× plain', post.vsPlain!.toFixed(2), post.vsPlain! >= 1],
    ['uncached list ≥ 0.8× plain', list.vsPlain!.toFixed(2), list.vsPlain! >= 0.8],
    ['uncached p99 < 25 ms (post, list)', `${worstUncachedP99} ms`, worstUncachedP99 < 25],
    ['search p99 < 50 ms (uncached)', `${search.quire.p99} ms`, search.quire.p99 < 50],
    ['cached ≥ 0.85× bare Fastify (worst route)', worstFastify.toFixed(2), worstFastify >= 0.85],
    ['cached ≥ 0.75× raw node:http (worst route)', worstNode.toFixed(2), worstNode >= 0.75],
    ['cached p99 < 5 ms (worst route)', `${worstCachedP99} ms`, worstCachedP99 < 5],
    ['hit rate > 90% through a one-post import', `${(p.hitRate * 100).toFixed(1)}%`, p.hitRate > 0.9],
    ['the changed post served fresh after it', String(p.fresh), p.fresh],
    ['server RSS ≤ 150 MB, cache off', `${r.memory.uncached} MB`, (r.memory.uncached ?? Infinity) <= 150],
  ];
  for (const [what, value, pass] of targets) console.log(`${what.padEnd(44)} ${value.padStart(9)}  ${ok(pass)}`);
}

await main();
