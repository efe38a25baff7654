// Documents no reader can see yet: drafts and posts or pages dated in the future. The admin
// console lists them with a preview link; the public API never reads this.
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
