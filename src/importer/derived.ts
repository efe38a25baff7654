// What a post shows of other posts and changes only at import: its neighbours by date and
// its related posts. Computed once per changing import, for every post, and written only
// where it changed, so a read does no scoring and an unchanged re-import rewrites nothing.
// Scheduled posts take part (they are public once their date comes); readers keep only
// what is public at the time of the request.
import type { Prisma } from '../db/client.js';

type Tx = Prisma.TransactionClient;

/** Related posts kept per post: readers show 4 of those public at the time. */
export const RELATED_KEPT = 8;
/** Per tag or category, the newest posts considered: past that, sharing it says little. */
const TERM_CANDIDATES = 500;
const WEIGHT = { t: 2, c: 1 } as const; // a shared tag counts 1, a shared category 0.5

/** previousId and nextId: the public posts of the same language just before and after. */
async function neighbours(tx: Tx): Promise<number[]> {
  const moved = await tx.$queryRaw<{ id: number }[]>`
    UPDATE "Post" p SET "previousId" = n.prev, "nextId" = n.next
    FROM (
      SELECT id, lag(id) OVER w AS prev, lead(id) OVER w AS next FROM "Post"
      WHERE kind = 'post' AND NOT draft
      WINDOW w AS (PARTITION BY lang ORDER BY "publishedAt", id)
    ) n
    WHERE p.id = n.id AND (p."previousId" IS DISTINCT FROM n.prev OR p."nextId" IS DISTINCT FROM n.next)
    RETURNING p.id`;
  const cleared = await tx.$queryRaw<{ id: number }[]>`
    UPDATE "Post" SET "previousId" = NULL, "nextId" = NULL
    WHERE (kind <> 'post' OR draft) AND ("previousId" IS NOT NULL OR "nextId" IS NOT NULL)
    RETURNING id`;
  return [...moved, ...cleared].map((r) => r.id);
}

interface PostRow {
  id: number;
  lang: string;
  candidate: boolean;
  related: number[];
}

async function related(tx: Tx): Promise<number[]> {
  // Newest first: a term's candidates are its newest posts, and ties go to the newest.
  const posts = await tx.$queryRaw<PostRow[]>`
    SELECT id, lang, (NOT draft) AS candidate, coalesce(related, '{}') AS related FROM "Post"
    WHERE kind = 'post' ORDER BY "publishedAt" DESC, id DESC`;
  const links = await tx.$queryRaw<{ postId: number; term: string }[]>`
    SELECT "postId", 't' || "tagId" AS term FROM "PostTag"
    UNION ALL SELECT "postId", 'c' || "categoryId" FROM "PostCategory"`;
  const index = new Map(posts.map((p, i) => [p.id, i]));
  const termsOf: number[][] = posts.map(() => []);
  const members = new Map<string, number[]>();
  const weightOf = new Map<string, number>();
  for (const { postId, term } of links) {
    const i = index.get(postId);
    if (i === undefined) continue;
    let list = members.get(term);
    if (!list) {
      members.set(term, (list = []));
      weightOf.set(term, WEIGHT[term[0] as 't' | 'c']);
    }
    list.push(i);
  }
  const termIds = [...members.keys()];
  const lists = termIds.map((t) => members.get(t)!.sort((a, b) => a - b));
  const candidates = lists.map((l) => l.filter((i) => posts[i]!.candidate).slice(0, TERM_CANDIDATES));
  lists.forEach((list, t) => list.forEach((i) => termsOf[i]!.push(t)));

  const score = new Float64Array(posts.length);
  const changed: { id: number; related: number[] }[] = [];
  for (let i = 0; i < posts.length; i++) {
    const touched: number[] = [];
    for (const t of termsOf[i]!) {
      const w = weightOf.get(termIds[t]!)!;
      for (const j of candidates[t]!) {
        if (j === i || posts[j]!.lang !== posts[i]!.lang) continue;
        if (score[j] === 0) touched.push(j);
        score[j] = score[j]! + w;
      }
    }
    // Highest score first; among equals the newest, which is the lowest index.
    touched.sort((a, b) => score[b]! - score[a]! || a - b);
    const top = touched.slice(0, RELATED_KEPT).map((j) => posts[j]!.id);
    for (const j of touched) score[j] = 0;
    const before = posts[i]!.related;
    if (top.length !== before.length || top.some((id, k) => id !== before[k])) changed.push({ id: posts[i]!.id, related: top });
  }
  for (let i = 0; i < changed.length; i += 2_000) {
    await tx.$executeRawUnsafe(
      `UPDATE "Post" p SET related = r.related FROM jsonb_to_recordset($1::jsonb) AS r(id int, related int[]) WHERE p.id = r.id`,
      JSON.stringify(changed.slice(i, i + 2_000)),
    );
  }
  return changed.map((c) => c.id);
}

/** Recomputes both; returns the ids of the posts whose neighbours or related posts changed. */
export async function refreshDerived(tx: Tx): Promise<number[]> {
  return [...new Set([...(await neighbours(tx)), ...(await related(tx))])];
}
