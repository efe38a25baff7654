import type { Db, Prisma } from '../db/client.js';
import type { Post, PostListQuery, PostSummary, TermRef } from './schemas.js';
import { publicPosts } from './visibility.js';

const term = { select: { slug: true, name: true } } as const;

const summarySelect = {
  slug: true,
  title: true,
  description: true,
  excerpt: true,
  publishedAt: true,
  updatedAt: true,
  readingMinutes: true,
  wordCount: true,
  // In the order the front matter lists them.
  tags: { orderBy: { position: 'asc' }, select: { tag: term } },
  categories: { orderBy: { position: 'asc' }, select: { category: term } },
} satisfies Prisma.PostSelect;

type SummaryRow = Prisma.PostGetPayload<{ select: typeof summarySelect }>;

function toSummary(row: SummaryRow): PostSummary {
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    excerpt: row.excerpt,
    publishedAt: row.publishedAt.toISOString(),
    updatedAt: row.updatedAt?.toISOString() ?? null,
    readingMinutes: row.readingMinutes,
    wordCount: row.wordCount,
    tags: row.tags.map((t): TermRef => t.tag),
    categories: row.categories.map((c): TermRef => c.category),
  };
}

export async function listPosts(
  db: Db,
  query: PostListQuery,
  now = new Date(),
): Promise<{ items: PostSummary[]; total: number }> {
  const where: Prisma.PostWhereInput = {
    ...publicPosts(now),
    ...(query.tag && { tags: { some: { tag: { slug: query.tag } } } }),
    ...(query.category && { categories: { some: { category: { slug: query.category } } } }),
  };
  const [rows, total] = await db.$transaction([
    db.post.findMany({
      where,
      select: summarySelect,
      orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }],
      skip: (query.page - 1) * query.limit,
      take: query.limit,
    }),
    db.post.count({ where }),
  ]);
  return { items: rows.map(toSummary), total };
}

export async function getPost(db: Db, slug: string, now = new Date()): Promise<Post | null> {
  const row = await db.post.findFirst({
    where: { slug, ...publicPosts(now) },
    select: { ...summarySelect, html: true, toc: true, extra: true },
  });
  if (!row) return null;
  return {
    ...toSummary(row),
    html: row.html,
    toc: row.toc as Post['toc'],
    extra: row.extra as Post['extra'],
  };
}
