// The write step: one transaction, under an advisory lock, that brings the database in line
// with the folder's posts. Posts whose content hash is unchanged are not touched.
import type { Db, Prisma } from '../db/client.js';
import type { NormalizedPost, Term } from './normalize.js';
import type { Rendered } from './render.js';

type Tx = Prisma.TransactionClient;

/** pg_advisory_xact_lock key held by every import ("quir" in ASCII). */
export const IMPORT_LOCK_KEY = 0x71756972;

export interface ApplyResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Slugs in the database whose file is gone; reported, not deleted. */
  missing: string[];
  runId: number;
}

export interface RunRecord {
  startedAt: Date;
  source: string;
  trigger: string;
}

interface TermDelegate {
  findMany(args: { where: { slug: { in: string[] } } }): Promise<{ id: number; slug: string; name: string }[]>;
  createMany(args: { data: Term[] }): Promise<unknown>;
  update(args: { where: { id: number }; data: { name: string } }): Promise<unknown>;
}

/** Every term the folder names, first spelling of each slug in file order. */
function termsOf(posts: NormalizedPost[], key: 'tags' | 'categories'): Term[] {
  const terms = new Map<string, Term>();
  for (const post of posts) for (const t of post[key]) if (!terms.has(t.slug)) terms.set(t.slug, t);
  return [...terms.values()];
}

/** Creates missing terms, renames changed ones; returns slug -> id. */
async function syncTerms(delegate: TermDelegate, terms: Term[]): Promise<Map<string, number>> {
  const slugs = terms.map((t) => t.slug);
  const existing = await delegate.findMany({ where: { slug: { in: slugs } } });
  const bySlug = new Map(existing.map((row) => [row.slug, row]));
  const missing = terms.filter((t) => !bySlug.has(t.slug));
  if (missing.length) await delegate.createMany({ data: missing });
  for (const t of terms) {
    const row = bySlug.get(t.slug);
    if (row && row.name !== t.name) await delegate.update({ where: { id: row.id }, data: { name: t.name } });
  }
  const all = missing.length ? await delegate.findMany({ where: { slug: { in: slugs } } }) : existing;
  return new Map(all.map((row) => [row.slug, row.id]));
}

function postData(p: NormalizedPost, r: Rendered) {
  return {
    slug: p.slug,
    title: p.title,
    description: p.description,
    markdown: p.markdown,
    html: r.html,
    excerpt: r.excerpt,
    toc: r.toc,
    wordCount: r.wordCount,
    readingMinutes: r.readingMinutes,
    publishedAt: p.publishedAt,
    updatedAt: p.updatedAt,
    draft: p.draft,
    // Parsed from YAML or JSON front matter, so it is JSON already.
    extra: p.extra as Prisma.InputJsonObject,
    sourcePath: p.sourcePath,
    contentHash: p.contentHash,
  };
}

async function writeJoins(
  tx: Tx,
  posts: { id: number; post: NormalizedPost }[],
  tagIds: Map<string, number>,
  categoryIds: Map<string, number>,
) {
  const ids = posts.map((p) => p.id);
  await tx.postTag.deleteMany({ where: { postId: { in: ids } } });
  await tx.postCategory.deleteMany({ where: { postId: { in: ids } } });
  await tx.postTag.createMany({
    data: posts.flatMap(({ id, post }) =>
      post.tags.map((t, position) => ({ postId: id, tagId: tagIds.get(t.slug)!, position })),
    ),
  });
  await tx.postCategory.createMany({
    data: posts.flatMap(({ id, post }) =>
      post.categories.map((c, position) => ({ postId: id, categoryId: categoryIds.get(c.slug)!, position })),
    ),
  });
}

const CHUNK = 500;

export async function applyImport(
  db: Db,
  posts: NormalizedPost[],
  renderFor: (post: NormalizedPost) => Rendered,
  run: RunRecord,
): Promise<ApplyResult> {
  return db.$transaction(
    async (tx) => {
      // Two imports at once would interleave their writes: the second waits here.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${IMPORT_LOCK_KEY})`;
      const existing = await tx.post.findMany({ select: { id: true, slug: true, contentHash: true } });
      const bySlug = new Map(existing.map((row) => [row.slug, row]));
      const toCreate = posts.filter((p) => !bySlug.has(p.slug));
      const toUpdate = posts.filter((p) => {
        const row = bySlug.get(p.slug);
        return row !== undefined && row.contentHash !== p.contentHash;
      });
      const folderSlugs = new Set(posts.map((p) => p.slug));

      const tagIds = await syncTerms(tx.tag, termsOf(posts, 'tags'));
      const categoryIds = await syncTerms(tx.category, termsOf(posts, 'categories'));

      const written: { id: number; post: NormalizedPost }[] = [];
      for (let i = 0; i < toCreate.length; i += CHUNK) {
        const chunk = toCreate.slice(i, i + CHUNK);
        const rows = await tx.post.createManyAndReturn({
          data: chunk.map((p) => postData(p, renderFor(p))),
          select: { id: true, slug: true },
        });
        const ids = new Map(rows.map((r) => [r.slug, r.id]));
        written.push(...chunk.map((post) => ({ id: ids.get(post.slug)!, post })));
      }
      for (const post of toUpdate) {
        const id = bySlug.get(post.slug)!.id;
        await tx.post.update({ where: { id }, data: postData(post, renderFor(post)) });
        written.push({ id, post });
      }
      for (let i = 0; i < written.length; i += CHUNK) {
        await writeJoins(tx, written.slice(i, i + CHUNK), tagIds, categoryIds);
      }

      const result = {
        created: toCreate.map((p) => p.slug),
        updated: toUpdate.map((p) => p.slug),
        unchanged: posts.filter((p) => bySlug.get(p.slug)?.contentHash === p.contentHash).map((p) => p.slug),
        missing: existing.filter((row) => !folderSlugs.has(row.slug)).map((row) => row.slug),
      };
      const record = await tx.importRun.create({
        data: {
          ...run,
          finishedAt: new Date(),
          status: 'succeeded',
          created: result.created.length,
          updated: result.updated.length,
          unchanged: result.unchanged.length,
          deleted: 0,
          failed: 0,
        },
        select: { id: true },
      });
      return { ...result, runId: record.id };
    },
    // A first import of a large blog writes for a while; the default 5 s would abort it.
    { maxWait: 60_000, timeout: 30 * 60_000 },
  );
}
