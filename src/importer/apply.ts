// The write step: one transaction, under an advisory lock, that brings the database in line
// with the plan. Posts whose content hash is unchanged are not touched.
import type { Db, Prisma } from '../db/client.js';
import { eventsFor } from '../webhooks/events.js';
import { enqueue } from '../webhooks/outbox.js';
import type { AuthorTerm, NormalizedPost, Term } from './normalize.js';
import { changes, type ExistingPost, makePlan, type Plan, type PlanOptions } from './plan.js';
import type { FileProblem } from './problems.js';
import type { Rendered } from './render.js';
import { CONTENT_CHANNEL } from '../db/content-version.js';
import { postKey, type Warning } from './checks.js';
import { insertPosts, replaceJoins, type TermIds, updatePosts } from './write-posts.js';

type Tx = Prisma.TransactionClient;

/** pg_advisory_xact_lock key held by every import ("quir" in ASCII). */
export const IMPORT_LOCK_KEY = 0x71756972;

export class ImportBusyError extends Error {
  override name = 'ImportBusyError';
}

export interface RunRecord {
  startedAt: Date;
  source: string;
  trigger: string;
  options: Record<string, boolean>;
  problems: FileProblem[];
  warnings: Warning[];
  skipped: number;
}

export interface ApplyOptions extends PlanOptions {
  lockTimeoutMs: number;
  webhookUrls: readonly string[];
  run: RunRecord;
}

export const EXISTING_SELECT = {
  id: true,
  slug: true,
  lang: true,
  sourcePath: true,
  contentHash: true,
  draft: true,
  publishedAt: true,
} as const;

interface TermDelegate<T extends Term> {
  findMany(args: { where: { slug: { in: string[] } } }): Promise<(T & { id: number })[]>;
  createMany(args: { data: T[] }): Promise<unknown>;
  update(args: { where: { id: number }; data: Partial<T> }): Promise<unknown>;
}

/** Every term the posts name, the first spelling of each slug in file order. */
function termsOf<K extends 'tags' | 'categories' | 'authors'>(posts: NormalizedPost[], key: K) {
  const terms = new Map<string, NormalizedPost[K][number]>();
  for (const post of posts) for (const t of post[key]) if (!terms.has(t.slug)) terms.set(t.slug, t);
  return [...terms.values()];
}

/** Creates missing terms and, unless told not to, renames changed ones; returns slug -> id. */
async function syncTerms<T extends Term>(delegate: TermDelegate<T>, terms: T[], rename: boolean) {
  const slugs = terms.map((t) => t.slug);
  const existing = await delegate.findMany({ where: { slug: { in: slugs } } });
  const bySlug = new Map(existing.map((row) => [row.slug, row]));
  const missing = terms.filter((t) => !bySlug.has(t.slug));
  if (missing.length) await delegate.createMany({ data: missing });
  if (rename) {
    for (const t of terms) {
      const row = bySlug.get(t.slug);
      const changed = row && (Object.keys(t) as (keyof T)[]).filter((k) => k !== 'slug' && row[k] !== t[k]);
      if (row && changed?.length) {
        await delegate.update({ where: { id: row.id }, data: Object.fromEntries(changed.map((k) => [k, t[k]])) as Partial<T> });
      }
    }
  }
  const all = missing.length ? await delegate.findMany({ where: { slug: { in: slugs } } }) : existing;
  return new Map(all.map((row) => [row.slug, row.id]));
}

/** Bumps the content version and tells every API process (delivered at commit). */
async function bumpContentVersion(tx: Tx): Promise<number> {
  const [row] = await tx.$queryRaw<{ version: number }[]>`
    UPDATE "ContentState" SET version = version + 1, "changedAt" = now() WHERE id = 1 RETURNING version`;
  const version = row?.version ?? 0;
  await tx.$executeRaw`SELECT pg_notify(${CONTENT_CHANNEL}, ${String(version)})`;
  return version;
}

/** Tags, categories and authors no post carries any more (after --prune). */
async function deleteOrphans(tx: Tx) {
  await tx.tag.deleteMany({ where: { posts: { none: {} } } });
  await tx.category.deleteMany({ where: { posts: { none: {} } } });
  await tx.author.deleteMany({ where: { posts: { none: {} } } });
}

async function lock(tx: Tx, timeoutMs: number) {
  // lock_timeout bounds the wait for the advisory lock; 0 would mean forever in PostgreSQL.
  await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
  try {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${IMPORT_LOCK_KEY})`;
  } catch (err) {
    if (/lock timeout/i.test(String((err as Error).message))) {
      throw new ImportBusyError(
        `another import is running; waited ${Math.round(timeoutMs / 1000)} s for it (QUIRE_IMPORT_LOCK_TIMEOUT)`,
      );
    }
    throw err;
  }
  await tx.$executeRawUnsafe('SET LOCAL lock_timeout = 0');
}

const CHUNK = 500;

export interface ApplyResult {
  plan: Plan;
  runId: number;
  /** The new content version, when the run changed something. */
  contentVersion: number | undefined;
}

export async function applyImport(
  db: Db,
  posts: NormalizedPost[],
  renderFor: (post: NormalizedPost) => Rendered,
  options: ApplyOptions,
): Promise<ApplyResult> {
  return db.$transaction(
    async (tx) => {
      await lock(tx, options.lockTimeoutMs);
      // Bodies are stored compressed: lz4, where the server has it, is several times faster
      // than the default pglz to write and to read back.
      await tx.$executeRawUnsafe(
        `SELECT set_config('default_toast_compression', 'lz4', true) FROM pg_settings
         WHERE name = 'default_toast_compression' AND 'lz4'::text = ANY(enumvals)`,
      );
      const existing: ExistingPost[] = await tx.post.findMany({ select: EXISTING_SELECT });
      const plan = makePlan(existing, posts, options);

      const rename = !options.partial;
      const ids: TermIds = {
        tags: await syncTerms(tx.tag, termsOf(posts, 'tags'), rename),
        categories: await syncTerms(tx.category, termsOf(posts, 'categories'), rename),
        authors: await syncTerms<AuthorTerm>(tx.author, termsOf(posts, 'authors'), rename),
      };

      const written: { id: number; post: NormalizedPost }[] = [];
      for (let i = 0; i < plan.create.length; i += CHUNK) {
        const chunk = plan.create.slice(i, i + CHUNK);
        const rows = await insertPosts(tx, chunk.map((post) => ({ post, rendered: renderFor(post) })));
        const idOf = new Map(rows.map((r) => [postKey(r.lang, r.slug), r.id]));
        written.push(...chunk.map((post) => ({ id: idOf.get(postKey(post.lang, post.slug))!, post })));
      }
      for (let i = 0; i < plan.update.length; i += CHUNK) {
        const chunk = plan.update.slice(i, i + CHUNK).map(({ existing, post }) => ({ id: existing.id, post }));
        await updatePosts(tx, chunk.map(({ id, post }) => ({ id, post, rendered: renderFor(post) })));
        written.push(...chunk);
      }
      for (let i = 0; i < written.length; i += CHUNK) await replaceJoins(tx, written.slice(i, i + CHUNK), ids);
      if (plan.remove.length) await tx.post.deleteMany({ where: { id: { in: plan.remove.map((r) => r.id) } } });
      if (options.prune) await deleteOrphans(tx);
      const contentVersion = changes(plan) ? await bumpContentVersion(tx) : undefined;

      const { run } = options;
      const failedFiles = new Set(run.problems.map((p) => p.file)).size;
      const record = await tx.importRun.create({
        data: {
          startedAt: run.startedAt,
          source: run.source,
          trigger: run.trigger,
          options: run.options,
          finishedAt: new Date(),
          status: failedFiles ? 'partial' : 'succeeded',
          created: plan.create.length,
          updated: plan.update.length,
          unchanged: plan.unchanged.length,
          deleted: plan.remove.length,
          failed: failedFiles,
          skipped: run.skipped,
          errors: run.problems.map((p) => ({ ...p })),
          warnings: run.warnings.map((w) => ({ ...w })),
        },
        select: { id: true },
      });
      if (contentVersion !== undefined) {
        const events = eventsFor(plan, { runId: record.id, contentVersion }, new Date());
        await enqueue(tx, options.webhookUrls, events, new Date());
      }
      return { plan, runId: record.id, contentVersion };
    },
    // A first import of a large blog writes for a while; the default 5 s would abort it.
    { maxWait: 60_000, timeout: 30 * 60_000 },
  );
}
