// What the public may see: one rule, written for PostgreSQL (the read queries) and for
// documents in hand (webhook events). A document is public when it is not a draft, its date
// has come (a page may have none) and it has not expired (Hugo's expiryDate).
import { raw, sql } from '../db/sql.js';

const col = (a: string, name: string) => raw(`${a}."${name}"`);

const live = (a: string, now: Date) => sql`(${col(a, 'expiresAt')} IS NULL OR ${col(a, 'expiresAt')} > ${now})`;

/** A public post: not a draft, its date come, not expired. A scheduled post appears on its own. */
export const publicPost = (now: Date, a = 'p') =>
  sql`${col(a, 'kind')} = 'post' AND NOT ${col(a, 'draft')} AND ${col(a, 'publishedAt')} <= ${now} AND ${live(a, now)}`;

/** A public page: not a draft, its date (if it has one) come, not expired. */
export const publicPage = (now: Date, a = 'p') =>
  sql`${col(a, 'kind')} = 'page' AND NOT ${col(a, 'draft')} AND (${col(a, 'publishedAt')} IS NULL OR ${col(a, 'publishedAt')} <= ${now}) AND ${live(a, now)}`;

export const publicDocument = (kind: 'post' | 'page', now: Date, a = 'p') => (kind === 'post' ? publicPost(now, a) : publicPage(now, a));

export interface Visibility {
  kind: 'post' | 'page';
  draft: boolean;
  publishedAt: Date | null;
  expiresAt: Date | null;
}

/** The same rule for a document in hand. */
export function isPublic(d: Visibility, now: Date): boolean {
  if (d.draft || (d.expiresAt !== null && d.expiresAt <= now)) return false;
  return d.publishedAt === null ? d.kind === 'page' : d.publishedAt <= now;
}
