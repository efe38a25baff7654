// The write step: one transaction, under an advisory lock, that brings the database in line
// with the plan. Posts whose content hash is unchanged are not touched.
import type { Db, Prisma } from '../db/client.js';
import { eventsFor } from '../webhooks/events.js';
import { enqueue } from '../webhooks/outbox.js';
import type { AuthorTerm, NormalizedPost, Term } from './normalize.js';
import { changes, type ExistingPost, makePlan, type Plan, type PlanOptions } from './plan.js';
import type { FileProblem } from './problems.js';
import type { Rendered } from './render.js';
import { aliasSlug, type Warning } from './checks.js';
import { searchConfig } from '../blog/search-config.js';
import { CONTENT_CHANNEL } from '../db/content-version.js';

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

function postData(p: NormalizedPost, r: Rendered) {
  return {
    slug: p.slug,
    lang: p.lang,
    title: p.title,
    description: p.description,
    markdown: p.markdown,
    html: r.html,
    text: r.text,
    excerpt: r.excerpt,
    toc: r.toc,
    wordCount: r.wordCount,
    readingMinutes: r.readingMinutes,
    publishedAt: p.publishedAt,
    updatedAt: p.updatedAt,
    revisedAt: p.updatedAt ?? p.publishedAt,
    draft: p.draft,
    image: p.image,
    aliases: p.aliases,
    aliasSlugs: [...new Set(p.aliases.map(aliasSlug).filter(Boolean))],
    // Parsed from front matter and made plain JSON by readFields.
    extra: p.extra as Prisma.InputJsonObject,
    sourcePath: p.sourcePath,
    contentHash: p.contentHash,
  };
}

type Ids = { tags: Map<string, number>; categories: Map<string, number>; authors: Map<string, number> };

async function writeJoins(tx: Tx, posts: { id: number; post: NormalizedPost }[], ids: Ids) {
  const postIds = posts.map((p) => p.id);
  await tx.postTag.deleteMany({ where: { postId: { in: postIds } } });
  await tx.postCategory.deleteMany({ where: { postId: { in: postIds } } });
  await tx.postAuthor.deleteMany({ where: { postId: { in: postIds } } });
  const rows = <T extends Term, R>(key: 'tags' | 'categories' | 'authors', make: (postId: number, id: number, position: number) => R) =>
    posts.flatMap(({ id, post }) => (post[key] as T[]).map((t, position) => make(id, ids[key].get(t.slug)!, position)));
  await tx.postTag.createMany({ data: rows('tags', (postId, tagId, position) => ({ postId, tagId, position })) });
  await tx.postCategory.createMany({
    data: rows('categories', (postId, categoryId, position) => ({ postId, categoryId, position })),
  });
  await tx.postAuthor.createMany({ data: rows('authors', (postId, authorId, position) => ({ postId, authorId, position })) });
}

// tsvector positions stop at 16,383 and a vector at 1 MB: index the start of long bodies.
const SEARCH_TEXT_MAX = 300_000;

/** The weighted search document of the posts just written, in each one's language. */
async function indexForSearch(tx: Tx, written: { id: number; post: NormalizedPost }[]) {
  const byConfig = new Map<string, number[]>();
  for (const { id, post } of written) {
    const config = searchConfig(post.lang);
    byConfig.set(config, [...(byConfig.get(config) ?? []), id]);
  }
  for (const [config, ids] of byConfig) {
    await tx.$executeRaw`
      UPDATE "Post" SET "searchVector" =
        setweight(to_tsvector(${config}::regconfig, title), 'A') ||
        setweight(to_tsvector(${config}::regconfig, coalesce(description, '')), 'B') ||
        setweight(to_tsvector(${config}::regconfig, left(text, ${SEARCH_TEXT_MAX})), 'C')
      WHERE id = ANY(${ids}::int[])`;
  }
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
      const existing: ExistingPost[] = await tx.post.findMany({ select: EXISTING_SELECT });
      const plan = makePlan(existing, posts, options);

      const rename = !options.partial;
      const ids: Ids = {
        tags: await syncTerms(tx.tag, termsOf(posts, 'tags'), rename),
        categories: await syncTerms(tx.category, termsOf(posts, 'categories'), rename),
        authors: await syncTerms<AuthorTerm>(tx.author, termsOf(posts, 'authors'), rename),
      };

      const written: { id: number; post: NormalizedPost }[] = [];
      for (let i = 0; i < plan.create.length; i += CHUNK) {
        const chunk = plan.create.slice(i, i + CHUNK);
        const rows = await tx.post.createManyAndReturn({
          data: chunk.map((p) => postData(p, renderFor(p))),
          select: { id: true, slug: true, lang: true },
        });
        const idOf = new Map(rows.map((r) => [`${r.lang}\0${r.slug}`, r.id]));
        written.push(...chunk.map((post) => ({ id: idOf.get(`${post.lang}\0${post.slug}`)!, post })));
      }
      for (const { existing: row, post } of plan.update) {
        await tx.post.update({ where: { id: row.id }, data: postData(post, renderFor(post)) });
        written.push({ id: row.id, post });
      }
      for (let i = 0; i < written.length; i += CHUNK) {
        await writeJoins(tx, written.slice(i, i + CHUNK), ids);
        await indexForSearch(tx, written.slice(i, i + CHUNK));
      }
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
