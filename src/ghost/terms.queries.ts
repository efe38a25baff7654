// Tags and authors as Ghost serves them: those carried by public posts of the site's default
// language (as /v1 counts them: a tag whose posts are all drafts does not exist yet), with
// count.posts when asked.
import { publicPage, publicPost } from '../blog/documents.sql.js';
import { fieldsOf } from '../blog/json.js';
import { TAXONOMIES } from '../blog/taxonomies.js';
import type { Reader } from '../db/reader.js';
import { raw, type Sql, sql } from '../db/sql.js';
import type { GhostContext } from './documents.queries.js';
import type { FilterFields } from './nql.js';
import type { OrderFields, Shape } from './params.js';
import { GhostAuthorFieldsSchema, GhostAuthorSchema, GhostTagFieldsSchema, GhostTagSchema } from './schemas.js';
import { authorExprs, tagExprs, termId } from './shapes.sql.js';

export type TermKind = 'tag' | 'author';

export const termFilters = (kind: TermKind): FilterFields => ({
  id: { kind: 'text', expr: termId(kind, raw('c.slug')) },
  slug: { kind: 'text', expr: raw('c.slug') },
  name: { kind: 'text', expr: raw('c.name') },
  visibility: { kind: 'text', expr: raw(`'public'::text`) },
});

export const TERM_ORDER: OrderFields = { name: raw('c.name'), slug: raw('c.slug'), 'count.posts': raw('c.posts') };
export const TERM_TIE_BREAK = raw('c.slug ASC');

/** Each term with its count of public posts, as `c`; among authors, the site's (documents.queries.ts). */
function counted(kind: TermKind, ctx: GhostContext): Sql {
  const { table, join: j, fk } = TAXONOMIES[kind];
  const columns = kind === 'author' ? raw('t.slug, t.name, t.url, t.affiliation') : raw('t.slug, t.name');
  const terms = sql`
    SELECT ${columns}, count(*)::int AS posts
    FROM ${raw(`"${table}"`)} t
    JOIN ${raw(`"${j}"`)} j ON j.${raw(`"${fk}"`)} = t.id
    JOIN "Post" p ON p.id = j."postId"
    WHERE ${publicPost(ctx.now)} AND p.lang = ${ctx.lang}
    GROUP BY t.id`;
  if (kind === 'tag') return terms;
  const { slug, name } = ctx.siteAuthor;
  return sql`${terms}
    UNION ALL
    -- Listed while a public post or page shows it; its count, as every author's, is of posts.
    SELECT ${slug}::text, ${name}::text, NULL::text, NULL::text, (count(*) FILTER (WHERE p.kind = 'post'))::int FROM "Post" p
    WHERE (${publicPost(ctx.now)} OR ${publicPage(ctx.now)}) AND p.lang = ${ctx.lang} AND json_array_length(p."authorsJson") = 0
      AND NOT EXISTS (SELECT 1 FROM "Author" a WHERE a.slug = ${slug})
    HAVING count(*) > 0`;
}

function termFields(kind: TermKind, shape: Shape, site: string): Sql {
  const all: Record<string, Sql> =
    kind === 'tag'
      ? tagExprs(raw('c.slug'), raw('c.name'), site)
      : authorExprs({ slug: raw('c.slug'), name: raw('c.name'), url: raw('c.url'), affiliation: raw('c.affiliation') }, site);
  const exprs = Object.fromEntries(Object.entries(all).filter(([k]) => !shape.fields || shape.fields.has(k)));
  // Compact, as row_to_json writes the rest.
  if (shape.include.has('count.posts')) exprs.count = raw(`('{"posts":' || c.posts || '}')::json`);
  const schema =
    kind === 'tag' ? (shape.fields ? GhostTagFieldsSchema : GhostTagSchema) : shape.fields ? GhostAuthorFieldsSchema : GhostAuthorSchema;
  return fieldsOf(schema, exprs);
}

export async function browseTerms(
  reader: Reader,
  kind: TermKind,
  b: { where: Sql | undefined; order: Sql; limit: number | undefined; page: number; shape: Shape },
  ctx: GhostContext,
): Promise<{ items: string[]; keys: string[]; total: number }> {
  const where = b.where ? sql`WHERE ${b.where}` : raw('');
  const window = b.limit === undefined ? raw('') : raw(`LIMIT ${b.limit} OFFSET ${(b.page - 1) * b.limit}`);
  const rows = await reader.query<{ json: string; slug: string; total: number }>(sql`
    SELECT (SELECT row_to_json(j)::text FROM (SELECT ${termFields(kind, b.shape, ctx.origins.site)}) j) AS json, c.slug, count(*) OVER ()::int AS total
    FROM (${counted(kind, ctx)}) c ${where}
    ORDER BY ${b.order} ${window}`);
  const total =
    rows[0]?.total ??
    (await reader.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM (${counted(kind, ctx)}) c ${where}`))[0]?.n ??
    0;
  return { items: rows.map((r) => r.json), keys: rows.map((r) => `${kind}:${r.slug}`), total };
}

export async function readTerm(
  reader: Reader,
  kind: TermKind,
  by: { id: string } | { slug: string },
  shape: Shape,
  ctx: GhostContext,
): Promise<{ json: string; slug: string } | null> {
  const match = 'id' in by ? sql`${termId(kind, raw('c.slug'))} = ${by.id}` : sql`c.slug = ${by.slug}`;
  const [row] = await reader.query<{ json: string; slug: string }>(sql`
    SELECT (SELECT row_to_json(j)::text FROM (SELECT ${termFields(kind, shape, ctx.origins.site)}) j) AS json, c.slug
    FROM (${counted(kind, ctx)}) c WHERE ${match}`);
  return row ?? null;
}
