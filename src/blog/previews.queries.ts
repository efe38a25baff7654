// What preview links read through Prisma (the primary): the documents no reader can see yet
// (drafts, and posts or pages dated in the future), which the console lists with a preview
// link, and the document a new link is for. The public API never reads this.
import type { Db } from '../db/client.js';

export interface Unpublished {
  kind: 'post' | 'page';
  slug: string;
  lang: string;
  title: string;
  draft: boolean;
  /** Set for a scheduled document: when it goes live. */
  publishedAt: Date | null;
  sourcePath: string;
}

/** Drafts and scheduled documents, most recently imported first. */
export async function listUnpublished(db: Db, now: Date, limit = 100): Promise<Unpublished[]> {
  return db.post.findMany({
    where: { OR: [{ draft: true }, { publishedAt: { gt: now } }] },
    orderBy: [{ id: 'desc' }],
    take: limit,
    select: { kind: true, slug: true, lang: true, title: true, draft: true, publishedAt: true, sourcePath: true },
  });
}

export interface PreviewTarget {
  id: number;
  slug: string;
  lang: string;
  path: string;
  urlPath: string;
}

/** The document a preview link is for: in `lang`, else in the default language, else any. */
export async function findPreviewTarget(
  db: Db,
  q: { slug: string; kind: 'post' | 'page'; lang?: string | undefined },
  defaultLang: string,
): Promise<PreviewTarget | null> {
  const select = { id: true, slug: true, lang: true, path: true, urlPath: true } as const;
  const { slug, kind, lang } = q;
  const doc = await db.post.findFirst({ where: { slug, kind, ...(lang && { lang }) }, orderBy: [{ lang: 'asc' }], select });
  if (!doc || lang || doc.lang === defaultLang) return doc;
  return (await db.post.findFirst({ where: { slug, kind, lang: defaultLang }, select })) ?? doc;
}
