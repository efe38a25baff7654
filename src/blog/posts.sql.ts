// SQL fragments for reading posts: what the public may see, the columns of each shape (a
// post's tags, categories and authors come along as JSON, so a page is one round trip),
// filters by slug, ordering and keyset cursors.
import { Prisma } from '../generated/prisma/client.js';
import type { Sort } from './schemas.js';

export const sql = Prisma.sql;
export const raw = Prisma.raw;
export const join = Prisma.join;
export const empty = Prisma.empty;
export type Sql = Prisma.Sql;

/** Published and not in the future; a scheduled post appears on its own when its date comes. */
export const isPublic = (now: Date, alias = 'p') => sql`NOT ${raw(alias)}.draft AND ${raw(alias)}."publishedAt" <= ${now}`;

const terms = (join: string, table: string, fk: string, extra = '') => raw(`(
  SELECT coalesce(json_agg(json_build_object('slug', t.slug, 'name', t.name${extra}) ORDER BY j.position), '[]')
  FROM "${join}" j JOIN "${table}" t ON t.id = j."${fk}" WHERE j."postId" = p.id)`);

export const SUMMARY_COLUMNS = sql`p.id, p.slug, p.lang, p.title, p.description, p.excerpt, p.image,
  p."publishedAt", p."updatedAt", p."revisedAt", p."readingMinutes", p."wordCount",
  ${terms('PostTag', 'Tag', 'tagId')} AS tags,
  ${terms('PostCategory', 'Category', 'categoryId')} AS categories,
  ${terms('PostAuthor', 'Author', 'authorId', ", 'url', t.url")} AS authors`;

export const FULL_COLUMNS = sql`${SUMMARY_COLUMNS}, p.html, p.toc, p.extra, p.aliases`;

export interface SummaryRow {
  id: number;
  slug: string;
  lang: string;
  title: string;
  description: string | null;
  excerpt: string;
  image: string | null;
  publishedAt: Date;
  updatedAt: Date | null;
  revisedAt: Date;
  readingMinutes: number;
  wordCount: number;
  tags: { slug: string; name: string }[];
  categories: { slug: string; name: string }[];
  authors: { slug: string; name: string; url: string | null }[];
}

export interface FullRow extends SummaryRow {
  html: string;
  toc: { depth: number; text: string; id: string }[];
  extra: Record<string, unknown>;
  aliases: string[];
}

export interface Filters {
  tag?: string[];
  tagAll?: string[];
  tagNot?: string[];
  category?: string[];
  categoryNot?: string[];
  author?: string[];
  lang?: string;
  from?: Date;
  to?: Date;
}

// "p.id IN (the posts carrying …)": the planner hashes the few posts of a term once, where a
// correlated EXISTS or count would run once per post.
const carrying = (join: string, table: string, fk: string, slugs: string[]) =>
  sql`SELECT j."postId" FROM ${raw(`"${join}"`)} j JOIN ${raw(`"${table}"`)} t ON t.id = j.${raw(`"${fk}"`)}
    WHERE t.slug = ANY(${slugs}::text[])`;
const carries = (join: string, table: string, fk: string, slugs: string[]) => sql`p.id IN (${carrying(join, table, fk, slugs)})`;

export function filterConditions(f: Filters, now: Date): Sql[] {
  const c: Sql[] = [isPublic(now)];
  if (f.lang) c.push(sql`p.lang = ${f.lang}`);
  if (f.from) c.push(sql`p."publishedAt" >= ${f.from}`);
  if (f.to) c.push(sql`p."publishedAt" <= ${f.to}`);
  if (f.tag) c.push(carries('PostTag', 'Tag', 'tagId', f.tag));
  if (f.tagNot) c.push(sql`NOT ${carries('PostTag', 'Tag', 'tagId', f.tagNot)}`);
  if (f.tagAll) {
    const all = [...new Set(f.tagAll)];
    c.push(sql`p.id IN (${carrying('PostTag', 'Tag', 'tagId', all)} GROUP BY j."postId" HAVING count(DISTINCT t.slug) = ${all.length})`);
  }
  if (f.category) c.push(carries('PostCategory', 'Category', 'categoryId', f.category));
  if (f.categoryNot) c.push(sql`NOT ${carries('PostCategory', 'Category', 'categoryId', f.categoryNot)}`);
  if (f.author) c.push(carries('PostAuthor', 'Author', 'authorId', f.author));
  return c;
}

/** The ordering column of each sort, and its direction; id breaks ties the same way. */
const ORDER: Record<Exclude<Sort, 'relevance'>, { column: string; desc: boolean; kind: 'date' | 'text' }> = {
  '-publishedAt': { column: 'publishedAt', desc: true, kind: 'date' },
  publishedAt: { column: 'publishedAt', desc: false, kind: 'date' },
  '-updatedAt': { column: 'revisedAt', desc: true, kind: 'date' },
  updatedAt: { column: 'revisedAt', desc: false, kind: 'date' },
  title: { column: 'title', desc: false, kind: 'text' },
  '-title': { column: 'title', desc: true, kind: 'text' },
};

export function orderBy(sort: Sort, rank: Sql): Sql {
  if (sort === 'relevance') return sql`${rank} DESC, p."publishedAt" DESC, p.id DESC`;
  const { column, desc } = ORDER[sort];
  const dir = raw(desc ? 'DESC' : 'ASC');
  return sql`p.${raw(`"${column}"`)} ${dir}, p.id ${dir}`;
}

export class BadCursorError extends Error {
  override name = 'BadCursorError';
}

interface CursorData {
  s: Sort;
  v: string;
  id: number;
}

export function encodeCursor(sort: Sort, row: SummaryRow): string {
  if (sort === 'relevance') throw new BadCursorError('relevance has no cursor');
  const { column, kind } = ORDER[sort];
  const value = (row as unknown as Record<string, Date | string>)[column]!;
  const v = kind === 'date' ? (value as Date).toISOString() : (value as string);
  return Buffer.from(JSON.stringify({ s: sort, v, id: row.id } satisfies CursorData)).toString('base64url');
}

/** The condition that starts a page right after the cursor's row, in the cursor's order. */
export function afterCursor(cursor: string, sort: Sort): Sql {
  if (sort === 'relevance') throw new BadCursorError('cursor paging does not combine with sort=relevance: use page');
  let data: CursorData;
  try {
    data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorData;
  } catch {
    throw new BadCursorError('is not a cursor this API gave out');
  }
  const { column, desc, kind } = ORDER[sort];
  if (data?.s !== sort || typeof data.v !== 'string' || !Number.isSafeInteger(data.id)) {
    throw new BadCursorError(data?.s && data.s !== sort ? `was made for sort=${data.s}` : 'is not a cursor this API gave out');
  }
  const value = kind === 'date' ? new Date(data.v) : data.v;
  if (value instanceof Date && Number.isNaN(value.getTime())) throw new BadCursorError('is not a cursor this API gave out');
  const op = raw(desc ? '<' : '>');
  return sql`(p.${raw(`"${column}"`)}, p.id) ${op} (${value}, ${data.id})`;
}
