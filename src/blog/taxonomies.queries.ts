// Tags and categories: one query shape for both, counting only public posts, so a tag whose
// posts are all drafts or scheduled does not exist to the public yet.
import type { Db } from '../db/client.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Taxonomy } from './schemas.js';

export type TaxonomyKind = 'tag' | 'category';

// Identifiers come from this constant map only, never from a request.
const TABLES: Record<TaxonomyKind, { table: string; join: string; fk: string }> = {
  tag: { table: 'Tag', join: 'PostTag', fk: 'tagId' },
  category: { table: 'Category', join: 'PostCategory', fk: 'categoryId' },
};

function fromPublic(kind: TaxonomyKind, now: Date) {
  const { table, join, fk } = TABLES[kind];
  return Prisma.sql`
    FROM ${Prisma.raw(`"${table}"`)} t
    JOIN ${Prisma.raw(`"${join}"`)} j ON j.${Prisma.raw(`"${fk}"`)} = t.id
    JOIN "Post" p ON p.id = j."postId"
    WHERE NOT p.draft AND p."publishedAt" <= ${now}`;
}

export async function listTaxonomy(
  db: Db,
  kind: TaxonomyKind,
  page: { page: number; limit: number },
  now = new Date(),
): Promise<{ items: Taxonomy[]; total: number }> {
  const rows = await db.$queryRaw<(Taxonomy & { total: number })[]>`
    SELECT t.slug, t.name, count(*)::int AS "postCount", (count(*) OVER ())::int AS total
    ${fromPublic(kind, now)}
    GROUP BY t.id
    ORDER BY t.name, t.slug
    LIMIT ${page.limit} OFFSET ${(page.page - 1) * page.limit}`;
  // Past the last page there are no rows to carry the total: count it alone.
  const total = rows[0]?.total ?? (await countTaxonomy(db, kind, now));
  return { items: rows.map(({ slug, name, postCount }) => ({ slug, name, postCount })), total };
}

async function countTaxonomy(db: Db, kind: TaxonomyKind, now: Date): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`SELECT count(DISTINCT t.id)::int AS n ${fromPublic(kind, now)}`;
  return row?.n ?? 0;
}

export async function getTaxonomy(db: Db, kind: TaxonomyKind, slug: string, now = new Date()): Promise<Taxonomy | null> {
  const [row] = await db.$queryRaw<Taxonomy[]>`
    SELECT t.slug, t.name, count(*)::int AS "postCount"
    ${fromPublic(kind, now)} AND t.slug = ${slug}
    GROUP BY t.id`;
  return row ?? null;
}
