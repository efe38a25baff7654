// What an import will do, from the database's documents and the folder's: each document's
// slug and path, which rows to create, update, leave alone, delete (--prune) or report
// missing, and what is wrong across files. A pure function, so --dry-run shows exactly what
// a run would write.
import { createHash } from 'node:crypto';
import { crossFileWarnings, linkMap, linkResolver, pathCollisions, type SiteEntry } from './checks.js';
import type { Doc } from './normalize.js';
import { permalink } from './permalinks.js';
import type { FileProblem, Warning } from './report.js';
import { assignSlugs, type HeldSlug, type SlugClaim } from './slug-claims.js';

export interface ExistingDoc {
  id: number;
  kind: 'post' | 'page';
  slug: string;
  requestedSlug: string;
  lang: string;
  path: string;
  sourcePath: string;
  contentHash: string;
  draft: boolean;
  publishedAt: Date | null;
  expiresAt: Date | null;
  title: string;
  aliases: string[];
  formerSlugs: string[];
  formerPaths: string[];
}

export interface PlannedDoc {
  doc: Doc;
  slug: string;
  path: string;
  /** Relative links and post references (as written) -> the linked document's path. */
  linkMap: Record<string, string>;
  contentHash: string;
  existing?: ExistingDoc;
  formerSlugs: string[];
  formerPaths: string[];
}

export interface Plan {
  create: PlannedDoc[];
  update: PlannedDoc[];
  unchanged: PlannedDoc[];
  /** Gone from the folder and deleted (--prune). */
  remove: ExistingDoc[];
  /** Gone from the folder and kept (no --prune): reported only. */
  missing: ExistingDoc[];
  /** Documents refused for what is wrong across files (two on one path). */
  problems: FileProblem[];
  warnings: Warning[];
}

export interface PlanOptions {
  prune: boolean;
  /** An upload of some files: documents not among them are neither gone nor missing. */
  partial: boolean;
  /** Files that exist but failed: their documents stay as they were. */
  invalidPaths: ReadonlySet<string>;
  /** Every Markdown file in the folder (a row whose file is here is not a moved file). */
  presentPaths: ReadonlySet<string>;
  defaultLang: string;
  /** QUIRE_PERMALINK, for posts. */
  permalink?: string;
  /** Changes whenever rendering would: the renderer's version and its settings. */
  renderFingerprint: string;
  /** Per document, each media reference -> the hash of its file. */
  media: (doc: Doc) => Record<string, string>;
}

const sameRequest = (row: ExistingDoc, doc: Doc) =>
  row.kind === doc.kind && row.lang === doc.lang && row.requestedSlug === doc.requestedSlug;

/** Rows for this run's documents: by file, else (a file moved or renamed) by what it asks for. */
function match(existing: ExistingDoc[], docs: Doc[], options: PlanOptions): Map<string, ExistingDoc> {
  const bySource = new Map(existing.map((row) => [row.sourcePath, row]));
  const matched = new Map<string, ExistingDoc>();
  const taken = new Set<number>();
  for (const doc of docs) {
    const row = bySource.get(doc.sourcePath);
    if (row) {
      matched.set(doc.sourcePath, row);
      taken.add(row.id);
    }
  }
  if (options.partial) return matched;
  for (const doc of docs) {
    if (matched.has(doc.sourcePath)) continue;
    const row = existing.find((r) => !taken.has(r.id) && !options.presentPaths.has(r.sourcePath) && sameRequest(r, doc));
    if (row) {
      matched.set(doc.sourcePath, row);
      taken.add(row.id);
    }
  }
  return matched;
}

function contentHash(doc: Doc, links: Record<string, string>, media: Record<string, string>, fingerprint: string): string {
  const mediaList = Object.entries(media).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256')
    .update(JSON.stringify([doc.fileHash, fingerprint, links, mediaList]))
    .digest('hex');
}

export function makePlan(existing: ExistingDoc[], allDocs: Doc[], options: PlanOptions): Plan {
  let docs = allDocs;
  const refused: FileProblem[] = [];
  // A document refused for its path leaves the others to be planned again without it.
  for (;;) {
    const plan = planOnce(existing, docs, { ...options, invalidPaths: new Set([...options.invalidPaths, ...refused.map((p) => p.file)]) });
    if (!plan.problems.length) return { ...plan, problems: refused };
    refused.push(...plan.problems);
    const bad = new Set(plan.problems.map((p) => p.file));
    docs = docs.filter((d) => !bad.has(d.sourcePath));
  }
}

function planOnce(existing: ExistingDoc[], docs: Doc[], options: PlanOptions): Plan {
  const matched = match(existing, docs, options);
  const matchedIds = new Set([...matched.values()].map((r) => r.id));
  const plan: Plan = { create: [], update: [], unchanged: [], remove: [], missing: [], problems: [], warnings: [] };
  const held: ExistingDoc[] = [];
  for (const row of existing) {
    if (matchedIds.has(row.id)) continue;
    if (options.partial || options.invalidPaths.has(row.sourcePath)) held.push(row);
    else if (options.prune) plan.remove.push(row);
    else {
      plan.missing.push(row);
      held.push(row);
    }
  }

  const claims: SlugClaim[] = docs.map((doc) => {
    const row = matched.get(doc.sourcePath);
    return {
      sourcePath: doc.sourcePath,
      kind: doc.kind,
      lang: doc.lang,
      requestedSlug: doc.requestedSlug,
      line: doc.slugLine,
      date: doc.publishedAt,
      ...(row && sameRequest(row, doc) && { kept: row.slug }),
    };
  });
  const { slugs, warnings } = assignSlugs(claims, held satisfies HeldSlug[]);
  plan.warnings.push(...warnings);

  const pathOf = (doc: Doc, slug: string, requested = doc.requestedSlug, collided = false) =>
    permalink(
      {
        info: doc.place,
        collided,
        ...(doc.explicitPath && { explicit: doc.explicitPath }),
        ...(doc.generatorPath && { generated: doc.generatorPath }),
        requestedSlug: requested,
        slug,
        lang: doc.lang,
        ...(doc.publishedAt && { date: doc.publishedAt }),
        categories: doc.categories.map((c) => c.name),
      },
      { defaultLang: options.defaultLang, ...(doc.kind === 'post' && options.permalink && { pattern: options.permalink }) },
    );
  const planned = docs.map((doc) => {
    const slug = slugs.get(doc.sourcePath)!;
    return { doc, slug, path: pathOf(doc, slug), existing: matched.get(doc.sourcePath) };
  });

  // Who owns a path when two want it: rows the run keeps, then documents keeping their own
  // path, then the rest, oldest first. A path Quire made (none in front matter) that is
  // taken is made again from the document's own, unique slug.
  const keepsPath = (p: (typeof planned)[number]) => p.existing?.path === p.path;
  const order = [...planned].sort(
    (a, b) =>
      Number(keepsPath(b)) - Number(keepsPath(a)) ||
      (a.doc.publishedAt?.getTime() ?? Infinity) - (b.doc.publishedAt?.getTime() ?? Infinity) ||
      a.doc.sourcePath.localeCompare(b.doc.sourcePath),
  );
  const taken = new Set(held.map((r) => `${r.lang}\0${r.path}`));
  for (const p of order) {
    if (taken.has(`${p.doc.lang}\0${p.path}`) && !p.doc.explicitPath && p.slug !== p.doc.requestedSlug)
      p.path = pathOf(p.doc, p.slug, p.slug, true);
    taken.add(`${p.doc.lang}\0${p.path}`);
  }
  const ordered = [
    ...held.map((row): SiteEntry => ({ ...row, links: [], inRun: false })),
    ...order.map((p): SiteEntry => ({
      sourcePath: p.doc.sourcePath,
      kind: p.doc.kind,
      lang: p.doc.lang,
      slug: p.slug,
      path: p.path,
      aliases: p.doc.aliases,
      links: p.doc.links,
      inRun: true,
    })),
  ];
  const explicitKey = (file: string) => (docs.find((d) => d.sourcePath === file)?.explicitPath ? 'path' : undefined);
  plan.problems = pathCollisions(ordered, explicitKey);
  if (plan.problems.length) return plan;

  const resolve = linkResolver(ordered);
  plan.warnings.push(...crossFileWarnings(ordered, resolve));
  const entryOf = new Map(ordered.map((e) => [e.sourcePath, e]));
  for (const p of planned) {
    const links = linkMap(entryOf.get(p.doc.sourcePath)!, resolve);
    const hash = contentHash(p.doc, links, options.media(p.doc), options.renderFingerprint);
    const row = p.existing;
    const former = (list: string[] | undefined, old: string | undefined, now: string) =>
      [...new Set([...(list ?? []), ...(old !== undefined && old !== now ? [old] : [])])].filter((x) => x !== now);
    const item: PlannedDoc = {
      ...p,
      linkMap: links,
      contentHash: hash,
      formerSlugs: former(row?.formerSlugs, row?.slug, p.slug),
      formerPaths: former(row?.formerPaths, row?.path, p.path),
    };
    if (!row) plan.create.push(item);
    else if (row.contentHash === hash && row.slug === p.slug && row.path === p.path && row.sourcePath === p.doc.sourcePath)
      plan.unchanged.push(item);
    else plan.update.push(item);
  }
  return plan;
}

export const changes = (plan: Plan) => plan.create.length + plan.update.length + plan.remove.length;
