// Reading posts: lists (filters, sorts, page or cursor, search), one post with its
// neighbours, and the bulk stream for static-site builds.
import type { Db } from '../db/client.js';
import {
  afterCursor,
  empty,
  encodeCursor,
  type Filters,
  filterConditions,
  FULL_COLUMNS,
  type FullRow,
  isPublic,
  join,
  orderBy,
  raw,
  sql,
  type Sql,
  SUMMARY_COLUMNS,
  type SummaryRow,
} from './posts.sql.js';
import type { PostDetail, PostField, PostLink, PostListItem, Sort } from './schemas.js';
import { searchConfig } from './search-config.js';
import { postUrl, type Site } from './urls.js';

export interface ListOptions extends Filters {
  page?: number;
  cursor?: string;
  limit: number;
  sort?: Sort;
  view: 'summary' | 'full';
  fields?: PostField[];
  q?: string;
}

export interface ReadContext {
  site: Site;
  now?: Date;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function toItem(row: SummaryRow | FullRow, site: Site): PostListItem {
  const base = {
    slug: row.slug,
    lang: row.lang,
    title: row.title,
    description: row.description,
    excerpt: row.excerpt,
    image: row.image,
    url: postUrl(site, row),
    publishedAt: iso(row.publishedAt)!,
    updatedAt: iso(row.updatedAt),
    readingMinutes: row.readingMinutes,
    wordCount: row.wordCount,
    tags: row.tags,
    categories: row.categories,
    authors: row.authors,
  };
  if (!('html' in row)) return base;
  return { ...base, html: row.html, toc: row.toc, extra: row.extra, aliases: row.aliases };
}

function pick(item: PostListItem, fields: PostField[] | undefined): PostListItem {
  if (!fields) return item;
  const out: Record<string, unknown> = { slug: item.slug, lang: item.lang };
  for (const f of fields) out[f] = item[f];
  return out as PostListItem;
}

const needsFull = (o: { view: string; fields?: PostField[] }) =>
  o.view === 'full' || !!o.fields?.some((f) => ['html', 'toc', 'extra', 'aliases'].includes(f));

// ts_headline parses all the text it is given: the first 8,000 characters hold most first
// matches, and cost a fraction of a long post's whole body.
const SNIPPET_TEXT_MAX = 8_000;

/** The text search query, in the searched language's configuration. */
function search(q: string | undefined, lang: string): { from: Sql; where: Sql[]; rank: Sql; snippet: Sql } {
  if (!q) return { from: empty, where: [], rank: sql`0`, snippet: empty };
  const config = searchConfig(lang);
  return {
    from: sql`, websearch_to_tsquery(${config}::regconfig, ${q}) AS query`,
    where: [sql`p."searchVector" @@ query`],
    rank: sql`ts_rank_cd(p."searchVector", query)`,
    // Escaped first: the snippet is HTML whose only tags are the <mark>s around matches.
    snippet: sql`, ts_headline(${config}::regconfig,
      replace(replace(replace(left(p.text, ${SNIPPET_TEXT_MAX}), '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), query,
      'StartSel=<mark>, StopSel=</mark>, MaxFragments=2, MaxWords=25, MinWords=8, FragmentDelimiter=" … "') AS snippet`,
  };
}

export async function listPosts(
  db: Db,
  options: ListOptions,
  ctx: ReadContext,
): Promise<{ items: PostListItem[]; total: number; nextCursor: string | null }> {
  const now = ctx.now ?? new Date();
  const sort = options.sort ?? (options.q ? 'relevance' : '-publishedAt');
  // Search runs within one language: its vectors were made with that language's stemmer.
  const lang = options.q ? (options.lang ?? ctx.site.defaultLang) : options.lang;
  const s = search(options.q, lang ?? ctx.site.defaultLang);
  const matching = [...filterConditions({ ...options, lang }, now), ...s.where];
  const where = options.cursor ? [...matching, afterCursor(options.cursor, sort)] : matching;
  const offset = options.cursor ? 0 : ((options.page ?? 1) - 1) * options.limit;
  const full = needsFull(options);
  const columns = full ? FULL_COLUMNS : SUMMARY_COLUMNS;

  // The page's ids first (count and rank over every match), then its columns for those
  // rows only: JSON of terms and search snippets are not built for rows the page drops.
  const rows = await db.$queryRaw<((SummaryRow | FullRow) & { total: number; rank: number; snippet?: string })[]>`
    WITH page AS (
      SELECT p.id, ${s.rank} AS rank, (count(*) OVER ())::int AS total
      FROM "Post" p ${s.from}
      WHERE ${join(where, ' AND ')}
      ORDER BY ${orderBy(sort, s.rank)}
      LIMIT ${options.limit + 1} OFFSET ${offset}
    )
    SELECT page.total, page.rank, ${columns} ${s.snippet}
    FROM page JOIN "Post" p ON p.id = page.id ${s.from}
    ORDER BY ${orderBy(sort, sql`page.rank`)}`;

  // One row past the page tells whether there is a next one.
  const more = rows.length > options.limit;
  if (more) rows.pop();
  // After a cursor the window counts what is left: the total counts every match.
  const total = !options.cursor && rows[0] ? rows[0].total : await countPosts(db, matching, s.from);
  const items = rows.map((row) => {
    const item = pick(toItem(row, ctx.site), options.fields);
    return options.q ? { ...item, rank: Number(row.rank), snippet: row.snippet ?? '' } : item;
  });
  const last = rows[rows.length - 1];
  const nextCursor = sort !== 'relevance' && last && more ? encodeCursor(sort, last) : null;
  return { items, total, nextCursor };
}

async function countPosts(db: Db, where: Sql[], from: Sql): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Post" p ${from} WHERE ${join(where, ' AND ')}`;
  return row?.n ?? 0;
}

/** Every matching post, oldest first, in batches: for NDJSON exports of a whole blog. */
export async function* streamPosts(
  db: Db,
  options: Omit<ListOptions, 'page' | 'cursor' | 'limit' | 'sort' | 'q'>,
  ctx: ReadContext,
  batch = 500,
): AsyncGenerator<PostListItem> {
  const now = ctx.now ?? new Date();
  let cursor: string | undefined;
  for (;;) {
    const page = await listPosts(db, { ...options, limit: batch, sort: 'publishedAt', ...(cursor && { cursor }) }, { ...ctx, now });
    yield* page.items;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

const RELATED = 4;
// Candidates scored before visibility is checked: enough that drafts among them still leave 4.
const RELATED_CANDIDATES = 16;

type DetailRow = FullRow & {
  text?: string;
  previous: (PostLinkRow & object) | null;
  next: (PostLinkRow & object) | null;
  related: PostLinkRow[];
  translations: { lang: string; slug: string }[];
};
type PostLinkRow = { slug: string; lang: string; title: string; publishedAt: string };

const link = (site: Site, r: PostLinkRow | null): PostLink | null =>
  r && { slug: r.slug, lang: r.lang, title: r.title, url: postUrl(site, r), publishedAt: iso(r.publishedAt)! };

export type GetPostResult = { post: PostDetail } | { redirect: { slug: string; lang: string } } | null;

/**
 * One public post by slug, in the asked language, else the default one, else any. Not
 * found, its slug may be an old one (an alias): then where the post is now.
 */
export async function getPost(
  db: Db,
  slug: string,
  options: { lang?: string; text?: boolean },
  ctx: ReadContext,
): Promise<GetPostResult> {
  const now = ctx.now ?? new Date();
  const { defaultLang } = ctx.site;
  const langCond = options.lang ? sql`AND p.lang = ${options.lang}` : empty;
  const linkJson = (a: 'n' | 'r') =>
    raw(`json_build_object('slug', ${a}.slug, 'lang', ${a}.lang, 'title', ${a}.title, 'publishedAt', ${a}."publishedAt")`);
  const [row] = await db.$queryRaw<DetailRow[]>`
    SELECT ${FULL_COLUMNS} ${options.text ? sql`, p.text` : empty},
      (SELECT ${linkJson('n')} FROM "Post" n WHERE ${isPublic(now, 'n')} AND n.lang = p.lang
        AND (n."publishedAt", n.id) < (p."publishedAt", p.id) ORDER BY n."publishedAt" DESC, n.id DESC LIMIT 1) AS previous,
      (SELECT ${linkJson('n')} FROM "Post" n WHERE ${isPublic(now, 'n')} AND n.lang = p.lang
        AND (n."publishedAt", n.id) > (p."publishedAt", p.id) ORDER BY n."publishedAt", n.id LIMIT 1) AS next,
      (SELECT coalesce(json_agg(json_build_object('lang', t.lang, 'slug', t.slug) ORDER BY t.lang), '[]')
        FROM "Post" t WHERE ${isPublic(now, 't')} AND t.slug = p.slug AND t.lang <> p.lang) AS translations,
      (SELECT coalesce(json_agg(${linkJson('r')} ORDER BY r.score DESC, r."publishedAt" DESC, r.id DESC), '[]') FROM (
        SELECT n.id, n.slug, n.lang, n.title, n."publishedAt", c.score
        FROM (
          -- Scores from the join tables alone; only the best few then meet the Post table.
          -- Ties at the cut are kept, so the newest of equal scores still wins below.
          WITH scored AS (
            SELECT id, sum(weight) AS score FROM (
              SELECT b."postId" AS id, 1.0 AS weight FROM "PostTag" a JOIN "PostTag" b ON b."tagId" = a."tagId"
                WHERE a."postId" = p.id AND b."postId" <> p.id
              UNION ALL
              SELECT b."postId", 0.5 FROM "PostCategory" a JOIN "PostCategory" b ON b."categoryId" = a."categoryId"
                WHERE a."postId" = p.id AND b."postId" <> p.id
            ) s GROUP BY id)
          SELECT id, score FROM scored
          WHERE score >= coalesce((SELECT score FROM scored ORDER BY score DESC OFFSET ${RELATED_CANDIDATES - 1} LIMIT 1), 0)
        ) c JOIN "Post" n ON n.id = c.id
        WHERE ${isPublic(now, 'n')} AND n.lang = p.lang
        ORDER BY c.score DESC, n."publishedAt" DESC, n.id DESC LIMIT ${RELATED}) r) AS related
    FROM "Post" p
    WHERE p.slug = ${slug} AND ${isPublic(now)} ${langCond}
    ORDER BY (p.lang = ${defaultLang}) DESC, p.lang
    LIMIT 1`;
  if (!row) return findAlias(db, slug, options.lang, ctx);
  const item = toItem(row, ctx.site) as PostDetail;
  return {
    post: {
      ...item,
      ...(options.text && { text: row.text ?? '' }),
      previous: link(ctx.site, row.previous),
      next: link(ctx.site, row.next),
      related: row.related.map((r) => link(ctx.site, r)!),
      translations: row.translations.map((t) => ({ ...t, url: postUrl(ctx.site, t) })),
    },
  };
}

async function findAlias(db: Db, slug: string, lang: string | undefined, ctx: ReadContext): Promise<GetPostResult> {
  const now = ctx.now ?? new Date();
  const [row] = await db.$queryRaw<{ slug: string; lang: string }[]>`
    SELECT p.slug, p.lang FROM "Post" p
    WHERE ${slug} = ANY(p."aliasSlugs") AND ${isPublic(now)} ${lang ? sql`AND p.lang = ${lang}` : empty}
    ORDER BY (p.lang = ${ctx.site.defaultLang}) DESC, p.lang, p.id LIMIT 1`;
  return row ? { redirect: row } : null;
}

/** The latest moment public content changed: an import, or a scheduled post going live. */
export async function lastChange(db: Db, now = new Date()): Promise<Date> {
  const [row] = await db.$queryRaw<{ at: Date | null }[]>`
    SELECT greatest((SELECT "changedAt" FROM "ContentState" WHERE id = 1),
                    (SELECT max(p."publishedAt") FROM "Post" p WHERE ${isPublic(now)})) AS at`;
  return row?.at ?? new Date(0);
}
