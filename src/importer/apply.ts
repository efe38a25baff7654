// The write step: one transaction, under an advisory lock, that brings the database in line
// with the plan. Documents whose content hash is unchanged are not touched; the others are
// read again, rendered and written in batches, so memory stays flat however large the blog.
import { CONTENT_CHANNEL } from '../db/content-watch.js';
import type { Prisma } from '../db/client.js';
import { coverOf, type MediaFacts, type MediaUrlSettings } from '../media/urls.js';
import { LISTINGS, documentKey, shownWith } from '../db/cache-keys.js';
import { refreshDerived } from './derived.js';
import { mediaRef } from './links.js';
import type { MediaFile, MediaScan } from './media.js';
import type { AuthorTerm, Doc, Term } from './normalize.js';
import { changes, type ExistingDoc, type Plan, type PlannedDoc } from './plan.js';
import { type MediaContext, render } from './render.js';
import { insertDocs, refreshTermsJson, replaceJoins, type TermIds, updateDocs, type WrittenDoc } from './write-posts.js';

type Tx = Prisma.TransactionClient;

/** pg_advisory_xact_lock key held by every import ("quir" in ASCII). */
export const IMPORT_LOCK_KEY = 0x71756972;

export class ImportBusyError extends Error {
  override name = 'ImportBusyError';
}

/** What a committed run changed, for whoever announces it (the webhook outbox). */
export interface ContentChangeEvent {
  runId: number;
  contentVersion: number;
  /** The cache keys it touched ("*": everything): what a CDN should purge by Surrogate-Key. */
  keys: string[];
  created: PlannedDoc[];
  updated: { before: ExistingDoc; after: PlannedDoc }[];
  removed: ExistingDoc[];
  unchanged: number;
}

/** Called inside the transaction, after the content is written: its writes commit with it. */
export type OnChange = (tx: Tx, change: ContentChangeEvent) => Promise<void>;

export async function lock(tx: Tx, timeoutMs: number) {
  // lock_timeout bounds the wait for the advisory lock; 0 would mean forever in PostgreSQL.
  await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
  try {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${IMPORT_LOCK_KEY})`;
  } catch (err) {
    if (/lock timeout/i.test(String((err as Error).message))) {
      throw new ImportBusyError(`another import is running; waited ${Math.round(timeoutMs / 1000)} s for it (QUIRE_IMPORT_LOCK_TIMEOUT)`);
    }
    throw err;
  }
  // An import writes for as long as it needs: no lock or statement timeout of the pool's.
  await tx.$executeRawUnsafe('SET LOCAL lock_timeout = 0');
  await tx.$executeRawUnsafe('SET LOCAL statement_timeout = 0');
  // Bodies are stored compressed: lz4, where the server has it, is several times faster
  // than the default pglz to write and to read back.
  await tx.$executeRawUnsafe(
    `SELECT set_config('default_toast_compression', 'lz4', true) FROM pg_settings
     WHERE name = 'default_toast_compression' AND 'lz4'::text = ANY(enumvals)`,
  );
}

export async function loadExisting(tx: Tx): Promise<ExistingDoc[]> {
  return tx.post.findMany({
    select: {
      id: true,
      kind: true,
      slug: true,
      requestedSlug: true,
      lang: true,
      path: true,
      sourcePath: true,
      contentHash: true,
      draft: true,
      publishedAt: true,
      expiresAt: true,
      title: true,
      aliases: true,
      formerSlugs: true,
      formerPaths: true,
    },
  });
}

interface TermDelegate<T extends Term> {
  findMany(args: { where: { slug: { in: string[] } } }): Promise<(T & { id: number })[]>;
  createMany(args: { data: T[] }): Promise<unknown>;
  update(args: { where: { id: number }; data: Partial<T> }): Promise<unknown>;
}

/** Every term the documents name, the first spelling of each slug in file order. */
function termsOf<K extends 'tags' | 'categories' | 'authors'>(docs: Doc[], key: K) {
  const terms = new Map<string, Doc[K][number]>();
  for (const doc of docs) for (const t of doc[key]) if (!terms.has(t.slug)) terms.set(t.slug, t);
  return [...terms.values()];
}

/** Creates missing terms and, unless told not to, renames changed ones; returns slug -> id, and the renamed. */
async function syncTerms<T extends Term>(delegate: TermDelegate<T>, terms: T[], rename: boolean, renamed: number[]) {
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
        renamed.push(row.id);
      }
    }
  }
  const all = missing.length ? await delegate.findMany({ where: { slug: { in: slugs } } }) : existing;
  return new Map(all.map((row) => [row.slug, row.id]));
}

/** What a document looks like in lists and links: a change here moves it among other pages. */
const listing = (d: { kind: string; lang: string; title: string; draft: boolean; publishedAt: Date | null }) =>
  JSON.stringify([d.kind, d.lang, d.title, d.draft, d.publishedAt?.getTime() ?? null]);
const termSet = (d: Pick<Doc, 'tags' | 'categories' | 'authors' | 'featured'>) =>
  JSON.stringify([
    d.tags.map((t) => [t.slug, t.name]),
    d.categories.map((t) => [t.slug, t.name]),
    d.authors.map((a) => [a.slug, a.name, a.url, a.affiliation]),
    d.featured,
  ]);

type Scope = 'all' | 'moved' | 'edited';

/**
 * How far the change reaches. A document edited in place (same slug, path, title, date,
 * terms) shows differently only where it is shown; one added, removed or moved among lists
 * changes the lists and its neighbours; a renamed term changes every document carrying it.
 */
function changeScope(plan: Plan, termsBefore: Map<string, string>, renamedTerms: number): Scope {
  if (renamedTerms) return 'all';
  if (plan.create.length || plan.remove.length) return 'moved';
  return plan.update.some((u) => movedAmongLists(u, termsBefore)) ? 'moved' : 'edited';
}

const movedAmongLists = (u: PlannedDoc, termsBefore: Map<string, string>) =>
  u.existing!.slug !== u.slug ||
  u.existing!.path !== u.path ||
  listing(u.existing!) !== listing(u.doc) ||
  termsBefore.get(u.existing!.sourcePath) !== termSet(u.doc);

/** The keys of what these documents' responses show, and of the documents that show them. */
async function keysShownWith(tx: Tx, ids: number[]): Promise<string[]> {
  if (!ids.length) return [];
  const { text, values } = shownWith(ids).build();
  return (await tx.$queryRawUnsafe<{ key: string }[]>(text, ...values)).map((r) => r.key);
}

async function bumpContentVersion(tx: Tx, keys: string[]): Promise<number> {
  const [row] = await tx.$queryRaw<{ version: number }[]>`
    UPDATE "ContentState" SET version = version + 1, "changedAt" = now() WHERE id = 1 RETURNING version`;
  const version = row?.version ?? 0;
  await tx.$executeRaw`INSERT INTO "ContentChange" (version, keys) VALUES (${version}, ${keys}::text[])`;
  await tx.$executeRaw`DELETE FROM "ContentChange" WHERE version < ${version - 1_000}`;
  // Delivered at commit: every API process reads what changed and drops just that.
  await tx.$executeRaw`SELECT pg_notify(${CONTENT_CHANNEL}, ${String(version)})`;
  return version;
}

export interface WriteContext {
  /** Reads a document's file again: its Markdown body as rendered (checked against its hash). */
  body: (doc: Doc) => Promise<string>;
  media: MediaScan;
  mediaUrls: MediaUrlSettings;
  /** Hosts whose <iframe> embeds are kept. */
  embedHosts: readonly string[];
  /** Reads a new media file's bytes to store it. */
  mediaBytes: (hash: string) => Promise<Buffer>;
  /** Rename tags, categories, authors to the spelling the files use (not for partial uploads). */
  renameTerms: boolean;
  prune: boolean;
  onProgress?: (done: number, total: number) => void;
}

const BATCH = 200;

/** Facts of every media file the documents use: new ones from the scan, the rest from the database. */
async function mediaFacts(tx: Tx, docs: PlannedDoc[], scan: MediaScan): Promise<Map<string, Omit<MediaFacts, 'name'>>> {
  const hashes = new Set(docs.flatMap((p) => [...(scan.byDoc.get(p.doc.sourcePath)?.values() ?? [])].map((f) => f.hash)));
  const facts = new Map<string, Omit<MediaFacts, 'name'>>();
  for (const [hash, { info }] of scan.fresh) if (hashes.has(hash)) facts.set(hash, { hash, ...info });
  const rest = [...hashes].filter((h) => !facts.has(h));
  if (rest.length) {
    const rows = await tx.$queryRaw<Omit<MediaFacts, 'name'>[]>`
      SELECT hash, type, width, height, placeholder FROM "Media" WHERE hash = ANY(${rest}::text[])`;
    for (const row of rows) facts.set(row.hash, row);
  }
  return facts;
}

async function storeMedia(tx: Tx, hashes: string[], scan: MediaScan, bytesOf: WriteContext['mediaBytes']): Promise<number> {
  let stored = 0;
  for (const hash of hashes) {
    const fresh = scan.fresh.get(hash);
    if (!fresh) continue;
    const { info } = fresh;
    const n = await tx.$executeRaw`
      INSERT INTO "Media" (hash, name, type, size, width, height, placeholder, bytes)
      VALUES (${hash}, ${fresh.file.name}, ${info.type}, ${info.size}, ${info.width}, ${info.height}, ${info.placeholder}, ${await bytesOf(hash)})
      ON CONFLICT (hash) DO NOTHING`;
    stored += n;
  }
  return stored;
}

export interface ApplyResult {
  contentVersion: number | undefined;
  media: { stored: number; removed: number };
}

/** Writes the plan. The caller holds the lock (lock()) and records the run. */
export async function applyPlan(
  tx: Tx,
  plan: Plan,
  ctx: WriteContext,
  onChange: (version: number, keys: string[]) => Promise<void>,
): Promise<ApplyResult> {
  const writes = [...plan.create, ...plan.update];
  const docs = writes.map((p) => p.doc);
  const renamed = { tags: [] as number[], categories: [] as number[], authors: [] as number[] };
  const ids: TermIds = {
    tags: await syncTerms(tx.tag, termsOf(docs, 'tags'), ctx.renameTerms, renamed.tags),
    categories: await syncTerms(tx.category, termsOf(docs, 'categories'), ctx.renameTerms, renamed.categories),
    authors: await syncTerms<AuthorTerm>(tx.author, termsOf(docs, 'authors'), ctx.renameTerms, renamed.authors),
  };
  const termsBefore = await termSets(tx, plan.update);

  const facts = await mediaFacts(tx, writes, ctx.media);
  let stored = 0;
  const createdIds: number[] = [];
  for (let i = 0; i < writes.length; i += BATCH) {
    const batch: WrittenDoc[] = [];
    const hashesOf = new Map<string, string[]>();
    for (const planned of writes.slice(i, i + BATCH)) {
      const files = ctx.media.byDoc.get(planned.doc.sourcePath) ?? new Map<string, MediaFile>();
      const byRef = new Map<string, MediaFacts>();
      for (const [ref, file] of files) {
        const f = facts.get(file.hash);
        if (f) byRef.set(ref, { ...f, name: file.name });
      }
      hashesOf.set(
        planned.doc.sourcePath,
        [...byRef.values()].map((m) => m.hash),
      );
      const media: MediaContext = { settings: ctx.mediaUrls, files: byRef };
      const markdown = await ctx.body(planned.doc);
      const image = planned.doc.image;
      batch.push({
        planned,
        markdown,
        rendered: render(markdown, planned.linkMap, media, { embedHosts: ctx.embedHosts }),
        // Files are known by the reference as the body's are: decoded, no query or fragment.
        cover: image && coverOf(ctx.mediaUrls, image.src, image.alt, byRef.get(mediaRef(image.src) ?? image.src)),
      });
    }
    // Files first: the documents' PostMedia rows point at them.
    stored += await storeMedia(
      tx,
      [...new Set([...hashesOf.values()].flat())].filter((h) => ctx.media.fresh.has(h)),
      ctx.media,
      ctx.mediaBytes,
    );
    const created = batch.filter((w) => !w.planned.existing);
    const updated = batch.filter((w) => w.planned.existing).map((w) => ({ ...w, id: w.planned.existing!.id }));
    const createdIdsOf = created.length ? await insertDocs(tx, created) : new Map<string, number>();
    createdIds.push(...createdIdsOf.values());
    if (updated.length) await updateDocs(tx, updated);
    const joined = batch.map((w) => ({
      id: w.planned.existing?.id ?? createdIdsOf.get(w.planned.doc.sourcePath)!,
      planned: w.planned,
      media: hashesOf.get(w.planned.doc.sourcePath) ?? [],
    }));
    await replaceJoins(tx, joined, ids);
    await refreshTermsJson(
      tx,
      joined.map((j) => j.id),
    );
    ctx.onProgress?.(Math.min(i + BATCH, writes.length), writes.length);
  }
  // A renamed term changes how every document carrying it shows it.
  const touched = await tx.$queryRaw<{ id: number }[]>`
    SELECT "postId" AS id FROM "PostTag" WHERE "tagId" = ANY(${renamed.tags}::int[])
    UNION SELECT "postId" FROM "PostCategory" WHERE "categoryId" = ANY(${renamed.categories}::int[])
    UNION SELECT "postId" FROM "PostAuthor" WHERE "authorId" = ANY(${renamed.authors}::int[])`;
  await refreshTermsJson(
    tx,
    touched.map((r) => r.id),
  );
  const renamedTerms = renamed.tags.length + renamed.categories.length + renamed.authors.length;
  const scope = changeScope(plan, termsBefore, renamedTerms);
  // Who shows a removed document is known only while it is there.
  const keys = new Set(
    scope === 'moved'
      ? await keysShownWith(
          tx,
          plan.remove.map((r) => r.id),
        )
      : [],
  );
  if (plan.remove.length) await tx.post.deleteMany({ where: { id: { in: plan.remove.map((r) => r.id) } } });
  if (ctx.prune) {
    await tx.tag.deleteMany({ where: { posts: { none: {} } } });
    await tx.category.deleteMany({ where: { posts: { none: {} } } });
    await tx.author.deleteMany({ where: { posts: { none: {} } } });
  }
  if (!changes(plan)) return { contentVersion: undefined, media: { stored, removed: 0 } };
  // A file no document uses any more goes with the last one that used it.
  const gone = await tx.$queryRaw<{ hash: string }[]>`
    DELETE FROM "Media" m WHERE NOT EXISTS (SELECT 1 FROM "PostMedia" pm WHERE pm.hash = m.hash) RETURNING hash`;
  const removed = gone.length;
  const rederived = await refreshDerived(tx);
  if (scope === 'all') keys.add('*');
  else {
    // Each edited document's own responses (old slugs now redirect: theirs go too), and
    // those whose neighbours or related posts changed.
    for (const u of plan.update) keys.add(documentKey(u.existing!)).add(documentKey({ ...u.doc, slug: u.slug }));
    const ownOnly = rederived.length
      ? await tx.$queryRaw<
          { key: string }[]
        >`SELECT kind || ':' || lang || '/' || slug AS key FROM "Post" WHERE id = ANY(${rederived}::int[])`
      : [];
    for (const { key } of ownOnly) keys.add(key);
    if (scope === 'moved') {
      // New and moved documents: the listings, and every response that shows them.
      for (const k of LISTINGS) keys.add(k);
      const moved = [...createdIds, ...plan.update.filter((u) => movedAmongLists(u, termsBefore)).map((u) => u.existing!.id)];
      for (const k of await keysShownWith(tx, moved)) keys.add(k);
    }
  }
  // A removed file's cached responses go too (taken down means gone, not gone once evicted).
  for (const { hash } of gone) keys.add(`media:${hash}`);
  const contentVersion = await bumpContentVersion(tx, [...keys]);
  await onChange(contentVersion, [...keys]);
  return { contentVersion, media: { stored, removed } };
}

/** Each updated document's terms as they were, to tell an edit in place from a move. */
async function termSets(tx: Tx, updates: PlannedDoc[]): Promise<Map<string, string>> {
  if (!updates.length) return new Map();
  const rows = await tx.$queryRaw<{ sourcePath: string; tags: Term[]; categories: Term[]; authors: AuthorTerm[]; featured: boolean }[]>`
    SELECT p."sourcePath", p.featured,
      (SELECT coalesce(json_agg(json_build_object('slug', t.slug, 'name', t.name) ORDER BY j.position), '[]')
         FROM "PostTag" j JOIN "Tag" t ON t.id = j."tagId" WHERE j."postId" = p.id) AS tags,
      (SELECT coalesce(json_agg(json_build_object('slug', t.slug, 'name', t.name) ORDER BY j.position), '[]')
         FROM "PostCategory" j JOIN "Category" t ON t.id = j."categoryId" WHERE j."postId" = p.id) AS categories,
      (SELECT coalesce(json_agg(json_build_object('slug', t.slug, 'name', t.name, 'url', t.url, 'affiliation', t.affiliation) ORDER BY j.position), '[]')
         FROM "PostAuthor" j JOIN "Author" t ON t.id = j."authorId" WHERE j."postId" = p.id) AS authors
    FROM "Post" p WHERE p.id = ANY(${updates.map((u) => u.existing!.id)}::int[])`;
  return new Map(rows.map((r) => [r.sourcePath, termSet(r)]));
}
