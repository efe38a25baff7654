// `quire import [DIR]`: flags, progress, the summary (or --json), webhooks, --watch.
import os from 'node:os';
import { watch } from 'chokidar';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { ImportFailedError } from '../importer/errors.js';
import { type ImportOptions, mergeOptions } from '../importer/options.js';
import type { ImportSummary } from '../importer/report.js';
import { runImport, type RunOptions } from '../importer/run.js';
import { drain } from '../webhooks/dispatcher.js';
import { webhookOutbox } from '../webhooks/events.js';
import { err, out, printProblems, printSummary, shown } from './output.js';
import { progressReporter } from './progress.js';

export type ImportFlags = Required<ImportOptions> & {
  json: boolean;
  progress: boolean;
};

/** How long a command waits for webhook deliveries before leaving them to the server. */
const WEBHOOK_DRAIN_MS = 10_000;

function trigger(): string {
  return `cli:${os.userInfo().username}@${os.hostname()}`;
}

async function deliverWebhooks(config: Config, db: Db, json: boolean) {
  if (!config.webhooks) return;
  try {
    const r = await drain(db, { secret: config.webhooks.secret }, WEBHOOK_DRAIN_MS);
    const line = `webhooks: ${r.delivered} delivered, ${r.failed} failed, ${r.pending} pending (retried later by quire serve)`;
    if (json) err(line);
    else out(line);
  } catch (e) {
    err(`webhooks: not delivered now (${(e as Error).message}); quire serve retries them`);
  }
}

/** One import run: prints its outcome; returns the exit code (0 ok, 1 invalid content). */
export async function importOnce(config: Config, db: Db, dir: string, flags: ImportFlags): Promise<number> {
  const progress = progressReporter(flags.progress);
  const onChange = webhookOutbox(config.webhooks?.urls ?? []);
  const options: RunOptions = {
    dir,
    trigger: trigger(),
    ...mergeOptions(flags),
    prune: flags.prune || flags.pruneAll,
    onProgress: progress.onProgress,
    onWarning: (message) => err(`warning: ${message}`),
    ...(onChange && { onChange }),
  };
  let summary: ImportSummary;
  let code = 0;
  try {
    summary = await runImport(db, config.importer, options);
  } catch (e) {
    progress.stop();
    if (!(e instanceof ImportFailedError) || !e.summary) throw e;
    summary = e.summary;
    code = 1;
    err(e.message.split('\n')[0]);
    printProblems(e.problems);
  }
  progress.stop();
  if (flags.json) out(JSON.stringify(summary));
  else if (code === 0 || summary.status === 'partial' || summary.dryRun) printSummary(shown(dir), summary);
  if (!flags.dryRun && summary.status !== 'failed') await deliverWebhooks(config, db, flags.json);
  return code;
}

/** --watch: import again whenever a file under `dir` is saved, until SIGINT/SIGTERM. */
export async function watchAndImport(config: Config, db: Db, dir: string, flags: ImportFlags): Promise<number> {
  await importOnce(config, db, dir, flags).catch((e: unknown) => err(`import failed: ${(e as Error).message}`));
  const watcher = watch(dir, {
    ignoreInitial: true,
    ignored: (p) => p.split('/').some((part) => part.startsWith('.') && part.length > 1),
    awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 50 },
  });
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  watcher.on('all', () => {
    clearTimeout(timer);
    // Saves often come in bursts (editor temp files, git checkouts): import once after them.
    timer = setTimeout(() => {
      running = running.then(async () => {
        await importOnce(config, db, dir, { ...flags, progress: false }).catch((e: unknown) =>
          err(`import failed: ${(e as Error).message}`),
        );
      });
    }, 200);
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  err(`watching ${shown(dir)} for changes (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  clearTimeout(timer);
  await watcher.close();
  await running;
  return 0;
}
