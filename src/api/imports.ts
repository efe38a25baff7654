// Running an import for the admin API and the console: the folder or an upload, with the
// webhook outbox, and every way it can be refused as an HTTP problem (409 busy, 422 with
// each file's problems). The routes that call it stay thin.
import type { FastifyBaseLogger } from 'fastify';
import type { ImporterSettings } from '../config.js';
import type { Db } from '../db/client.js';
import { ImportBusyError } from '../importer/apply.js';
import { EmptyFolderError, ImportFailedError, PruneRefusedError } from '../importer/errors.js';
import { type ImportOptions, mergeOptions } from '../importer/options.js';
import type { ImportSummary } from '../importer/report.js';
import { runImport } from '../importer/run.js';
import { webhookOutbox } from '../webhooks/events.js';
import { HttpProblem } from './problem-details.js';
import { type Upload, withUploadDir } from './uploads.js';

export interface AdminDeps {
  token: string;
  contentDir: string;
  importer: ImporterSettings;
  webhookUrls: readonly string[];
  /** Runs imports, when given: a client whose timeouts allow the wait for the import lock. */
  importDb?: Db;
}

export interface ImportContext {
  db: Db;
  admin: AdminDeps;
  onImported: () => Promise<void>;
  /** Who asked: recorded with the run (http:address, console:address). */
  trigger: string;
  log: FastifyBaseLogger;
}

/**
 * Imports the content folder (or uploaded files) as the admin API does: the run's summary, or
 * an HttpProblem saying why not (409 busy, 422 with every file's problems). The console runs
 * imports through this too.
 */
export async function importContent(ctx: ImportContext, q: ImportOptions, uploads?: Upload[]): Promise<ImportSummary> {
  const { admin, db, onImported } = ctx;
  const onChange = webhookOutbox(admin.webhookUrls);
  const run = (dir: string) =>
    runImport(admin.importDb ?? db, admin.importer, {
      dir,
      trigger: ctx.trigger,
      ...mergeOptions(q),
      // An upload adds to what the database holds: it never prunes.
      prune: !uploads && !!(q.prune || q.pruneAll),
      ...(uploads && { partial: true, source: 'upload', mediaFrom: admin.contentDir }),
      ...(onChange && { onChange }),
      onWarning: (message) => ctx.log.warn(message),
    });
  try {
    const summary = await (uploads ? withUploadDir(uploads, run) : run(admin.contentDir));
    await onImported();
    return summary;
  } catch (err) {
    if (err instanceof ImportBusyError) throw new HttpProblem(409, 'import-in-progress', err.message);
    if (err instanceof PruneRefusedError) throw new HttpProblem(422, 'prune-refused', err.message);
    if (err instanceof EmptyFolderError) throw new HttpProblem(422, 'empty-folder', err.message);
    if (!(err instanceof ImportFailedError) || !err.summary) throw err;
    if (err.summary.status === 'partial') {
      await onImported();
      return err.summary;
    }
    throw new HttpProblem(422, 'import-failed', err.message.split('\n')[0]!, undefined, {
      files: err.problems,
      summary: err.summary,
    });
  }
}
