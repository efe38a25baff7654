// Tags, categories and authors: one query shape for the three, counting only public posts,
// so a tag whose posts are all drafts or scheduled does not exist to the public yet.
import type { Reader } from '../db/reader.js';
import { empty, raw, type Sql, sql } from '../db/sql.js';
import { publicPost } from './documents.sql.js';
import { fieldsOf } from './json.js';
import { AuthorSchema, CategorySchema, TagSchema } from './schemas.js';
import { TAXONOMIES, type TaxonomyKind } from './taxonomies.js';

export type TaxonomySort = 'name' | '-name' | 'count' | '-count';

const ORDER: Record<TaxonomySort, string> = {
  name: 'name ASC, slug ASC',
  '-name': 'name DESC, slug DESC',
  count: '"postCount" ASC, name ASC, slug ASC',
  '-count': '"postCount" DESC, name ASC, slug ASC',
};

const SCHEMAS = { tag: TagSchema, category: CategorySchema, author: AuthorSchema } as const;

/** Terms with their count of public posts, as the API shows them. */
function counted(kind: TaxonomyKind, now: Date, where: Sql = empty): Sql {
  const { table, join, fk } = TAXONOMIES[kind];
  const exprs = {
    slug: raw('t.slug'),
    name: raw('t.name'),
    postCount: raw('count(*)::int'),
    ...(kind === 'author' && { url: raw('t.url'), affiliation: raw('t.affiliation') }),
  };
  return sql`
    SELECT ${fieldsOf(SCHEMAS[kind], exprs)}
    FROM ${raw(`"${table}"`)} t
    JOIN ${raw(`"${join}"`)} j ON j.${raw(`"${fk}"`)} = t.id
    JOIN "Post" p ON p.id = j."postId"
    WHERE ${publicPost(now)} ${where}
    GROUP BY t.id`;
}

export async function listTaxonomy(
  reader: Reader,
  kind: TaxonomyKind,
  page: { page: number; limit: number; sort?: TaxonomySort },
  now: Date,
): Promise<{ items: string[]; keys: string[]; total: number }> {
  const rows = await reader.query<{ json: string; total: number; slug: string }>(sql`
    SELECT row_to_json(c)::text AS json, c.slug, count(*) OVER ()::int AS total FROM (${counted(kind, now)}) c
    ORDER BY ${raw(ORDER[page.sort ?? 'name'])}
    LIMIT ${page.limit} OFFSET ${(page.page - 1) * page.limit}`);
  // Past the last page there are no rows to carry the total: count it alone.
  const total =
    rows[0]?.total ?? (await reader.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM (${counted(kind, now)}) c`))[0]?.n ?? 0;
  return { items: rows.map((r) => r.json), keys: rows.map((r) => `${kind}:${r.slug}`), total };
}

export async function getTaxonomy(reader: Reader, kind: TaxonomyKind, slug: string, now: Date): Promise<string | null> {
  const [row] = await reader.query<{ json: string }>(
    sql`SELECT row_to_json(c)::text AS json FROM (${counted(kind, now, sql`AND t.slug = ${slug}`)}) c`,
  );
  return row?.json ?? null;
}
