// npm run load [-- N]: a soak test of one Quire server, bounded and on loopback only.
//
// Generates a blog of N articles (default 5,000) in a scratch database, starts `quire
// serve` as configured by default (response cache on; the per-address rate limit off,
// since every request here comes from one address), and holds LOAD_CONNECTIONS (50)
// connections for LOAD_DURATION seconds (60) on a mix of URLs drawn from the whole blog:
// posts, list pages and filters, tags' posts, searches, feeds, term lists and the sitemap.
// Thousands of distinct URLs, so the cache keeps filling and evicting.
//
// Samples the server's resident memory every second. Passes when no request failed (a
// network error, a timeout or a status other than 200) and memory is stable: the peak of
// the last third of the run is within LOAD_RSS_TOLERANCE (10%) of the peak of the middle
// third (the first third is warm-up). Exits 1 otherwise; writes its figures under
// bench/results/.
import type { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { prng, VOCABULARY } from './corpus.js';
import { freePort, peakRssMb, ready, rssMb, saveResults, scratchBlog, startQuire, stopAll } from './support.js';

const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 50);
const DURATION = Number(process.env.LOAD_DURATION ?? 60);
const RSS_TOLERANCE = Number(process.env.LOAD_RSS_TOLERANCE ?? 0.1);

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return (await res.json()) as T;
}

/** Every slug of a listing, page by page. */
async function allSlugs(base: string, path: string): Promise<string[]> {
  const slugs: string[] = [];
  for (let page = 1; ; page++) {
    const r = await json<{ data: { slug: string }[]; meta: { totalPages: number } }>(
      `${base}${path}${path.includes('?') ? '&' : '?'}limit=100&page=${page}`,
    );
    slugs.push(...r.data.map((d) => d.slug));
    if (page >= r.meta.totalPages) return slugs;
  }
}

/** A weighted mix of URL makers, each drawing from the blog's real slugs. */
function urlMix(posts: string[], tags: string[], categories: string[], authors: string[]) {
  const rand = prng(7); // the same URL sequence every run
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const e = encodeURIComponent;
  const kinds: [number, () => string][] = [
    [35, () => `/v1/posts/${e(pick(posts))}`],
    [5, () => `/v1/posts/${e(pick(posts))}?format=text`],
    [10, () => `/v1/posts?page=${1 + Math.floor(rand() * 40)}`],
    [5, () => `/v1/posts?tag=${e(pick(tags))}&sort=${pick(['-publishedAt', 'title', '-updatedAt'])}`],
    [5, () => `/v1/posts?category=${e(pick(categories))}&view=full&limit=${pick([5, 10, 20])}`],
    [8, () => `/v1/tags/${e(pick(tags))}/posts`],
    [12, () => `/v1/search?q=${e(`${pick(VOCABULARY.slice(0, 1500))}${rand() < 0.3 ? ` ${pick(VOCABULARY.slice(0, 300))}` : ''}`)}`],
    [6, () => pick(['/v1/feed.xml', '/v1/feed.atom', '/v1/feed.json'])],
    [4, () => `/v1/tags/${e(pick(tags))}/feed.xml`],
    [2, () => `/v1/authors/${e(pick(authors))}/feed.json`],
    [6, () => pick(['/v1/tags', '/v1/tags?sort=-count', '/v1/categories', '/v1/authors', '/sitemap.xml', '/v1/tags?page=2'])],
    [2, () => `/v1/categories/${e(pick(categories))}`],
  ];
  const total = kinds.reduce((n, [w]) => n + w, 0);
  return () => {
    let r = rand() * total;
    for (const [w, make] of kinds) if ((r -= w) < 0) return make();
    return kinds[0]![1]();
  };
}

async function main() {
  const count = Number(process.argv[2] ?? 5_000);
  console.log(`generating and importing ${count} articles…`);
  const blog = await scratchBlog('load', count);
  const children: ChildProcess[] = [];
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = startQuire(blog.dbUrl, port);
    children.push(server);
    await ready(`${base}/readyz`, server);

    const [posts, tags, categories, authors] = await Promise.all([
      allSlugs(base, '/v1/posts?fields=slug'),
      allSlugs(base, '/v1/tags'),
      allSlugs(base, '/v1/categories'),
      allSlugs(base, '/v1/authors'),
    ]);
    const next = urlMix(posts, tags, categories, authors);
    const startRss = await rssMb(server.pid!);
    console.log(`${posts.length} posts, ${tags.length} tags; ${CONNECTIONS} connections for ${DURATION} s…`);

    const samples: number[] = [];
    const sampler = setInterval(() => void rssMb(server.pid!).then((mb) => mb !== null && samples.push(mb)), 1_000);
    const statuses = new Map<number, number>();
    const seen = new Set<string>();
    const result = await autocannon({
      url: base,
      connections: CONNECTIONS,
      duration: DURATION,
      timeout: 10,
      requests: [
        {
          setupRequest: (req) => {
            const path = next();
            seen.add(path);
            return { ...req, path };
          },
          onResponse: (status) => statuses.set(status, (statuses.get(status) ?? 0) + 1),
        },
      ],
    });
    clearInterval(sampler);

    const third = Math.floor(samples.length / 3);
    const middlePeak = Math.max(...samples.slice(third, 2 * third));
    const lastPeak = Math.max(...samples.slice(2 * third));
    const growth = lastPeak / middlePeak - 1;
    const failed = result.errors + result.timeouts + result.non2xx;
    const figures = {
      articles: count,
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      requests: result.requests.total,
      distinctUrls: seen.size,
      reqPerSec: Math.round(result.requests.average),
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      statuses: Object.fromEntries(statuses),
      rssMb: { start: startRss, middlePeak, lastPeak, peak: await peakRssMb(server.pid!), samples },
      rssGrowth: Number(growth.toFixed(3)),
    };
    const ok = failed === 0 && growth <= RSS_TOLERANCE;

    console.log(`
${figures.requests} requests over ${figures.distinctUrls} distinct URLs, ${figures.reqPerSec} req/s
latency ms: p50 ${figures.latencyMs.p50}, p99 ${figures.latencyMs.p99}, max ${figures.latencyMs.max}
errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}; statuses ${JSON.stringify(figures.statuses)}
RSS MB: ${startRss} before load, peak ${middlePeak} in the middle third, ${lastPeak} in the last third (${(growth * 100).toFixed(1)}% growth, tolerance ${RSS_TOLERANCE * 100}%), peak overall ${figures.rssMb.peak}
${ok ? 'PASS' : 'FAIL'}: ${failed === 0 ? 'no failed request' : `${failed} failed requests`}, memory ${growth <= RSS_TOLERANCE ? 'stable' : 'growing'}`);
    await saveResults('load', figures);
    if (!ok) process.exitCode = 1;
  } finally {
    await stopAll(children);
    await blog.drop();
  }
}

await main();
