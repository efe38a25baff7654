// Reading documents: one post or page by slug or by path (with what it links to), and lists
// of pages (lists of posts and search: lists.queries.ts). Each answer is JSON text made by PostgreSQL in the shape of the
// response's zod schema (json.ts); Node adds the envelope and sends it.
import type { Reader } from '../db/reader.js';
import { empty, sql } from '../db/sql.js';
import { BadCursorError, type Origins, pageFields, pageSummaryFields, postDetailFields } from './documents.sql.js';
import { fieldsOf } from './json.js';
import { publicDocument, publicPage, publicPost } from './visibility.js';
import { lookupPaths, type Site } from './urls.js';

export { BadCursorError };

export interface ReadContext {
  site: Site;
  /** The API's public origin (media URLs). */
  apiUrl: string;
  now: Date;
}

/** Where a response's URLs point, for this request. */
export const origins = (ctx: ReadContext): Origins => ({ site: ctx.site.url, api: ctx.apiUrl });

export type DocumentKey = { kind: 'post' | 'page'; slug: string } | { path: string };

export interface DocumentOptions {
  lang?: string;
  text?: boolean;
  /** A preview: this document's id, shown whatever its visibility (and before any other). */
  previewId?: number;
}

export type DocumentResult =
  | { kind: 'post' | 'page'; json: string; slug: string; lang: string; path: string; keys: string[] }
  | { redirect: { kind: 'post' | 'page'; slug: string; lang: string; path: string } }
  | null;

/**
 * One public document by slug (in the asked language, else the default one, else any) or by
 * path. Not found, the slug or path may be an old one (an alias): then where it is now.
 */
export async function getDocument(reader: Reader, key: DocumentKey, options: DocumentOptions, ctx: ReadContext): Promise<DocumentResult> {
  const { site, now } = ctx;
  const published = 'kind' in key ? publicDocument(key.kind, now) : sql`(${publicDocument('post', now)} OR ${publicPage(now)})`;
  const previewed = options.previewId !== undefined ? sql`p.id = ${options.previewId}` : undefined;
  const visible = previewed ? sql`(${published} OR ${previewed})` : published;
  const paths = 'kind' in key ? [] : lookupPaths(key.path);
  const match = 'kind' in key ? sql`p.slug = ${key.slug} AND p.kind = ${key.kind}::"DocumentKind"` : sql`p.path = ANY(${paths}::text[])`;
  const langCond = options.lang ? sql`AND p.lang = ${options.lang}` : empty;
  const text = !!options.text;
  const post = postDetailFields(origins(ctx), now, text);
  const page = pageFields(origins(ctx), now, text);
  const postJson = sql`(SELECT row_to_json(j) FROM (SELECT ${fieldsOf(post.schema, post.exprs)}) j)`;
  const pageJson = sql`(SELECT row_to_json(j) FROM (SELECT ${fieldsOf(page.schema, page.exprs)}) j)`;
  // By kind, only that kind's fields: the planner plans one of the two JSON shapes, not both
  // (planning is most of a post read's time in PostgreSQL: docs/performance.md).
  const json = !('kind' in key)
    ? sql`CASE p.kind WHEN 'post' THEN ${postJson} ELSE ${pageJson} END`
    : key.kind === 'post'
      ? postJson
      : pageJson;
  const [row] = await reader.query<{ kind: 'post' | 'page'; slug: string; lang: string; path: string; json: string; keys: string[] }>(sql`
    SELECT p.kind, p.slug, p.lang, p.path, ${json}::text AS json,
      -- What it holds, for Surrogate-Key: itself, and its terms (a CDN purges by either).
      ARRAY[p.kind || ':' || p.lang || '/' || p.slug]
        || ARRAY(SELECT 'tag:' || (x->>'slug') FROM json_array_elements(p."tagsJson") x)
        || ARRAY(SELECT 'category:' || (x->>'slug') FROM json_array_elements(p."categoriesJson") x)
        || ARRAY(SELECT 'author:' || (x->>'slug') FROM json_array_elements(p."authorsJson") x) AS keys
    FROM "Post" p
    WHERE ${match} AND ${visible} ${langCond}
    ORDER BY ${previewed ? sql`(${previewed}) DESC, ` : empty}${paths.length ? sql`(p.path = ${paths[0]}) DESC, ` : empty}(p.lang = ${site.defaultLang}) DESC, p.lang
    LIMIT 1`);
  if (row) return row;
  return findAlias(reader, key, options.lang, ctx);
}

async function findAlias(reader: Reader, key: DocumentKey, lang: string | undefined, ctx: ReadContext): Promise<DocumentResult> {
  const alias =
    'kind' in key
      ? sql`${key.slug} = ANY(p."aliasSlugs") AND p.kind = ${key.kind}::"DocumentKind"`
      : sql`${lookupPaths(key.path)}::text[] && p."aliasPaths"`;
  const [row] = await reader.query<{ kind: 'post' | 'page'; slug: string; lang: string; path: string }>(sql`
    SELECT p.kind, p.slug, p.lang, p.path FROM "Post" p
    WHERE ${alias} AND (${publicDocument('post', ctx.now)} OR ${publicPage(ctx.now)}) ${lang ? sql`AND p.lang = ${lang}` : empty}
    ORDER BY (p.lang = ${ctx.site.defaultLang}) DESC, p.lang, p.id LIMIT 1`);
  return row ? { redirect: row } : null;
}

/** Public pages, by title. */
export async function listPages(
  reader: Reader,
  options: { page: number; limit: number; lang?: string },
  ctx: ReadContext,
): Promise<{ items: string[]; keys: string[]; total: number }> {
  const { schema, exprs } = pageSummaryFields(origins(ctx));
  const where = sql`${publicPage(ctx.now)} ${options.lang ? sql`AND p.lang = ${options.lang}` : empty}`;
  const rows = await reader.query<{ json: string; total: number; slug: string; lang: string }>(sql`
    WITH page AS (
      SELECT p.id, p.slug, p.lang, p.title, (count(*) OVER ())::int AS total FROM "Post" p WHERE ${where}
      ORDER BY p.title, p.id LIMIT ${options.limit} OFFSET ${(options.page - 1) * options.limit}
    )
    SELECT page.total, page.slug, page.lang, (SELECT row_to_json(j)::text FROM (SELECT ${fieldsOf(schema, exprs)} FROM "Post" p WHERE p.id = page.id) j) AS json
    FROM page ORDER BY page.title, page.id`);
  // Past the last page there are no rows to carry the total: count it alone.
  const total =
    rows[0]?.total ?? (await reader.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM "Post" p WHERE ${where}`))[0]?.n ?? 0;
  return { items: rows.map((r) => r.json), keys: rows.map((r) => `page:${r.lang}/${r.slug}`), total };
}

/** The latest moment public content changed: an import, or a scheduled post going live. */
export async function lastChange(reader: Reader, now: Date): Promise<Date> {
  const [row] = await reader.query<{ at: Date | null }>(sql`
    SELECT greatest((SELECT "changedAt" FROM "ContentState" WHERE id = 1),
                    (SELECT max(p."publishedAt") FROM "Post" p WHERE ${publicPost(now)})) AS at`);
  return row?.at ?? new Date(0);
}
