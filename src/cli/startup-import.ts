// The import step of `quire start`: whatever it meets, the server starts afterwards. Files
// with problems are refused and listed, the rest imported; an import that fails as a whole
// leaves the content the database holds, which is then served. /readyz tells what happened.
import type { StartupImport } from '../api/routes/health.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { latestRun } from '../importer/run-history.js';
import { importOnce, type ImportFlags } from './import-command.js';
import { err } from './output.js';

type Flags = Omit<ImportFlags, 'skipInvalid' | 'dryRun' | 'json'>;

function failed(reason: string): StartupImport {
  return { status: 'failed', finishedAt: new Date().toISOString(), failed: 0, problems: [], reason };
}

/** What the run recorded (an import always records its run), or undefined if it never got there. */
async function recordedRun(db: Db, dir: string, since: Date): Promise<StartupImport | undefined> {
  const run = await latestRun(db, dir, since);
  if (!run) return undefined;
  const imported = run.created + run.updated + run.unchanged;
  const status = run.status === 'succeeded' ? 'succeeded' : run.status === 'partial' && imported > 0 ? 'partial' : 'failed';
  return {
    status,
    finishedAt: run.finishedAt,
    failed: run.failed,
    problems: run.errors,
    ...(status === 'failed' && { reason: 'every file was refused' }),
  };
}

export async function importAtStart(config: Config, db: Db, flags: Flags, debug: boolean): Promise<StartupImport> {
  const since = new Date();
  let report: StartupImport;
  try {
    await importOnce(config, db, config.contentDir, { ...flags, skipInvalid: true, dryRun: false, json: false });
    report = (await recordedRun(db, config.contentDir, since)) ?? failed('the import recorded no run');
  } catch (e) {
    if (debug && e instanceof Error && e.stack) err(e.stack);
    report = failed(e instanceof Error ? e.message : String(e));
  }
  if (report.status === 'failed') {
    err(`quire: the import at start failed (${report.reason}); serving the content the database holds`);
  } else if (report.status === 'partial') {
    err(`quire: ${report.failed} file(s) refused (listed above and at /readyz); serving the others`);
  }
  return report;
}
