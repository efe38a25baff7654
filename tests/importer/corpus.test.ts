// A generated blog of 5,000 varied articles (every front-matter habit in bench/corpus.ts)
// imports cleanly, and a second import finds nothing to do.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorpusStats, generateCorpus } from '../../bench/corpus.js';
import { VOCABULARY } from '../../bench/corpus.js';
import { getDocument } from '../../src/blog/documents.queries.js';
import { listPosts } from '../../src/blog/lists.queries.js';
import { createReader } from '../../src/db/reader.js';
import { importDir } from '../support/content.js';
import { plansOf } from '../support/explain.js';
import { useTestDatabase } from '../support/postgres.js';

const ARTICLES = 5_000;

const t = useTestDatabase();
let dir: string;
let stats: CorpusStats;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quire-corpus-'));
  stats = await generateCorpus(dir, ARTICLES);
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe(`a generated corpus of ${ARTICLES} articles`, () => {
  it('imports every article, with no problem and no warning', async () => {
    const summary = await importDir(t.db, dir);
    expect(summary.problems).toEqual([]);
    // The corpus's MDX components are dropped, and said to be; nothing else is amiss.
    expect(summary.warnings.filter((w) => !/^MDX component <Note> was removed/.test(w.message))).toEqual([]);
    expect(summary.media).toEqual({ files: stats.media, stored: stats.media, removed: 0 });
    expect(summary.created).toHaveLength(ARTICLES);
    expect(summary.skipped).toHaveLength(stats.sections);

    const now = new Date();
    const visible = await t.db.post.groupBy({
      by: ['lang'],
      where: { draft: false, publishedAt: { lte: now } },
      _count: true,
    });
    expect(Object.fromEntries(visible.map((g) => [g.lang, g._count]))).toEqual(stats.languages);
    expect(await t.db.post.count({ where: { draft: true } })).toBe(stats.drafts);
    expect(await t.db.post.count({ where: { publishedAt: { gt: now } } })).toBe(stats.scheduled);
  }, 120_000);

  it('is read through indexes, not whole-table scans', async () => {
    const ctx = {
      site: { url: 'https://b.example', title: 'T', description: '', defaultLang: 'en' },
      apiUrl: 'https://api.example',
      now: new Date(),
    };
    const reader = createReader(t.url, { poolSize: 2 });
    const [first] = (await listPosts(reader, { limit: 1, view: 'summary' }, ctx)).items;
    const slug = (JSON.parse(first!) as { slug: string }).slug;
    const plans = {
      list: await plansOf(reader, (r) => listPosts(r, { limit: 20, view: 'summary', lang: 'en' }, ctx)),
      post: await plansOf(reader, (r) => getDocument(r, { kind: 'post', slug }, {}, ctx)),
      search: await plansOf(reader, (r) => listPosts(r, { limit: 20, view: 'summary', q: VOCABULARY[300] }, ctx)),
      tag: await plansOf(reader, (r) => listPosts(r, { limit: 20, view: 'summary', tagAll: ['javascript'] }, ctx)),
    };
    await reader.close();
    expect(plans.list[0]).toMatch(/Index Scan using "Post_kind_lang_draft_publishedAt_id_expiresAt_idx"/);
    // The total is counted from the index alone, not from the rows with their bodies.
    expect(plans.list[0]).toMatch(/Index Only Scan using "Post_kind_lang_draft_publishedAt_id_expiresAt_idx"/);
    expect(plans.post[0]).toMatch(/"Post_slug_lang_kind_key"/);
    // A search's matches come from quire_search(), whose own query may use only the GIN index
    // (it turns sequential scans off), and the candidates' vectors by primary key.
    expect(plans.search[0]).toMatch(/Function Scan on quire_search/);
    expect(plans.search[0]).toMatch(/Index Scan using "Post_pkey"/);
    const [fn] = await t.db.$queryRaw<{ config: string[] }[]>`SELECT proconfig AS config FROM pg_proc WHERE proname = 'quire_search'`;
    expect(fn?.config).toEqual(['enable_seqscan=off']);
    const inside = await t.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      return tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
        `EXPLAIN SELECT id FROM "Post" p WHERE p."searchVector" @@ websearch_to_tsquery('english', $1)`,
        VOCABULARY[0],
      );
    });
    expect(inside.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Bitmap Index Scan on "Post_searchVector_idx"/);
    for (const plan of Object.values(plans).flat()) expect(plan).not.toMatch(/Seq Scan on "Post" /);
  });

  it('imports again with nothing to do', async () => {
    const summary = await importDir(t.db, dir);
    expect(summary).toMatchObject({ created: [], updated: [], deleted: [], unchanged: ARTICLES });
  }, 120_000);
});
