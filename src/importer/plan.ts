// What an import will do, from the database's posts and the folder's: which posts to
// create, update, leave alone, delete (--prune) or report missing. A pure function, so
// --dry-run shows exactly what a run would write.
import { postKey } from './checks.js';
import type { NormalizedPost } from './normalize.js';

export interface ExistingPost {
  id: number;
  slug: string;
  lang: string;
  sourcePath: string;
  contentHash: string;
  draft: boolean;
  publishedAt: Date;
}

export interface Plan {
  create: NormalizedPost[];
  update: { existing: ExistingPost; post: NormalizedPost }[];
  unchanged: { existing: ExistingPost; post: NormalizedPost }[];
  /** Gone from the folder and deleted (--prune). */
  remove: ExistingPost[];
  /** Gone from the folder and kept (no --prune): reported only. */
  missing: ExistingPost[];
}

export interface PlanOptions {
  prune: boolean;
  /** An upload of some files: posts not among them are neither gone nor missing. */
  partial: boolean;
  /** Files that exist but failed (--skip-invalid): their posts stay as they were. */
  invalidPaths: ReadonlySet<string>;
}

export function makePlan(existing: ExistingPost[], posts: NormalizedPost[], options: PlanOptions): Plan {
  const byKey = new Map(existing.map((row) => [postKey(row.lang, row.slug), row]));
  const plan: Plan = { create: [], update: [], unchanged: [], remove: [], missing: [] };
  const seen = new Set<string>();
  for (const post of posts) {
    const key = postKey(post.lang, post.slug);
    seen.add(key);
    const row = byKey.get(key);
    if (!row) plan.create.push(post);
    else if (row.contentHash === post.contentHash) plan.unchanged.push({ existing: row, post });
    else plan.update.push({ existing: row, post });
  }
  if (!options.partial) {
    for (const row of existing) {
      if (seen.has(postKey(row.lang, row.slug)) || options.invalidPaths.has(row.sourcePath)) continue;
      (options.prune ? plan.remove : plan.missing).push(row);
    }
  }
  return plan;
}

export const changes = (plan: Plan) => plan.create.length + plan.update.length + plan.remove.length;
