// Slugs unique within a kind and language, decided against what the database holds, so
// that adding, removing or re-ordering files never renames a document that already has a
// slug. A document keeps the slug it has while the slug it asks for stays the same; a new
// claim on a taken slug gets the document's date after it ("kubecon-eu-2024-03-19"), then a
// counter ("-2"). Among new claims on one slug, the oldest document gets it bare.
import type { Warning } from './report.js';

export interface SlugClaim {
  sourcePath: string;
  kind: string;
  lang: string;
  requestedSlug: string;
  /** Where the slug was asked for, for the warning. */
  line: number;
  date: Date | null;
  /** The slug its row has, when the row is this document's and asked for the same. */
  kept?: string;
}

/** A slug a row keeps whatever this run does (a file outside the upload, one gone or invalid). */
export interface HeldSlug {
  sourcePath: string;
  kind: string;
  lang: string;
  slug: string;
}

const key = (kind: string, lang: string, slug: string) => `${kind}\0${lang}\0${slug}`;
const day = (d: Date) => d.toISOString().slice(0, 10);

export function assignSlugs(claims: SlugClaim[], held: HeldSlug[]): { slugs: Map<string, string>; warnings: Warning[] } {
  const owner = new Map<string, string>();
  for (const h of held) owner.set(key(h.kind, h.lang, h.slug), h.sourcePath);
  const slugs = new Map<string, string>();
  for (const c of claims) {
    if (c.kept === undefined || owner.has(key(c.kind, c.lang, c.kept))) continue;
    owner.set(key(c.kind, c.lang, c.kept), c.sourcePath);
    slugs.set(c.sourcePath, c.kept);
  }
  const open = claims
    .filter((c) => !slugs.has(c.sourcePath))
    .sort((a, b) => (a.date?.getTime() ?? Infinity) - (b.date?.getTime() ?? Infinity) || a.sourcePath.localeCompare(b.sourcePath));
  const warnings: Warning[] = [];
  for (const c of open) {
    const taken = (s: string) => owner.has(key(c.kind, c.lang, s));
    let slug = c.requestedSlug;
    if (taken(slug)) {
      const base = c.date && !taken(`${slug}-${day(c.date)}`) ? `${slug}-${day(c.date)}` : slug;
      let n = 2;
      slug = base;
      while (taken(slug)) slug = `${base}-${n++}`;
      const holder = owner.get(key(c.kind, c.lang, c.requestedSlug))!;
      warnings.push({
        code: 'slug-taken',
        file: c.sourcePath,
        line: c.line,
        message: `slug "${c.requestedSlug}" is ${c.kind === 'page' ? 'a page' : 'a post'} of ${holder}, which keeps it; this one is "${slug}" (set a slug of its own in front matter to choose)`,
      });
    }
    owner.set(key(c.kind, c.lang, slug), c.sourcePath);
    slugs.set(c.sourcePath, slug);
  }
  return { slugs, warnings };
}
