// Cache keys: what a cached response holds, so that a change drops only the responses that
// hold what it touched (in this process's response cache, and in a CDN by Surrogate-Key).
//   "post:en/my-slug", "page:en/about"   a document: its own response, and every list, feed
//                                        or other document's response that shows it
//   "tag:x", "category:x", "author:x"    a term's responses
//   the LISTINGS                         every list of a kind (post lists, searches, feeds,
//                                        the sitemap, term lists with their counts)
// A change that moves documents among lists (one added, removed, re-dated or re-tagged, a
// scheduled one going live) drops the listings and the documents that show a moved one as
// neighbour, related post or translation; an edit in place drops the document's key alone.
import { type Sql, sql } from './sql.js';

export const LISTINGS = ['posts', 'pages', 'feeds', 'sitemap', 'tags', 'categories', 'authors'] as const;

export const documentKey = (d: { kind: string; lang: string; slug: string }) => `${d.kind}:${d.lang}/${d.slug}`;

/**
 * The keys of the documents with these ids and of every document whose response shows one
 * of them: as previous or next post, among its related posts, or as a translation.
 */
export function shownWith(ids: readonly number[]): Sql {
  return sql`
    SELECT DISTINCT p.kind || ':' || p.lang || '/' || p.slug AS key FROM "Post" p
    WHERE p.id = ANY(${ids}::int[]) OR p."previousId" = ANY(${ids}::int[]) OR p."nextId" = ANY(${ids}::int[])
       OR p.related && ${ids}::int[]
       OR p.slug IN (SELECT slug FROM "Post" WHERE id = ANY(${ids}::int[]))`;
}
