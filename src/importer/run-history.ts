// Every run is recorded (ImportRun), failed ones included: the audit log of how content
// got here, and what the admin API and console list.
import { z } from 'zod';
import type { Db, Prisma } from '../db/client.js';
import type { Reader } from '../db/reader.js';
import { sql } from '../db/sql.js';
import type { Plan } from './plan.js';
import { type FileProblem, FileProblemSchema, IMPORT_STATUSES, type Warning, WarningSchema } from './report.js';

export const ImportRunSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(IMPORT_STATUSES),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime(),
    source: z.string().describe('The folder imported, or "upload"'),
    trigger: z.string().describe('Who started it: cli:user@host or http:address'),
    options: z.record(z.string(), z.boolean()),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    deleted: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    errors: z.array(FileProblemSchema),
    warnings: z.array(WarningSchema),
  })
  .meta({ id: 'ImportRun' });
export type ImportRun = z.infer<typeof ImportRunSchema>;

// Run records as stored, parsed on the way out (json columns are whatever was written): the
// only place they are read. Warnings recorded before they had codes were links and aliases.
const StoredOptions = z.record(z.string(), z.boolean());
const StoredProblems = z.array(FileProblemSchema);
const StoredWarnings = z.array(
  z.preprocess(
    (w) =>
      w && typeof w === 'object' && !('code' in w)
        ? { ...w, code: /^alias/.test(String((w as { message?: unknown }).message)) ? 'alias-collision' : 'broken-link' }
        : w,
    WarningSchema,
  ),
);

type RunRow = Awaited<ReturnType<Db['importRun']['findFirstOrThrow']>>;

const parsed = (r: RunRow): ImportRun => ({
  ...r,
  startedAt: r.startedAt.toISOString(),
  finishedAt: r.finishedAt.toISOString(),
  options: StoredOptions.parse(r.options),
  errors: StoredProblems.parse(r.errors),
  warnings: StoredWarnings.parse(r.warnings),
});

/** Past import runs, newest first (the admin API and the console). */
export async function listImportRuns(db: Db, page: number, limit: number): Promise<{ items: ImportRun[]; total: number }> {
  const [rows, total] = await db.$transaction([
    db.importRun.findMany({ orderBy: { id: 'desc' }, skip: (page - 1) * limit, take: limit }),
    db.importRun.count(),
  ]);
  return { items: rows.map(parsed), total };
}

/** The newest run of `source` started at or after `since`, if one was recorded. */
export async function latestRun(db: Db, source: string, since: Date): Promise<ImportRun | undefined> {
  const row = await db.importRun.findFirst({ where: { source, startedAt: { gte: since } }, orderBy: { id: 'desc' } });
  return row ? parsed(row) : undefined;
}

export interface RunRecord {
  startedAt: Date;
  source: string;
  trigger: string;
  options: Record<string, boolean>;
  problems: FileProblem[];
  warnings: Warning[];
  skipped?: number;
}

const failedFiles = (problems: FileProblem[]) => new Set(problems.map((p) => p.file)).size;

export async function recordRun(tx: Prisma.TransactionClient, run: RunRecord, plan: Plan): Promise<number> {
  const record = await tx.importRun.create({
    data: {
      startedAt: run.startedAt,
      finishedAt: new Date(),
      source: run.source,
      trigger: run.trigger,
      options: run.options,
      status: run.problems.length ? 'partial' : 'succeeded',
      created: plan.create.length,
      updated: plan.update.length,
      unchanged: plan.unchanged.length,
      deleted: plan.remove.length,
      failed: failedFiles(run.problems),
      skipped: run.skipped ?? 0,
      errors: run.problems,
      warnings: run.warnings,
    },
    select: { id: true },
  });
  return record.id;
}

export async function recordFailure(db: Db, run: RunRecord): Promise<number> {
  const record = await db.importRun.create({
    data: {
      startedAt: run.startedAt,
      finishedAt: new Date(),
      status: 'failed',
      source: run.source,
      trigger: run.trigger,
      options: run.options,
      created: 0,
      updated: 0,
      unchanged: 0,
      deleted: 0,
      failed: failedFiles(run.problems),
      skipped: run.skipped ?? 0,
      errors: run.problems,
      warnings: run.warnings,
    },
    select: { id: true },
  });
  return record.id;
}

/** Runs recorded by status with the time they took, and the last run (for /metrics). */
export async function importTotals(reader: Reader) {
  const totals = await reader.query<{ status: string; runs: number; seconds: number }>(sql`
    SELECT status::text, count(*)::int AS runs, coalesce(sum(extract(epoch FROM "finishedAt" - "startedAt")), 0)::float8 AS seconds
    FROM "ImportRun" GROUP BY status`);
  const [last] = await reader.query<{ finishedAt: Date; seconds: number }>(sql`
    SELECT "finishedAt", extract(epoch FROM "finishedAt" - "startedAt")::float8 AS seconds FROM "ImportRun" ORDER BY id DESC LIMIT 1`);
  return { totals, last };
}
