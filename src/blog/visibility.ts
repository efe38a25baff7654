// What the public may see: published (not draft) posts whose date has come. A post dated in
// the future appears on its own when that moment passes, with no re-import.
import type { Prisma } from '../db/client.js';

export function publicPosts(now: Date): Prisma.PostWhereInput {
  return { draft: false, publishedAt: { lte: now } };
}
