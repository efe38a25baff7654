// files -> front matter -> normalized posts -> checks -> render what changed -> apply.
// Every file is checked before anything is written; one bad file and the run writes
// nothing (unless --skip-invalid, which imports the rest and still fails the run).
import type { Db } from '../db/client.js';
import { applyImport, EXISTING_SELECT } from './apply.js';
import { crossFileWarnings, duplicateSlugs, type Known, postKey, resolveLinks, type Warning } from './checks.js';
import { normalize, type NormalizedPost } from './normalize.js';
import { makePlan, type Plan } from './plan.js';
import { type FileProblem, ImportFailedError } from './problems.js';
import { render, type Rendered } from './render.js';
import {
  DEFAULT_EXCLUDE,
  DEFAULT_INCLUDE,
  DEFAULT_MAX_FILE_BYTES,
  decodeSource,
  listFiles,
  readSource,
  type SourceFile,
} from './source.js';

/** How this installation imports (from the configuration). */
export interface ImporterSettings {
  defaultLang: string;
  languages?: ReadonlySet<string>;
  include?: readonly string[];
  exclude?: readonly string[];
  maxFileBytes?: number;
  lockTimeoutMs?: number;
  webhookUrls?: readonly string[];
}

export interface Upload {
  /** Where the file would sit in the content folder, e.g. "posts/hello.md". */
  path: string;
  bytes: Uint8Array;
}

export interface RunOptions {
  /** The content folder (absolute, or relative to the working directory). */
  dir: string;
  /** Who started the run, e.g. "cli:alice@laptop". */
  trigger: string;
  dryRun?: boolean;
  prune?: boolean;
  skipInvalid?: boolean;
  strict?: boolean;
  /** Import just these files, beside what the database holds, instead of the folder. */
  uploads?: Upload[];
  onProgress?: (progress: Progress) => void;
}

export type Progress = { phase: 'read' | 'render'; done: number; total: number } | { phase: 'write' };

export interface PostRef {
  slug: string;
  lang: string;
  sourcePath: string;
}

export interface ImportSummary {
  runId: number | null;
  status: 'succeeded' | 'partial' | 'failed';
  dryRun: boolean;
  files: number;
  created: PostRef[];
  updated: PostRef[];
  unchanged: number;
  deleted: PostRef[];
  missing: PostRef[];
  skipped: { file: string; reason: string }[];
  problems: FileProblem[];
  warnings: Warning[];
  durationMs: number;
}

const ref = (p: { slug: string; lang: string; sourcePath: string }): PostRef => ({
  slug: p.slug,
  lang: p.lang,
  sourcePath: p.sourcePath,
});

const READ_CONCURRENCY = 32;

async function sources(settings: ImporterSettings, options: RunOptions) {
  const problems: FileProblem[] = [];
  const files: SourceFile[] = [];
  const skipped: { file: string; reason: string }[] = [];
  const maxBytes = settings.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const take = (r: { ok: true; file: SourceFile } | { ok: false; problem: FileProblem }) =>
    r.ok ? files.push(r.file) : problems.push(r.problem);

  if (options.uploads) {
    for (const upload of options.uploads) {
      if (upload.bytes.length > maxBytes) problems.push({ file: upload.path, message: `is over the ${maxBytes}-byte limit` });
      else take(decodeSource(upload.path, upload.bytes));
    }
    return { files, problems, skipped, total: options.uploads.length };
  }
  const listing = await listFiles(options.dir, {
    include: settings.include ?? DEFAULT_INCLUDE,
    exclude: [...DEFAULT_EXCLUDE, ...(settings.exclude ?? [])],
  });
  skipped.push(...listing.excluded.map((file) => ({ file, reason: 'excluded by a glob' })));
  skipped.push(...listing.outside.map((file) => ({ file, reason: 'a symbolic link leading outside the content folder, or to no file' })));
  const total = listing.files.length;
  for (let i = 0; i < total; i += READ_CONCURRENCY) {
    const batch = listing.files.slice(i, i + READ_CONCURRENCY);
    for (const r of await Promise.all(batch.map((f) => readSource(options.dir, f, maxBytes)))) take(r);
    options.onProgress?.({ phase: 'read', done: Math.min(i + READ_CONCURRENCY, total), total });
  }
  return { files, problems, skipped, total };
}

/** Slugs and files the database holds outside an upload, for checks across files. */
async function knownBesides(db: Db, uploads: Upload[]): Promise<Known> {
  const paths = new Set(uploads.map((u) => u.path));
  const rows = await db.post.findMany({ select: { slug: true, lang: true, sourcePath: true } });
  const others = rows.filter((r) => !paths.has(r.sourcePath));
  return {
    slugs: new Map(others.map((r) => [postKey(r.lang, r.slug), r.sourcePath])),
    files: new Map(others.map((r) => [r.sourcePath, { slug: r.slug, lang: r.lang }])),
  };
}

async function recordFailure(db: Db, startedAt: Date, options: RunOptions, problems: FileProblem[], warnings: Warning[]) {
  const record = await db.importRun.create({
    data: {
      startedAt,
      finishedAt: new Date(),
      status: 'failed',
      source: options.uploads ? 'upload' : options.dir,
      trigger: options.trigger,
      options: flags(options),
      created: 0,
      updated: 0,
      unchanged: 0,
      deleted: 0,
      failed: new Set(problems.map((p) => p.file)).size,
      errors: problems.map((p) => ({ ...p })),
      warnings: warnings.map((w) => ({ ...w })),
    },
    select: { id: true },
  });
  return record.id;
}

function flags(options: RunOptions): Record<string, boolean> {
  return {
    prune: !!options.prune,
    skipInvalid: !!options.skipInvalid,
    strict: !!options.strict,
    partial: !!options.uploads,
  };
}

function summarize(plan: Plan, base: Omit<ImportSummary, 'created' | 'updated' | 'unchanged' | 'deleted' | 'missing'>): ImportSummary {
  return {
    ...base,
    created: plan.create.map(ref),
    updated: plan.update.map((u) => ref(u.post)),
    unchanged: plan.unchanged.length,
    deleted: plan.remove.map(ref),
    missing: plan.missing.map(ref),
  };
}

/**
 * After a changing import: fresh planner statistics for the new rows, and a visibility map
 * so counts of public posts read the index alone. Outside the transaction (VACUUM cannot
 * run in one); a failure here costs speed, never content, so it is ignored.
 */
async function refreshStatistics(db: Db): Promise<void> {
  await db.$executeRawUnsafe('VACUUM (ANALYZE) "Post", "PostTag", "PostCategory", "PostAuthor"').catch(() => {});
}

export async function runImport(db: Db, settings: ImporterSettings, options: RunOptions): Promise<ImportSummary> {
  const startedAt = new Date();
  const read = await sources(settings, options);
  const problems = [...read.problems];
  const skipped = [...read.skipped];
  const posts: NormalizedPost[] = [];
  for (const file of read.files) {
    const n = normalize(file, settings);
    if (n.kind === 'post') posts.push(n.post);
    else if (n.kind === 'skip') skipped.push({ file: n.file, reason: n.reason });
    else problems.push(...n.problems);
  }
  const known = options.uploads ? await knownBesides(db, options.uploads) : undefined;
  problems.push(...duplicateSlugs(posts, known));
  resolveLinks(posts, settings.defaultLang, known);
  let warnings = crossFileWarnings(posts, known);
  if (options.strict) {
    problems.push(...warnings.map((w) => ({ ...w })));
    warnings = [];
  }
  problems.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  const invalidPaths = new Set(problems.map((p) => p.file));
  const valid = posts.filter((p) => !invalidPaths.has(p.sourcePath));
  const base = {
    dryRun: !!options.dryRun,
    files: read.total,
    skipped,
    problems,
    warnings,
  };
  const elapsed = () => Date.now() - startedAt.getTime();
  const planOptions = { prune: !!options.prune, partial: !!options.uploads, invalidPaths };

  if (problems.length && !options.skipInvalid) {
    const existing = await db.post.findMany({ select: EXISTING_SELECT });
    const runId = options.dryRun ? null : await recordFailure(db, startedAt, options, problems, warnings);
    const plan = makePlan(existing, valid, planOptions);
    throw new ImportFailedError(problems, summarize(plan, { ...base, runId, status: 'failed', durationMs: elapsed() }));
  }
  const status = problems.length ? 'partial' : 'succeeded';

  const existing = await db.post.findMany({ select: EXISTING_SELECT });
  if (options.dryRun) {
    const plan = makePlan(existing, valid, planOptions);
    return summarize(plan, { ...base, runId: null, status, durationMs: elapsed() });
  }

  // Render, outside the transaction, what is new or changed (the costly part), so the
  // transaction stays short; anything another import changed meanwhile renders on demand.
  const hashes = new Map(existing.map((r) => [postKey(r.lang, r.slug), r.contentHash]));
  const rendered = new Map<string, Rendered>();
  const renderFor = (post: NormalizedPost) => {
    let r = rendered.get(post.sourcePath);
    if (!r) rendered.set(post.sourcePath, (r = render(post.markdown, post.linkMap)));
    return r;
  };
  const stale = valid.filter((p) => hashes.get(postKey(p.lang, p.slug)) !== p.contentHash);
  stale.forEach((post, i) => {
    renderFor(post);
    if (i % 50 === 49 || i === stale.length - 1) options.onProgress?.({ phase: 'render', done: i + 1, total: stale.length });
  });

  options.onProgress?.({ phase: 'write' });
  const { plan, runId, contentVersion } = await applyImport(db, valid, renderFor, {
    ...planOptions,
    lockTimeoutMs: settings.lockTimeoutMs ?? 60_000,
    webhookUrls: settings.webhookUrls ?? [],
    run: {
      startedAt,
      source: options.uploads ? 'upload' : options.dir,
      trigger: options.trigger,
      options: flags(options),
      problems,
      warnings,
      skipped: skipped.length,
    },
  });
  if (contentVersion !== undefined) await refreshStatistics(db);
  const summary = summarize(plan, { ...base, runId, status, durationMs: elapsed() });
  if (problems.length) throw new ImportFailedError(problems, summary);
  return summary;
}
