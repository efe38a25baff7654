// Every run is recorded (ImportRun), failed ones included: the audit log of how content
// got here, and what the admin API and console list.
import type { Db, Prisma } from '../db/client.js';
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
