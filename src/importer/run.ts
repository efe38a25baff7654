// files -> front matter -> normalized posts -> (all valid?) -> render what changed -> apply.
// Every file is checked before anything is written; one bad file and the run writes nothing.
import type { Db } from '../db/client.js';
import { applyImport, type ApplyResult } from './apply.js';
import { duplicateSlugs, normalize, type NormalizedPost } from './normalize.js';
import { type FileProblem, ImportFailedError } from './problems.js';
import { render, type Rendered } from './render.js';
import { listMarkdownFiles, readSource } from './source.js';

export interface ImportOptions {
  /** The content folder (absolute, or relative to the working directory). */
  dir: string;
  /** Who started the run, e.g. "cli:alice@laptop". */
  trigger: string;
}

export interface ImportSummary extends ApplyResult {
  files: number;
  durationMs: number;
}

const READ_CONCURRENCY = 32;

async function readAll(dir: string, files: string[]) {
  const posts: NormalizedPost[] = [];
  const problems: FileProblem[] = [];
  for (let i = 0; i < files.length; i += READ_CONCURRENCY) {
    const batch = await Promise.all(files.slice(i, i + READ_CONCURRENCY).map((f) => readSource(dir, f)));
    for (const read of batch) {
      if (!read.ok) {
        problems.push(read.problem);
        continue;
      }
      const n = normalize(read.file);
      if (n.ok) posts.push(n.post);
      else problems.push(...n.problems);
    }
  }
  return { posts, problems: [...problems, ...duplicateSlugs(posts)] };
}

async function recordFailure(db: Db, startedAt: Date, options: ImportOptions, problems: FileProblem[]) {
  await db.importRun.create({
    data: {
      startedAt,
      finishedAt: new Date(),
      status: 'failed',
      source: options.dir,
      trigger: options.trigger,
      created: 0,
      updated: 0,
      unchanged: 0,
      deleted: 0,
      failed: new Set(problems.map((p) => p.file)).size,
      errors: problems.map((p) => ({ ...p })),
    },
  });
}

export async function runImport(db: Db, options: ImportOptions): Promise<ImportSummary> {
  const startedAt = new Date();
  const files = await listMarkdownFiles(options.dir);
  const { posts, problems } = await readAll(options.dir, files);
  if (problems.length) {
    await recordFailure(db, startedAt, options, problems);
    throw new ImportFailedError(problems);
  }

  // Render outside the transaction what is new or changed (the costly part), so the
  // transaction stays short; anything another import changed meanwhile renders on demand.
  const known = new Map(
    (await db.post.findMany({ select: { slug: true, contentHash: true } })).map((r) => [r.slug, r.contentHash]),
  );
  const rendered = new Map<string, Rendered>();
  const renderFor = (post: NormalizedPost) => {
    let r = rendered.get(post.sourcePath);
    if (!r) rendered.set(post.sourcePath, (r = render(post.markdown)));
    return r;
  };
  for (const post of posts) if (known.get(post.slug) !== post.contentHash) renderFor(post);

  const result = await applyImport(db, posts, renderFor, {
    startedAt,
    source: options.dir,
    trigger: options.trigger,
  });
  return { ...result, files: files.length, durationMs: Date.now() - startedAt.getTime() };
}
