// Lists of posts: filters, sorts, page or cursor, full-text search with a bounded cost, and
// the bulk stream for static-site builds. Each item is JSON text made by PostgreSQL in the
// shape of the response's zod schema (json.ts); Node adds the envelope and sends it.
import type { Reader } from '../db/reader.js';
import { join, raw, type Sql, sql } from '../db/sql.js';
import { origins, type ReadContext } from './documents.queries.js';
import {
  afterCursor,
  type CursorRow,
  encodeCursor,
  filterConditions,
  fullFields,
  type Origins,
  orderBy,
  searchFields,
  summaryFields,
} from './documents.sql.js';
import { fieldsOf } from './json.js';
import type { Filters, Sort } from './params.js';
import { type PostField, PostFieldsSchema } from './schemas.js';
import { searchConfig } from './search-config.js';

export interface ListOptions extends Filters {
  page?: number;
  cursor?: string;
  limit: number;
  sort?: Sort;
  view: 'summary' | 'full';
  q?: string;
  /** Only these fields (the export's projection). */
  fields?: PostField[];
}

export interface ListResult {
  /** Each item's JSON text. */
  items: string[];
  /** Each item's cache key (post:<lang>/<slug>). */
  keys: string[];
  total: number;
  nextCursor: string | null;
}

// ts_headline parses all the text it is given: the first 8,000 characters hold most first
// matches, and cost a fraction of a long post's whole body.
const SNIPPET_TEXT_MAX = 8_000;
// Offsets up to this go into the SQL text, where the planner sees them (a good cached plan
// per page of a list); deeper ones are parameters, so pages past it share one statement.
const LITERAL_OFFSET_MAX = 200;

function itemFields(options: ListOptions, o: Origins, query: Sql | undefined) {
  if (query) {
    const { schema, exprs } = searchFields(o);
    return fieldsOf(schema, {
      ...exprs,
      snippet: sql`ts_headline(${raw(`'${searchConfigName(options)}'`)}::regconfig,
        replace(replace(replace(left(p.text, ${raw(String(SNIPPET_TEXT_MAX))}), '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), ${query},
        'StartSel=<mark>, StopSel=</mark>, MaxFragments=2, MaxWords=25, MinWords=8, FragmentDelimiter=" … "')`,
    });
  }
  if (options.fields) {
    const wanted = new Set(['slug', 'lang', ...options.fields]);
    return fieldsOf(PostFieldsSchema, Object.fromEntries(Object.entries(fullFields(o).exprs).filter(([k]) => wanted.has(k))));
  }
  const { schema, exprs } = options.view === 'full' ? fullFields(o) : summaryFields(o);
  return fieldsOf(schema, exprs);
}

/** Search runs within one language: its vectors were made with that language's stemmer. */
const searchConfigName = (options: ListOptions & { searchLang?: string }) => searchConfig(options.searchLang ?? 'en');

/**
 * Candidates a search ranks. Ranking reads each match's whole vector: over every match of a
 * common word that is thousands of reads a request. So the matches are found through the index
 * alone, the ones whose title or description match come first, then the newest, and the first
 * SEARCH_CANDIDATES of those are ranked; the other matches follow, newest first, rank 0.
 */
export const SEARCH_CANDIDATES = 200;

export async function listPosts(reader: Reader, options: ListOptions, ctx: ReadContext): Promise<ListResult> {
  const sort: Sort =
    options.sort === 'relevance' && !options.q ? '-publishedAt' : (options.sort ?? (options.q ? 'relevance' : '-publishedAt'));
  const lang = options.q ? (options.lang ?? ctx.site.defaultLang) : options.lang;
  const searching = { ...options, lang, searchLang: lang };
  const query = options.q ? sql`websearch_to_tsquery(${raw(`'${searchConfigName(searching)}'`)}::regconfig, ${options.q})` : undefined;
  const rank = query ? raw('p.rank') : raw('0::real');
  const matching = filterConditions({ ...options, lang }, ctx.now);
  // A search filters its matches inside `source`; what is left here is the cursor.
  const cut = options.cursor ? [afterCursor(options.cursor, sort, rank)] : [];
  const where = query ? cut : [...matching, ...cut];
  // Cursor paging (an empty cursor starts it) ignores page.
  const offset = options.cursor !== undefined ? 0 : ((options.page ?? 1) - 1) * options.limit;
  const offsetSql = offset <= LITERAL_OFFSET_MAX ? raw(String(offset)) : sql`${offset}`;
  const pageOrder = orderBy(sort, raw('page.rank'), 'page');

  // The rows a page is cut from. A search's matches come from quire_search() (the index only),
  // each with its rank (candidates) or 0, and the count of all of them.
  const source = query
    ? sql`(
        SELECT h.*, (CASE WHEN h.n <= ${raw(String(SEARCH_CANDIDATES))}
            THEN (SELECT ts_rank_cd(x."searchVector", ${query}) FROM "Post" x WHERE x.id = h.id) ELSE 0 END)::real AS rank,
          (count(*) OVER ())::int AS total
        FROM (
          SELECT p.*, row_number() OVER (ORDER BY p.head DESC, p."publishedAt" DESC, p.id DESC) AS n
          FROM quire_search(${query}) p WHERE ${join(matching, ' AND ')}
        ) h
      ) p`
    : raw('"Post" p');
  // The page's ids first, then the JSON of those rows only: a row the page drops is never
  // built. The total: a search's comes with its matches; otherwise a count of its own reads
  // the index alone (a window over the page's query would fetch every matching row from the
  // heap, 20 ms at 10,000 posts).
  const total = query ? raw('p.total') : sql`(SELECT count(*) FROM "Post" p WHERE ${join(matching, ' AND ')})::int`;
  const rows = await reader.query<CursorRow & { slug: string; lang: string; total: number; json: string }>(sql`
    WITH page AS (
      SELECT p.id, p.slug, p.lang, p."publishedAt", p."revisedAt", p.title, ${rank} AS rank, ${total} AS total
      FROM ${source}
      WHERE ${where.length ? join(where, ' AND ') : raw('true')}
      ORDER BY ${orderBy(sort, rank)}
      LIMIT ${raw(String(options.limit + 1))} OFFSET ${offsetSql}
    )
    SELECT page.id, page.slug, page.lang, page."publishedAt", page."revisedAt", page.title, page.rank, page.total,
      (SELECT row_to_json(j)::text FROM (SELECT ${itemFields(searching, origins(ctx), query)} FROM "Post" p WHERE p.id = page.id) j) AS json
    FROM page ORDER BY ${pageOrder}`);

  // One row past the page tells whether there is a next one.
  const more = rows.length > options.limit;
  if (more) rows.pop();
  // A search's total counts every match, cursor or not; a list's count of its own likewise.
  const count = rows[0] ? rows[0].total : await countPosts(reader, matching, query);
  const last = rows[rows.length - 1];
  return {
    items: rows.map((r) => r.json),
    keys: rows.map((r) => `post:${r.lang}/${r.slug}`),
    total: count,
    nextCursor: last && more ? encodeCursor(sort, last) : null,
  };
}

async function countPosts(reader: Reader, where: Sql[], query?: Sql): Promise<number> {
  const from = query ? sql`quire_search(${query}) p` : raw('"Post" p');
  const [row] = await reader.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${from} WHERE ${join(where, ' AND ')}`);
  return row?.n ?? 0;
}

/** Every matching post, oldest first, in batches: for NDJSON exports of a whole blog. */
export async function* streamPosts(
  reader: Reader,
  options: Omit<ListOptions, 'page' | 'cursor' | 'limit' | 'sort' | 'q'>,
  ctx: ReadContext,
  batch = 500,
): AsyncGenerator<string> {
  let cursor = '';
  for (;;) {
    const page = await listPosts(reader, { ...options, limit: batch, sort: 'publishedAt', cursor }, ctx);
    yield* page.items;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}
