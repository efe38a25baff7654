// SQL for documents: what the public may see, each response shape's columns (from its zod
// schema, json.ts), filters by slug, ordering and keyset cursors.
import { empty, raw, type Sql, sql } from '../db/sql.js';
import { isoTime, jsonArray, jsonRow } from './json.js';
import type { Filters, Sort } from './params.js';
import {
  PageSchema,
  PageSummarySchema,
  PostDetailSchema,
  PostLinkSchema,
  PostSchema,
  PostSummarySchema,
  SearchHitSchema,
  TranslationSchema,
} from './schemas.js';
import { TAXONOMIES } from './taxonomies.js';
import { MEDIA_ORIGIN } from '../media/urls.js';

const col = (a: string, name: string) => raw(`${a}."${name}"`);

/** Not expired: Hugo's expiryDate takes a document down when it passes. */
const live = (a: string, now: Date) => sql`(${col(a, 'expiresAt')} IS NULL OR ${col(a, 'expiresAt')} > ${now})`;

/** A public post: not a draft, its date come, not expired. A scheduled post appears on its own. */
export const publicPost = (now: Date, a = 'p') =>
  sql`${col(a, 'kind')} = 'post' AND NOT ${col(a, 'draft')} AND ${col(a, 'publishedAt')} <= ${now} AND ${live(a, now)}`;

/** A public page: not a draft, its date (if it has one) come, not expired. */
export const publicPage = (now: Date, a = 'p') =>
  sql`${col(a, 'kind')} = 'page' AND NOT ${col(a, 'draft')} AND (${col(a, 'publishedAt')} IS NULL OR ${col(a, 'publishedAt')} <= ${now}) AND ${live(a, now)}`;

export const publicDocument = (kind: 'post' | 'page', now: Date, a = 'p') => (kind === 'post' ? publicPost(now, a) : publicPage(now, a));

/** Where URLs point: the site (documents' pages) and the API (media, stored as MEDIA_ORIGIN). */
export interface Origins {
  site: string;
  api: string;
}

/** What every document shape starts with. */
const documentExprs = (a: string, o: Origins) => ({
  slug: col(a, 'slug'),
  lang: col(a, 'lang'),
  path: col(a, 'path'),
  url: sql`${o.site} || ${col(a, 'urlPath')}`,
  title: col(a, 'title'),
  description: col(a, 'description'),
  excerpt: col(a, 'excerpt'),
  image: sql`replace(${col(a, 'cover')}::text, ${MEDIA_ORIGIN}, ${o.api})::json`,
});

const summaryExprs = (a: string, o: Origins) => ({
  ...documentExprs(a, o),
  publishedAt: isoTime(`${a}."publishedAt"`),
  updatedAt: isoTime(`${a}."updatedAt"`),
  readingMinutes: col(a, 'readingMinutes'),
  wordCount: col(a, 'wordCount'),
  featured: col(a, 'featured'),
  tags: col(a, 'tagsJson'),
  categories: col(a, 'categoriesJson'),
  authors: col(a, 'authorsJson'),
});

const bodyExprs = (a: string, o: Origins) => ({
  html: sql`replace(${col(a, 'html')}, ${MEDIA_ORIGIN}, ${o.api})`,
  toc: col(a, 'toc'),
  extra: col(a, 'extra'),
  aliases: col(a, 'aliases'),
});

export const summaryFields = (o: Origins, a = 'p') => ({ schema: PostSummarySchema, exprs: summaryExprs(a, o) });
export const fullFields = (o: Origins, a = 'p') => ({ schema: PostSchema, exprs: { ...summaryExprs(a, o), ...bodyExprs(a, o) } });
export const searchFields = (o: Origins, a = 'p') => ({
  schema: SearchHitSchema,
  exprs: { ...summaryExprs(a, o), rank: raw('page.rank'), snippet: raw('snippet') },
});
export const pageSummaryFields = (o: Origins, a = 'p') => ({
  schema: PageSummarySchema,
  exprs: { ...documentExprs(a, o), publishedAt: isoTime(`${a}."publishedAt"`), updatedAt: isoTime(`${a}."updatedAt"`) },
});

const linkExprs = (a: string, o: Origins) => ({
  slug: col(a, 'slug'),
  lang: col(a, 'lang'),
  path: col(a, 'path'),
  url: sql`${o.site} || ${col(a, 'urlPath')}`,
  title: col(a, 'title'),
  publishedAt: isoTime(`${a}."publishedAt"`),
});

/** The same slug in other languages, public. */
const translations = (kind: 'post' | 'page', o: Origins, now: Date) =>
  jsonArray(
    TranslationSchema,
    { lang: col('t', 'lang'), slug: col('t', 'slug'), path: col('t', 'path'), url: sql`${o.site} || ${col('t', 'urlPath')}` },
    sql`FROM "Post" t WHERE t.slug = p.slug AND t.lang <> p.lang AND ${publicDocument(kind, now, 't')} ORDER BY t.lang`,
  );

/**
 * The neighbour computed at import when it is public now; when it is not (still scheduled,
 * or expired since), the nearest public post that way, looked up then (an index scan).
 */
function neighbour(way: 'previous' | 'next', now: Date): Sql {
  const [id, cmp, dir] = way === 'previous' ? ['previousId', '<', 'DESC'] : ['nextId', '>', 'ASC'];
  return sql`coalesce(
    (SELECT x.id FROM "Post" x WHERE x.id = p.${raw(`"${id}"`)} AND ${publicPost(now, 'x')}),
    (SELECT x.id FROM "Post" x
      WHERE p.${raw(`"${id}"`)} IS NOT NULL AND x.lang = p.lang AND ${publicPost(now, 'x')}
        AND (x."publishedAt", x.id) ${raw(cmp)} (p."publishedAt", p.id)
      ORDER BY x."publishedAt" ${raw(dir)}, x.id ${raw(dir)} LIMIT 1))`;
}

/** How many related posts a post shows (of the RELATED_KEPT the importer keeps). */
const RELATED_SHOWN = 4;

/**
 * A post with its neighbours, related posts and translations, all computed at import: a
 * read only checks that they are public now (a scheduled neighbour may not be yet).
 */
export function postDetailFields(o: Origins, now: Date, text: boolean) {
  return {
    schema: PostDetailSchema,
    exprs: {
      ...summaryExprs('p', o),
      ...bodyExprs('p', o),
      kind: raw(`'post'`),
      ...(text && { text: col('p', 'text') }),
      previous: jsonRow(PostLinkSchema, linkExprs('n', o), sql`FROM "Post" n WHERE n.id = ${neighbour('previous', now)}`),
      next: jsonRow(PostLinkSchema, linkExprs('n', o), sql`FROM "Post" n WHERE n.id = ${neighbour('next', now)}`),
      related: jsonArray(
        PostLinkSchema,
        linkExprs('r', o),
        sql`FROM unnest(p.related) WITH ORDINALITY AS u(id, n) JOIN "Post" r ON r.id = u.id
            WHERE ${publicPost(now, 'r')} ORDER BY u.n LIMIT ${raw(String(RELATED_SHOWN))}`,
      ),
      translations: translations('post', o, now),
    },
  };
}

export function pageFields(o: Origins, now: Date, text: boolean) {
  return {
    schema: PageSchema,
    exprs: {
      ...documentExprs('p', o),
      publishedAt: isoTime('p."publishedAt"'),
      updatedAt: isoTime('p."updatedAt"'),
      kind: raw(`'page'`),
      ...bodyExprs('p', o),
      ...(text && { text: col('p', 'text') }),
      translations: translations('page', o, now),
    },
  };
}

/** "Carries any of these terms": one test of the document's slug array (GIN-indexed). */
export const carryingAny = (kind: keyof typeof TAXONOMIES, slugs: string[], a = 'p') =>
  sql`${raw(`${a}."${TAXONOMIES[kind].slugs}"`)} && ${slugs}::text[]`;
/** "Carries all of these terms". */
export const carryingAll = (kind: keyof typeof TAXONOMIES, slugs: string[], a = 'p') =>
  sql`${raw(`${a}."${TAXONOMIES[kind].slugs}"`)} @> ${slugs}::text[]`;

export function filterConditions(f: Filters, now: Date): Sql[] {
  const c: Sql[] = [publicPost(now)];
  if (f.lang) c.push(sql`p.lang = ${f.lang}`);
  if (f.from) c.push(sql`p."publishedAt" >= ${f.from}`);
  if (f.to) c.push(sql`p."publishedAt" <= ${f.to}`);
  if (f.tag) c.push(carryingAny('tag', f.tag));
  if (f.tagNot) c.push(sql`NOT ${carryingAny('tag', f.tagNot)}`);
  if (f.tagAll) c.push(carryingAll('tag', [...new Set(f.tagAll)]));
  if (f.category) c.push(carryingAny('category', f.category));
  if (f.categoryNot) c.push(sql`NOT ${carryingAny('category', f.categoryNot)}`);
  if (f.author) c.push(carryingAny('author', f.author));
  return c;
}

/** The ordering column of each sort, and its direction; id breaks ties the same way. */
const ORDER: Record<Exclude<Sort, 'relevance'>, { column: 'publishedAt' | 'revisedAt' | 'title'; desc: boolean }> = {
  '-publishedAt': { column: 'publishedAt', desc: true },
  publishedAt: { column: 'publishedAt', desc: false },
  '-updatedAt': { column: 'revisedAt', desc: true },
  updatedAt: { column: 'revisedAt', desc: false },
  title: { column: 'title', desc: false },
  '-title': { column: 'title', desc: true },
};

export function orderBy(sort: Sort, rank: Sql, a = 'p'): Sql {
  if (sort === 'relevance') return sql`${rank} DESC, ${col(a, 'publishedAt')} DESC, ${col(a, 'id')} DESC`;
  const { column, desc } = ORDER[sort];
  const dir = raw(desc ? 'DESC' : 'ASC');
  return sql`${col(a, column)} ${dir}, ${col(a, 'id')} ${dir}`;
}

export class BadCursorError extends Error {
  override name = 'BadCursorError';
}

/** A page's last row: what the next page starts after. */
export interface CursorRow {
  id: number;
  publishedAt: Date;
  revisedAt: Date;
  title: string;
  rank: number;
}

interface CursorData {
  s: Sort;
  v: string | number;
  d?: string;
  id: number;
}

export function encodeCursor(sort: Sort, row: CursorRow): string {
  if (sort === 'relevance') return base64({ s: sort, v: row.rank, d: row.publishedAt.toISOString(), id: row.id });
  const { column } = ORDER[sort];
  return base64({ s: sort, v: column === 'title' ? row.title : row[column].toISOString(), id: row.id });
}

function base64(data: CursorData): string {
  return Buffer.from(JSON.stringify(data)).toString('base64url');
}

/** The condition that starts a page right after the cursor's row, in the cursor's order. */
export function afterCursor(cursor: string, sort: Sort, rank: Sql): Sql {
  let data: CursorData;
  try {
    data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorData;
  } catch {
    throw new BadCursorError('is not a cursor this API gave out');
  }
  if (data?.s !== sort || !Number.isSafeInteger(data.id)) {
    throw new BadCursorError(
      data?.s && data.s !== sort ? `was made for sort=${data.s}: start again with cursor= (empty)` : 'is not a cursor this API gave out',
    );
  }
  if (sort === 'relevance') {
    const at = new Date(data.d ?? '');
    if (typeof data.v !== 'number' || Number.isNaN(at.getTime())) throw new BadCursorError('is not a cursor this API gave out');
    return sql`(${rank}, p."publishedAt", p.id) < (${data.v}::real, ${at}, ${data.id})`;
  }
  const { column, desc } = ORDER[sort];
  const value = column === 'title' ? data.v : new Date(String(data.v));
  if (typeof data.v !== 'string' || (value instanceof Date && Number.isNaN(value.getTime())))
    throw new BadCursorError('is not a cursor this API gave out');
  return sql`(${col('p', column)}, p.id) ${raw(desc ? '<' : '>')} (${value}, ${data.id})`;
}

export { empty };
