// What the last import knew of each file (SourceFile rows): when a file's size and
// modification time are those recorded, its hash is known without reading it, and for a
// Markdown file, what it says (the document, or why it is skipped) too.
import { z } from 'zod';
import type { Db, Prisma } from '../db/client.js';
import { DocSchema } from './normalize.js';

type Queryable = Db | Prisma.TransactionClient;

/** What a Markdown file read as, under one version of the importer and its settings. */
export const ReadingSchema = z.object({
  fingerprint: z.string(),
  result: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('doc'), doc: DocSchema }),
    z.object({ kind: z.literal('skip'), reason: z.string() }),
  ]),
});
export type Reading = z.infer<typeof ReadingSchema>;

export interface CachedFile {
  path: string;
  size: number;
  mtimeMs: number;
  hash: string;
  /** Markdown files only; absent when it was recorded under other settings, or is unreadable. */
  reading?: Reading;
}

export async function loadFileCache(db: Queryable): Promise<Map<string, CachedFile>> {
  const rows = await db.$queryRaw<{ path: string; size: number; mtimeMs: number; hash: string; meta: unknown }[]>`
    SELECT path, size::float8 AS size, "mtimeMs", hash, meta FROM "SourceFile"`;
  const cache = new Map<string, CachedFile>();
  for (const row of rows) {
    const reading = row.meta === null ? undefined : ReadingSchema.safeParse(row.meta);
    cache.set(row.path, {
      path: row.path,
      size: row.size,
      mtimeMs: row.mtimeMs,
      hash: row.hash,
      ...(reading?.success && { reading: reading.data }),
    });
  }
  return cache;
}

/** The stat of a file equals the recorded one: its bytes are taken as unchanged. */
export const fresh = (cached: CachedFile | undefined, stat: { size: number; mtimeMs: number }) =>
  cached !== undefined && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs;

const CHUNK = 2_000;

/** Records files as this run saw them; forgets those in `gone`. */
export async function saveFileCache(tx: Prisma.TransactionClient, files: CachedFile[], gone: string[]): Promise<void> {
  if (gone.length) await tx.$executeRaw`DELETE FROM "SourceFile" WHERE path = ANY(${gone}::text[])`;
  for (let i = 0; i < files.length; i += CHUNK) {
    const rows = files
      .slice(i, i + CHUNK)
      .map((f) => ({ path: f.path, size: f.size, mtimeMs: f.mtimeMs, hash: f.hash, meta: f.reading ?? null }));
    await tx.$executeRawUnsafe(
      `INSERT INTO "SourceFile" (path, size, "mtimeMs", hash, meta)
       SELECT path, size, "mtimeMs", hash, meta FROM jsonb_to_recordset($1::jsonb)
         AS r(path text, size bigint, "mtimeMs" float8, hash text, meta jsonb)
       ON CONFLICT (path) DO UPDATE SET size = excluded.size, "mtimeMs" = excluded."mtimeMs",
         hash = excluded.hash, meta = excluded.meta`,
      JSON.stringify(rows),
    );
  }
}
