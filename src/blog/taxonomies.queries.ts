// Tags, categories and authors: one query shape for the three, counting only public posts,
// so a tag whose posts are all drafts or scheduled does not exist to the public yet.
import type { Db } from '../db/client.js';
import { empty, isPublic, raw, sql } from './posts.sql.js';
import type { Taxonomy } from './schemas.js';

export type TaxonomyKind = 'tag' | 'category' | 'author';
export type TaxonomySort = 'name' | '-name' | 'count' | '-count';

// Identifiers come from this constant map only, never from a request.
const TABLES: Record<TaxonomyKind, { table: string; join: string; fk: string; url: boolean }> = {
  tag: { table: 'Tag', join: 'PostTag', fk: 'tagId', url: false },
  category: { table: 'Category', join: 'PostCategory', fk: 'categoryId', url: false },
  author: { table: 'Author', join: 'PostAuthor', fk: 'authorId', url: true },
};

const ORDER: Record<TaxonomySort, string> = {
  name: 't.name ASC, t.slug ASC',
  '-name': 't.name DESC, t.slug DESC',
  count: 'count(*) ASC, t.name ASC, t.slug ASC',
  '-count': 'count(*) DESC, t.name ASC, t.slug ASC',
};

function fromPublic(kind: TaxonomyKind, now: Date) {
  const { table, join, fk } = TABLES[kind];
  return sql`
    FROM ${raw(`"${table}"`)} t
    JOIN ${raw(`"${join}"`)} j ON j.${raw(`"${fk}"`)} = t.id
    JOIN "Post" p ON p.id = j."postId"
    WHERE ${isPublic(now)}`;
}

const columns = (kind: TaxonomyKind) =>
  sql`t.slug, t.name, count(*)::int AS "postCount" ${TABLES[kind].url ? sql`, t.url` : empty}`;

export async function listTaxonomy(
  db: Db,
  kind: TaxonomyKind,
  page: { page: number; limit: number; sort?: TaxonomySort },
  now = new Date(),
): Promise<{ items: Taxonomy[]; total: number }> {
  const rows = await db.$queryRaw<(Taxonomy & { total: number })[]>`
    SELECT ${columns(kind)}, (count(*) OVER ())::int AS total
    ${fromPublic(kind, now)}
    GROUP BY t.id
    ORDER BY ${raw(ORDER[page.sort ?? 'name'])}
    LIMIT ${page.limit} OFFSET ${(page.page - 1) * page.limit}`;
  // Past the last page there are no rows to carry the total: count it alone.
  const total = rows[0]?.total ?? (await countTaxonomy(db, kind, now));
  return { items: rows.map(({ total: _, ...item }) => item), total };
}

async function countTaxonomy(db: Db, kind: TaxonomyKind, now: Date): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`SELECT count(DISTINCT t.id)::int AS n ${fromPublic(kind, now)}`;
  return row?.n ?? 0;
}

export async function getTaxonomy(db: Db, kind: TaxonomyKind, slug: string, now = new Date()): Promise<Taxonomy | null> {
  const [row] = await db.$queryRaw<Taxonomy[]>`
    SELECT ${columns(kind)}
    ${fromPublic(kind, now)} AND t.slug = ${slug}
    GROUP BY t.id`;
  return row ?? null;
}
