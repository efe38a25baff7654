// Posts and pages as Ghost serves them: the same public documents /v1 serves (blog/'s
// visibility rules), in the site's default language, their JSON built by PostgreSQL.
import { carryingAny, publicDocument } from '../blog/documents.sql.js';
import { fieldsOf, jsonArray, jsonRow } from '../blog/json.js';
import type { Reader } from '../db/reader.js';
import { join, raw, type Sql, sql } from '../db/sql.js';
import type { FilterFields } from './nql.js';
import type { OrderFields, Shape } from './params.js';
import { GhostAuthorSchema, GhostPostFieldsSchema, GhostPostSchema, GhostTagSchema } from './schemas.js';
import { authorExprs, documentExprs, documentId, type Origins, tagExprs } from './shapes.sql.js';

export type Kind = 'post' | 'page';

/**
 * Ghost gives every document an author, and Ghost frontends rely on it (primary_author.url,
 * a non-null link in gatsby-source-ghost): a document with none shows the site's author,
 * named after the site, who is listed with them (terms.queries.ts).
 */
export interface SiteAuthor {
  slug: string;
  name: string;
}

export interface GhostContext {
  origins: Origins;
  lang: string;
  now: Date;
  siteAuthor: SiteAuthor;
}

/** A document's authors as stored, or the site's author when it has none. */
const authorsOf = (siteAuthor: SiteAuthor, a = 'p') =>
  sql`(CASE WHEN json_array_length(${raw(`${a}."authorsJson"`)}) = 0 THEN ${JSON.stringify([{ ...siteAuthor, url: null, affiliation: null }])}::json ELSE ${raw(`${a}."authorsJson"`)} END)`;

/**
 * The documents carrying any of `slugs`: one array test. The site's author is the author of
 * every document that names none.
 */
function carrying(kind: 'tag' | 'author', slugs: string[], siteAuthor?: SiteAuthor): Sql {
  if (!siteAuthor || !slugs.includes(siteAuthor.slug)) return carryingAny(kind, slugs);
  return sql`(${carryingAny(kind, slugs)} OR cardinality(p."authorSlugs") = 0)`;
}

/**
 * What a post or page list may be filtered by. Each is something whose change an import
 * reports as moving the document among lists (cache-keys.ts), so a cached filtered list
 * never outlives it; a field an edit in place could change (the cover) is left out.
 */
export const documentFilters = (siteAuthor: SiteAuthor): FilterFields => ({
  id: { kind: 'text', expr: documentId() },
  uuid: { kind: 'text', expr: raw('p.uuid::text') },
  slug: { kind: 'text', expr: raw('p.slug') },
  title: { kind: 'text', expr: raw('p.title') },
  featured: { kind: 'bool', expr: raw('p.featured') },
  visibility: { kind: 'text', expr: raw(`'public'::text`) },
  status: { kind: 'text', expr: raw(`'published'::text`) },
  published_at: { kind: 'date', expr: raw('coalesce(p."publishedAt", p."createdAt")') },
  created_at: { kind: 'date', expr: raw('coalesce(p."publishedAt", p."createdAt")') },
  updated_at: { kind: 'date', expr: raw('coalesce(p."revisedAt", p."createdAt")') },
  ...Object.fromEntries(['tag', 'tags', 'tags.slug'].map((k) => [k, { kind: 'relation', carrying: (s: string[]) => carrying('tag', s) }])),
  ...Object.fromEntries(
    ['author', 'authors', 'authors.slug'].map((k) => [
      k,
      { kind: 'relation', carrying: (s: string[]) => carrying('author', s, siteAuthor) },
    ]),
  ),
  ...Object.fromEntries(['primary_tag', 'primary_tag.slug'].map((k) => [k, { kind: 'text', expr: raw(`(p."tagsJson"->0->>'slug')`) }])),
  ...Object.fromEntries(
    ['primary_author', 'primary_author.slug'].map((k) => [
      k,
      { kind: 'text', expr: sql`coalesce(p."authorsJson"->0->>'slug', ${siteAuthor.slug}::text)` },
    ]),
  ),
});

export const DOCUMENT_ORDER: OrderFields = {
  published_at: raw('coalesce(p."publishedAt", p."createdAt")'),
  created_at: raw('coalesce(p."publishedAt", p."createdAt")'),
  updated_at: raw('coalesce(p."revisedAt", p."createdAt")'),
  title: raw('p.title'),
  slug: raw('p.slug'),
  featured: raw('p.featured'),
  reading_time: raw('p."readingMinutes"'),
  id: raw('p.uuid'),
};
export const DOCUMENT_TIE_BREAK = raw('p.id DESC');

const termsOf = (terms: Sql) => sql`FROM json_array_elements(${terms}) WITH ORDINALITY AS e(x, n) ORDER BY e.n`;

/** The select list of a document in Ghost's shape, with what `shape` asks for. */
function documentFields(shape: Shape, ctx: GhostContext): Sql {
  const o = ctx.origins;
  const all: Record<string, Sql> = documentExprs(o);
  const tag = tagExprs(raw(`(e.x->>'slug')`), raw(`(e.x->>'name')`), o.site);
  const author = authorExprs(
    { slug: raw(`(e.x->>'slug')`), name: raw(`(e.x->>'name')`), url: raw(`(e.x->>'url')`), affiliation: raw(`(e.x->>'affiliation')`) },
    o.site,
  );
  const exprs: Record<string, Sql> = {};
  for (const [k, v] of Object.entries(all)) {
    if (k === 'html' && !shape.formats.has('html')) continue;
    if (k === 'plaintext' && !shape.formats.has('plaintext')) continue;
    if (shape.fields && !shape.fields.has(k)) continue;
    exprs[k] = v;
  }
  if (shape.include.has('tags')) {
    exprs.tags = jsonArray(GhostTagSchema, tag, termsOf(raw('p."tagsJson"')));
    exprs.primary_tag = jsonRow(GhostTagSchema, tag, sql`${termsOf(raw('p."tagsJson"'))} LIMIT 1`);
  }
  if (shape.include.has('authors')) {
    exprs.authors = jsonArray(GhostAuthorSchema, author, termsOf(authorsOf(ctx.siteAuthor)));
    exprs.primary_author = jsonRow(GhostAuthorSchema, author, sql`${termsOf(authorsOf(ctx.siteAuthor))} LIMIT 1`);
  }
  if (shape.include.has('tiers')) exprs.tiers = raw(`'[]'::json`);
  return shape.fields ? fieldsOf(GhostPostFieldsSchema, exprs) : fieldsOf(GhostPostSchema, exprs);
}

export interface Browse {
  where: Sql | undefined;
  order: Sql;
  /** undefined: all. */
  limit: number | undefined;
  page: number;
  shape: Shape;
}

export interface BrowseResult {
  items: string[];
  /** Cache keys of the documents listed. */
  keys: string[];
  total: number;
}

export async function browseDocuments(reader: Reader, kind: Kind, b: Browse, ctx: GhostContext): Promise<BrowseResult> {
  const where = join([publicDocument(kind, ctx.now), sql`p.lang = ${ctx.lang}`, ...(b.where ? [b.where] : [])], ' AND ');
  const window = b.limit === undefined ? raw('') : raw(`LIMIT ${b.limit} OFFSET ${(b.page - 1) * b.limit}`);
  // The page's ids first (counted and numbered over every match), then the JSON of those.
  const rows = await reader.query<{ json: string; total: number; slug: string; lang: string }>(sql`
    WITH page AS (
      SELECT p.id, p.slug, p.lang, (count(*) OVER ())::int AS total, row_number() OVER (ORDER BY ${b.order}) AS n
      FROM "Post" p WHERE ${where} ORDER BY ${b.order} ${window}
    )
    SELECT page.total, page.slug, page.lang,
      (SELECT row_to_json(j)::text FROM (SELECT ${documentFields(b.shape, ctx)} FROM "Post" p WHERE p.id = page.id) j) AS json
    FROM page ORDER BY page.n`);
  // Past the last page no row carries the total: count it alone.
  const total =
    rows[0]?.total ?? (await reader.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM "Post" p WHERE ${where}`))[0]?.n ?? 0;
  return { items: rows.map((r) => r.json), keys: rows.map((r) => `${kind}:${r.lang}/${r.slug}`), total };
}

/** One public document by Ghost id or slug, with the cache keys of what it shows. */
export async function readDocument(
  reader: Reader,
  kind: Kind,
  by: { id: string } | { slug: string },
  shape: Shape,
  ctx: GhostContext,
): Promise<{ json: string; keys: string[] } | null> {
  const match = 'id' in by ? sql`${documentId()} = ${by.id}` : sql`p.slug = ${by.slug}`;
  const [row] = await reader.query<{ json: string; keys: string[] }>(sql`
    SELECT (SELECT row_to_json(j)::text FROM (SELECT ${documentFields(shape, ctx)}) j) AS json,
      ARRAY[p.kind || ':' || p.lang || '/' || p.slug]
        || ARRAY(SELECT 'tag:' || (x->>'slug') FROM json_array_elements(p."tagsJson") x)
        || ARRAY(SELECT 'author:' || (x->>'slug') FROM json_array_elements(${authorsOf(ctx.siteAuthor)}) x) AS keys
    FROM "Post" p
    WHERE ${match} AND ${publicDocument(kind, ctx.now)} AND p.lang = ${ctx.lang}
    LIMIT 1`);
  return row ?? null;
}
