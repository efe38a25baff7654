// Every run is recorded (ImportRun), failed ones included: the audit log of how content
// got here, and what the admin API and console list.
import type { Db, Prisma } from '../db/client.js';
import type { Reader } from '../db/reader.js';
import { sql } from '../db/sql.js';
import type { Plan } from './plan.js';
import type { FileProblem, Warning } from './report.js';

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
