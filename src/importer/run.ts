// files -> front matter -> documents -> media -> plan (slugs, paths, checks) -> write.
// Every file is checked before anything is written; one bad file and the run writes
// nothing (unless --skip-invalid, which imports the rest and still fails the run). A dry
// run goes through every step but the writing, so it reports what the real run would.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import type { ImporterSettings } from '../config.js';
import type { Db, Prisma } from '../db/client.js';
import { applyPlan, loadExisting, lock, type OnChange } from './apply.js';
import { type CachedFile, loadFileCache, saveFileCache } from './file-cache.js';
import { type MediaScan, projectRoot, scanMedia } from './media.js';
import type { Doc } from './normalize.js';
import { type ExistingDoc, makePlan, type Plan } from './plan.js';
import { ImportFailedError, EmptyFolderError, PruneRefusedError } from './errors.js';
import { normalizeFile, type ReadResult, readDocuments } from './read.js';
import { RENDERER_VERSION } from './render.js';
import type { DocumentRef, FileProblem, ImportSummary, Warning } from './report.js';
import { recordFailure, recordRun, type RunRecord } from './run-history.js';
import type { ImportOptions } from './options.js';
import { detectSite, type Site } from './site.js';
import { sha256 } from './source.js';

export interface RunOptions extends ImportOptions {
  /** The content folder (absolute, or relative to the working directory). */
  dir: string;
  /** Who started the run, e.g. "cli:alice@laptop". */
  trigger: string;
  /** A folder of some files (an upload), imported beside what the database holds. */
  partial?: boolean;
  /**
   * The content folder a partial import adds to: site-absolute media paths the upload does
   * not hold are looked for in its static folders too (the site's /images stay on the server).
   */
  mediaFrom?: string;
  /** What the run record calls the source (default: the folder). */
  source?: string;
  onProgress?: (progress: Progress) => void;
  /** Announces what a run changed, in its transaction (the webhook outbox). */
  onChange?: OnChange;
  /** Something went wrong that costs no content (statistics not refreshed). */
  onWarning?: (message: string) => void;
}

export type Progress = { phase: 'read'; done: number; total: number } | { phase: 'write'; done: number; total: number };

const ref = (p: { kind: 'post' | 'page'; slug: string; lang: string; path: string; sourcePath: string }): DocumentRef => ({
  kind: p.kind,
  slug: p.slug,
  lang: p.lang,
  path: p.path,
  sourcePath: p.sourcePath,
});

type Counts = Pick<ImportSummary, 'created' | 'updated' | 'unchanged' | 'deleted' | 'missing'>;
function counts(plan: Plan): Counts {
  const planned = (p: Plan['create'][number]) => ref({ ...p.doc, slug: p.slug, path: p.path });
  return {
    created: plan.create.map(planned),
    updated: plan.update.map(planned),
    unchanged: plan.unchanged.length,
    deleted: plan.remove.map(ref),
    missing: plan.missing.map(ref),
  };
}

/** Changes whenever rendering would: a new renderer, other image widths or embed hosts. */
const renderFingerprint = (settings: ImporterSettings) =>
  sha256(Buffer.from(JSON.stringify([RENDERER_VERSION, settings.mediaUrls.widths, settings.embedHosts])));

interface Decision {
  plan: Plan;
  problems: FileProblem[];
  warnings: Warning[];
}

/** One run's inputs, read once; `decide` plans them against a state of the database. */
class Run {
  readonly startedAt = new Date();
  readonly dir: string;
  readonly isPage: ((p: string) => boolean) | undefined;
  cache = new Map<string, CachedFile>();
  read!: ReadResult;
  media!: MediaScan;
  site!: Site;

  constructor(
    readonly db: Db,
    readonly settings: ImporterSettings,
    readonly options: RunOptions,
  ) {
    this.dir = path.resolve(options.dir);
    this.isPage = settings.pages.length ? picomatch([...settings.pages], { nocase: true }) : undefined;
  }

  async load() {
    const { db, dir, settings, options } = this;
    if (!options.partial) this.cache = await loadFileCache(db);
    // An upload is read by the rules of the site it is added to.
    this.site = await detectSite(options.mediaFrom ?? dir, settings.generator);
    this.read = await readDocuments(dir, settings, this.cache, {
      ...(this.isPage && { isPage: this.isPage }),
      site: this.site,
      ...(options.onProgress && { onProgress: options.onProgress }),
    });
    if (!this.read.total && !options.allowEmpty) throw new EmptyFolderError(dir);
    const known = async (hashes: string[]) =>
      new Set((await db.$queryRaw<{ hash: string }[]>`SELECT hash FROM "Media" WHERE hash = ANY(${hashes}::text[])`).map((r) => r.hash));
    // Static folders are looked for in the content folder and in the site's project (Hugo's
    // static/ and Next's public/ sit beside content/ or data/blog/, not in them).
    const project = await projectRoot(dir);
    const staticIn = async (folder: string) => {
      const top = await projectRoot(folder);
      return [folder, ...settings.staticDirs.flatMap((d) => [path.resolve(folder, d), path.resolve(top, d)])];
    };
    const roots = [...new Set([...(await staticIn(dir)), ...(options.mediaFrom ? await staticIn(path.resolve(options.mediaFrom)) : [])])];
    this.media = await scanMedia(
      this.read.docs,
      dir,
      { ...settings.media, roots, project, defaultLang: settings.defaultLang },
      this.cache,
      known,
    );
  }

  /** Problems found file by file, before any plan. */
  get fileProblems(): FileProblem[] {
    return [...this.read.problems, ...this.media.problems];
  }

  private planWith(existing: ExistingDoc[], invalid: FileProblem[]): Plan {
    const invalidPaths = new Set(invalid.map((p) => p.file));
    return makePlan(
      existing,
      this.read.docs.filter((d) => !invalidPaths.has(d.sourcePath)),
      {
        prune: !!this.options.prune,
        partial: !!this.options.partial,
        invalidPaths,
        presentPaths: this.read.present,
        defaultLang: this.settings.defaultLang,
        ...(this.settings.permalink && { permalink: this.settings.permalink }),
        renderFingerprint: renderFingerprint(this.settings),
        media: (doc: Doc) => Object.fromEntries([...(this.media.byDoc.get(doc.sourcePath) ?? [])].map(([r, f]) => [r, f.hash])),
      },
    );
  }

  /** The plan, with --strict turning every warning into a problem of its file. */
  decide(existing: ExistingDoc[]): Decision {
    let problems = this.fileProblems;
    let plan = this.planWith(existing, problems);
    let warnings = [
      ...this.read.docs.filter((d) => !problems.some((p) => p.file === d.sourcePath)).flatMap((d) => d.warnings),
      ...undatedAmongPosts(this.read.docs),
      ...this.media.warnings,
      ...plan.warnings,
    ];
    if (this.options.strict && warnings.length) {
      problems = [...problems, ...warnings.map(({ code: _, ...w }) => w)];
      plan = this.planWith(existing, problems);
      warnings = [];
    }
    const seen = new Set<string>();
    const all = [...problems, ...plan.problems]
      .filter((p) => {
        const k = JSON.stringify([p.file, p.line, p.field, p.message]);
        return !seen.has(k) && !!seen.add(k);
      })
      .sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
    return { plan, problems: all, warnings };
  }

  record(d: Decision): RunRecord {
    const { options } = this;
    return {
      startedAt: this.startedAt,
      source: options.source ?? this.dir,
      trigger: options.trigger,
      options: { prune: !!options.prune, skipInvalid: !!options.skipInvalid, strict: !!options.strict, partial: !!options.partial },
      problems: d.problems,
      warnings: d.warnings,
      skipped: this.read.skipped.length,
    };
  }

  summary(d: Decision, runId: number | null, status: ImportSummary['status'], stored = 0, removed = 0): ImportSummary {
    const used = new Set([...this.media.byDoc.values()].flatMap((m) => [...m.values()].map((f) => f.hash)));
    return {
      runId,
      status,
      dryRun: !!this.options.dryRun,
      files: this.read.total,
      ...counts(d.plan),
      skipped: this.read.skipped,
      problems: d.problems,
      warnings: d.warnings,
      media: { files: used.size, stored, removed },
      durationMs: Date.now() - this.startedAt.getTime(),
    };
  }

  /** --prune deletes what a typo in a path or an unmounted volume would: ask before most of it. */
  checkPrune(plan: Plan) {
    if (!plan.remove.length || this.options.pruneAll) return;
    const total = plan.remove.length + plan.unchanged.length + plan.update.length + plan.missing.length;
    if (plan.remove.length === total || (plan.remove.length / total) * 100 > this.settings.pruneMaxPercent) {
      throw new PruneRefusedError(plan.remove.length, total, this.settings.pruneMaxPercent);
    }
  }

  /** Reads a document's file again for writing, refusing one changed since it was checked. */
  async body(doc: Doc): Promise<string> {
    const n = await normalizeFile(this.dir, doc.sourcePath, this.settings, this.isPage, this.site);
    if (n.kind !== 'doc' || n.doc.fileHash !== doc.fileHash) {
      throw new ImportFailedError([{ file: doc.sourcePath, message: 'changed while it was being imported; run the import again' }]);
    }
    return n.markdown;
  }

  async write(tx: Prisma.TransactionClient, d: Decision) {
    const { options, media, read } = this;
    let runId: number | undefined;
    const applied = await applyPlan(
      tx,
      d.plan,
      {
        body: (doc) => this.body(doc),
        media,
        mediaUrls: this.settings.mediaUrls,
        embedHosts: this.settings.embedHosts,
        mediaBytes: (hash) => readFile(media.fresh.get(hash)!.file.abs),
        renameTerms: !options.partial,
        prune: !!options.prune,
        onProgress: (done, total) => options.onProgress?.({ phase: 'write', done, total }),
      },
      async (contentVersion, keys) => {
        runId = await recordRun(tx, this.record(d), d.plan);
        await options.onChange?.(tx, {
          runId,
          contentVersion,
          keys,
          created: d.plan.create,
          updated: d.plan.update.map((u) => ({ before: u.existing!, after: u })),
          removed: d.plan.remove,
          unchanged: d.plan.unchanged.length,
        });
      },
    );
    runId ??= await recordRun(tx, this.record(d), d.plan);
    if (!options.partial) {
      const moved = media.seen.filter((f) => {
        const c = this.cache.get(f.path);
        return !c || c.size !== f.size || c.mtimeMs !== f.mtimeMs || c.hash !== f.hash;
      });
      await saveFileCache(tx, [...read.cacheUpdates, ...moved], read.gone);
    }
    return { runId, applied };
  }
}

/** Undated files in a folder of dated posts: pages by rule, posts by the author's intent, likely. */
function undatedAmongPosts(docs: Doc[]): Warning[] {
  const folder = (d: Doc) => d.place.dirs.join('/');
  const withPosts = new Set(docs.filter((d) => d.kind === 'post').map(folder));
  return docs
    .filter((d) => d.undated && withPosts.has(folder(d)))
    .map((d) => ({
      code: 'undated-page' as const,
      file: d.sourcePath,
      message:
        'has no date, so it is a page (not listed with posts, not in feeds); give it a date to make it a post, or `type: page` to say it is one',
    }));
}

/**
 * After a changing import: fresh planner statistics for the new rows, and a visibility map
 * so counts of public posts read the index alone. Outside the transaction (VACUUM cannot
 * run in one); a failure costs speed, never content, so it is reported and the run goes on.
 */
async function refreshStatistics(db: Db, onWarning: ((m: string) => void) | undefined): Promise<void> {
  await db.$executeRawUnsafe('VACUUM (ANALYZE) "Post", "PostTag", "PostCategory", "PostAuthor", "PostMedia"').catch((err: Error) => {
    onWarning?.(`statistics not refreshed (reads may be slower until autovacuum runs): ${err.message}`);
  });
}

/** --skip-invalid with every file refused imports nothing: the run failed, it is not partial. */
const importsNothing = (plan: Plan) => !plan.create.length && !plan.update.length && !plan.unchanged.length && !plan.remove.length;

export async function runImport(db: Db, settings: ImporterSettings, options: RunOptions): Promise<ImportSummary> {
  const run = new Run(db, settings, options);
  await run.load();

  // A dry run, or a run that fails on invalid files: planned against the database as it is.
  if (options.dryRun || (run.fileProblems.length && !options.skipInvalid)) {
    const d = run.decide(await loadExisting(db));
    run.checkPrune(d.plan);
    const failed = d.problems.length && (!options.skipInvalid || importsNothing(d.plan));
    const runId = options.dryRun ? null : await recordFailure(db, run.record(d));
    const summary = run.summary(d, runId, d.problems.length ? (failed ? 'failed' : 'partial') : 'succeeded');
    if (d.problems.length) throw new ImportFailedError(d.problems, summary);
    return summary;
  }

  const outcome = await db.$transaction(
    async (tx) => {
      await lock(tx, settings.lockTimeoutMs);
      const d = run.decide(await loadExisting(tx));
      // Found only across files (two on one path): nothing is written, the run is recorded below.
      if (d.problems.length && (!options.skipInvalid || importsNothing(d.plan))) return { d, written: undefined };
      run.checkPrune(d.plan);
      return { d, written: await run.write(tx, d) };
    },
    // A first import of a large blog writes for a while; the default 5 s would abort it.
    { maxWait: settings.lockTimeoutMs + 10_000, timeout: 6 * 60 * 60_000 },
  );
  const { d, written } = outcome;
  if (!written) {
    const runId = await recordFailure(db, run.record(d));
    throw new ImportFailedError(d.problems, run.summary(d, runId, 'failed'));
  }
  if (written.applied.contentVersion !== undefined) await refreshStatistics(db, options.onWarning);
  const summary = run.summary(
    d,
    written.runId,
    d.problems.length ? 'partial' : 'succeeded',
    written.applied.media.stored,
    written.applied.media.removed,
  );
  if (d.problems.length) throw new ImportFailedError(d.problems, summary);
  return summary;
}
