// npm run bench:budget [-- N]: the most expensive requests the public API allows, each timed
// uncached on a blog of N articles (default 10,000), against the budget docs/performance.md
// sets: every request allowed answers within BUDGET_MS, and a request past a limit is refused
// within REFUSAL_MS. One connection (wrk -c1, in its own process), the response cache off,
// so each figure is the latency of the request itself, not of a queue.
//
// BENCH_BUDGET_DATABASE_URL=… measures an already imported blog instead of generating one.
import { writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SEARCH_CANDIDATES } from '../src/blog/lists.queries.js';
import { MAX_LIMIT } from '../src/blog/params.js';
import { FILTER_LIMITS } from '../src/api/ghost/nql.js';
import { VOCABULARY } from './corpus.js';
import { freePort, ready, saveResults, scratchBlog, startQuire, stopAll } from './support.js';
import { ensureWrk, round, wrk } from './wrk-runner.js';

const BUDGET_MS = 100;
const REFUSAL_MS = 50;
const SECONDS = Number(process.env.BENCH_DURATION ?? 4);
const KEY = '0123456789abcdef0123456789';

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return (await res.json()) as T;
}

async function main() {
  ensureWrk();
  const count = Number(process.argv[2] ?? 10_000);
  const given = process.env.BENCH_BUDGET_DATABASE_URL;
  console.log(given ? `measuring the blog at ${new URL(given).pathname.slice(1)}` : `generating and importing ${count} articles…`);
  const blog = given ? undefined : await scratchBlog('bench_budget', count);
  const dbUrl = given ?? blog!.dbUrl;
  const port = await freePort();
  const quire = startQuire(dbUrl, port, { QUIRE_RESPONSE_CACHE: 'off', QUIRE_GHOST_CONTENT_KEYS: KEY });
  const base = `http://127.0.0.1:${port}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-budget-'));
  try {
    await ready(`${base}/readyz`, quire);
    const tags = (await json<{ data: { slug: string }[] }>(`${base}/v1/tags?limit=100&sort=-count`)).data.map((t) => t.slug);
    const categories = (await json<{ data: { slug: string }[] }>(`${base}/v1/categories?limit=100&sort=-count`)).data.map((t) => t.slug);
    const authors = (await json<{ data: { slug: string }[] }>(`${base}/v1/authors?limit=100&sort=-count`)).data.map((t) => t.slug);
    const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
    const ghost = (resource: string, params: Record<string, string>) => `/ghost/api/content/${resource}/?${q({ key: KEY, ...params })}`;
    // 20 slugs (a list's maximum): the blog's own first, then slugs of nothing.
    const twenty = (list: string[]) => [...list, ...Array.from({ length: 20 }, (_, i) => `none-${i}`)].slice(0, 20).join(',');
    const { relations, conditions, values } = FILTER_LIMITS;
    // The largest filter allowed: every relation, the rest of the conditions, every value.
    const relationClauses = tags.slice(0, relations).map((t) => `tag:${t}`);
    const other = Array.from({ length: conditions - relations - 1 }, (_, i) => `title:-'nothing ${i}'`);
    const slugList = `slug:-[${Array.from({ length: values - relations - other.length }, (_, i) => `no-such-post-${i}`).join(',')}]`;
    const largest = [
      ...relationClauses.slice(0, relations / 2),
      `(${[...relationClauses.slice(relations / 2)].join(',')})`,
      slugList,
      ...other,
    ].join('+');
    const common = VOCABULARY.slice(0, 40)
      .join(' or ')
      .slice(0, 200)
      .replace(/ or\s*\S*$/, '');
    const deepest = Math.ceil(count / MAX_LIMIT);

    const cases: { name: string; url: string; refused?: boolean }[] = [
      {
        name: 'Ghost: 200 ANDed tags (refused)',
        url: ghost('posts', { filter: Array.from({ length: 200 }, (_, i) => `tag:${tags[i % tags.length]}`).join('+') }),
        refused: true,
      },
      {
        name: `Ghost: the largest filter allowed (${conditions} conditions, ${relations} tags, ${values} values)`,
        url: ghost('posts', { filter: largest, include: 'tags,authors', formats: 'html,plaintext', limit: '100' }),
      },
      {
        name: `Ghost: ${values} tags as one [list], every include and format`,
        url: ghost('posts', {
          filter: `tag:[${tags.slice(0, values).join(',')}]`,
          include: 'tags,authors',
          formats: 'html,plaintext',
          limit: '100',
        }),
      },
      {
        name: 'Ghost: the deepest page, ordered by three fields',
        url: ghost('posts', { page: String(deepest), limit: '100', order: 'featured desc,title asc,reading_time desc' }),
      },
      { name: 'Ghost: limit=all (100, as Ghost 6)', url: ghost('posts', { limit: 'all', include: 'tags,authors' }) },
      {
        name: '/v1: every list filter at its maximum, view=full',
        url: `/v1/posts?${q({ tag: twenty(tags), tagNot: twenty(tags.slice(20)), category: twenty(categories), categoryNot: twenty(categories.slice(20)), author: twenty(authors), from: '2000-01-01', to: '2100-01-01', view: 'full', limit: '100' })}`,
      },
      { name: '/v1: tagAll of 20 tags', url: `/v1/posts?${q({ tagAll: twenty(tags), limit: '100' })}` },
      { name: '/v1: the deepest page of 100, view=full', url: `/v1/posts?${q({ page: String(deepest), limit: '100', view: 'full' })}` },
      { name: '/v1: search, the most common word', url: `/v1/search?${q({ q: VOCABULARY[0]!, limit: '100' })}` },
      { name: '/v1: search, 200 characters of common words (or)', url: `/v1/search?${q({ q: common, limit: '100' })}` },
      { name: '/v1: search, a phrase of common words', url: `/v1/search?${q({ q: `"${VOCABULARY[0]} ${VOCABULARY[1]}"`, limit: '100' })}` },
      {
        name: `/v1: search, the page past the ${SEARCH_CANDIDATES} ranked`,
        url: `/v1/search?${q({ q: VOCABULARY[0]!, limit: '100', page: String(SEARCH_CANDIDATES / 100 + 1) })}`,
      },
      { name: '/v1: RSS of 100 posts', url: '/v1/feed.xml?limit=100' },
      { name: '/v1: tags, most used first', url: '/v1/tags?limit=100&sort=-count' },
    ];

    const rows = [];
    for (const c of cases) {
      const first = await fetch(`${base}${c.url}`);
      await first.arrayBuffer();
      const expected = c.refused ? 400 : 200;
      if (first.status !== expected) throw new Error(`${c.name}: ${first.status}, expected ${expected} (${c.url.slice(0, 300)})`);
      const file = path.join(dir, `${rows.length}.txt`);
      await writeFile(file, `${c.url}\n`);
      const m = await wrk(base, file, { seconds: SECONDS, connections: 1, threads: 1 });
      const target = c.refused ? REFUSAL_MS : BUDGET_MS;
      rows.push({ request: c.name, status: expected, p50: m.p50, p99: m.p99, target, ok: m.p99 <= target, wrkCpu: m.wrkCpu });
      console.log(`${c.name}: p50 ${m.p50} ms, p99 ${m.p99} ms (target ${target} ms)`);
    }
    console.log('\n| request | status | p50 ms | p99 ms | target ms | met |');
    console.log('| --- | ---: | ---: | ---: | ---: | --- |');
    for (const r of rows)
      console.log(`| ${r.request} | ${r.status} | ${round(r.p50)} | ${round(r.p99)} | ${r.target} | ${r.ok ? 'yes' : '**no**'} |`);
    await saveResults('budget', { articles: given ? null : count, seconds: SECONDS, rows });
    if (rows.some((r) => !r.ok)) process.exitCode = 1;
  } finally {
    await stopAll([quire]);
    await blog?.drop();
  }
}

await main();
