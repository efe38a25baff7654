// What each `quire` command does, once its command line is known to be right. Loaded by
// src/cli.ts only then: parsing, help and the port check stay fast. The outcome says how it
// ended; src/cli.ts turns it (or a thrown error) into the exit code.
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { createDb, type Db } from '../db/client.js';
import { checkConnection } from '../db/connection.js';
import { openDatabase } from '../db/database.js';
import { SchemaNotMigratedError } from '../db/errors.js';
import { applyMigrations, createMigration, pendingSchemaChange } from '../db/migrations.js';
import { notMigratedMessage, schemaGate, schemaStatus } from '../db/schema-status.js';
import { ContentDirError } from '../importer/source.js';
import { UsageError } from './args.js';
import { importOnce, watchAndImport, type ImportFlags } from './import-command.js';
import { err, out } from './output.js';
import { importAtStart } from './startup-import.js';

/** done: it did its job; refused: the content or the schema is not right. */
export type Outcome = 'done' | 'refused';

export interface RunContext {
  config: Config;
  args: string[];
  flags: Record<string, string | boolean | undefined>;
  /** LOG_LEVEL is debug or trace: errors keep their stacks. */
  debug: boolean;
  /** Told the database URL once known, for messages about it. */
  onDatabase: (url: string) => void;
}

/** Idle connections that fail: a line on stderr, then the server's log once it runs. */
const poolErrors: { report: (e: Error) => void } = {
  report: (e) => err(`quire: an idle database connection failed: ${e.message}`),
};

type Purpose = 'serve' | 'import';

function openDb(config: Config, url: string, embedded: boolean, purpose: Purpose): Db {
  const t = config.dbTimeouts;
  // An import's statements may wait for the import lock (QUIRE_IMPORT_LOCK_TIMEOUT) and
  // write for long; a read's are bounded, so that a hung connection becomes a 503.
  const queryMs = purpose === 'import' && t.queryMs ? t.queryMs + config.importer.lockTimeoutMs : t.queryMs;
  return createDb(url, {
    poolSize: purpose === 'import' ? Math.min(config.dbPoolSize, 4) : config.dbPoolSize,
    namedStatements: !embedded,
    connectTimeoutMs: t.connectMs,
    queryTimeoutMs: queryMs,
    // PGlite runs one statement at a time and cannot cancel one; the client's timer still works.
    statementTimeoutMs: embedded || purpose === 'import' ? 0 : t.statementMs,
    onPoolError: (e) => poolErrors.report(e),
  });
}

type Session = { db: Db; url: string; embedded: boolean; close: () => Promise<void> };

/** Opens the database, checks it answers (and migrates it when asked), runs `use`, closes on error. */
async function withDatabase<T>(ctx: RunContext, migrate: boolean, purpose: Purpose, use: (s: Session) => Promise<T>): Promise<T> {
  const handle = await openDatabase(ctx.config);
  ctx.onDatabase(handle.url);
  let db: Db | undefined;
  const close = async () => {
    await db?.$disconnect();
    await handle.close();
  };
  try {
    await checkConnection(handle.url, ctx.config.dbTimeouts.connectMs);
    if (migrate) {
      const applied = await applyMigrations(handle.url);
      out(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'database schema is up to date');
    }
    db = openDb(ctx.config, handle.url, handle.kind === 'embedded', purpose);
    return await use({ db, url: handle.url, embedded: handle.kind === 'embedded', close });
  } catch (e) {
    await close();
    throw e;
  }
}

export function importFlags(flags: RunContext['flags']): ImportFlags {
  return {
    dryRun: !!flags['dry-run'],
    prune: !!flags.prune,
    pruneAll: !!flags['prune-all'],
    allowEmpty: !!flags['allow-empty'],
    skipInvalid: !!flags['skip-invalid'],
    strict: !!flags.strict,
    json: !!flags.json,
    progress: !flags['no-progress'] && !flags.json,
  };
}

/** The one folder `import` reads: a file or a missing path is the user's mistake, said plainly. */
async function importFolder(config: Config, arg: string | undefined): Promise<string> {
  const dir = arg ? path.resolve(arg) : config.contentDir;
  const info = await stat(dir).catch(() => null);
  if (!info) throw new ContentDirError(`content folder not found: ${dir}`);
  if (!info.isDirectory()) {
    const shown = arg ?? dir;
    throw new UsageError(
      `${shown} is a file, not a folder: pass its folder (quire import ${path.dirname(shown)}), or upload single files through the admin API (POST /v1/admin/imports)`,
      'import',
    );
  }
  return dir;
}

async function importCommand(ctx: RunContext): Promise<Outcome> {
  const dir = await importFolder(ctx.config, ctx.args[0]);
  const flags = importFlags(ctx.flags);
  return withDatabase<Outcome>(ctx, false, 'import', async ({ db, close }) => {
    const problem = notMigratedMessage(await schemaStatus(db));
    if (problem) throw new SchemaNotMigratedError(problem);
    const code = ctx.flags.watch ? await watchAndImport(ctx.config, db, dir, flags) : await importOnce(ctx.config, db, dir, flags);
    await close();
    return code === 0 ? 'done' : 'refused';
  });
}

async function serveCommand(ctx: RunContext, start: boolean): Promise<Outcome> {
  const { config } = ctx;
  return withDatabase<Outcome>(ctx, start, 'serve', async ({ db, url, embedded, close }) => {
    const status = await schemaStatus(db);
    const problem = notMigratedMessage(status);
    if (problem) err(`quire: ${problem}; /readyz answers 503 until then`);
    const schemaProblem = schemaGate(db, status, () => err('quire: the database schema is migrated now: ready'));
    // Admin imports (and the one at start) get an import's timeouts, apart from the reads'.
    const importDb = openDb(config, url, embedded, 'import');
    const closeAll = async () => {
      await importDb.$disconnect();
      await close();
    };
    const startupImport = start ? await importAtStart(config, importDb, importFlags(ctx.flags), ctx.debug) : undefined;
    // Loaded here, not at the top: `quire import` needs neither Fastify nor its plugins.
    const { serve } = await import('../server.js');
    const server = await serve(config, db, { url, embedded }, closeAll, {
      readiness: { schemaProblem, ...(startupImport && { startupImport }) },
      ...(config.adminToken !== undefined && { importDb }),
    }).catch(async (e: unknown) => {
      await importDb.$disconnect();
      throw e;
    });
    poolErrors.report = (e) => server.app.log.warn({ err: e }, 'idle database connection failed');
    await server.closed;
    return 'done';
  });
}

async function migrateCommand(ctx: RunContext): Promise<Outcome> {
  const [sub, name, ...extra] = ctx.args;
  if (!sub) return withDatabase(ctx, true, 'import', ({ close }) => close().then(() => 'done' as const));
  if (sub === 'create') {
    if (!name) throw new UsageError('migrate create needs a NAME, e.g. `quire migrate create add-authors`', 'migrate');
    const dir = await createMigration(name);
    out(dir ? `wrote ${path.relative(process.cwd(), dir)}/migration.sql` : 'no schema changes: nothing written');
    return 'done';
  }
  if (sub === 'check') {
    if (name || extra.length) throw new UsageError(`migrate check takes no arguments; unexpected: ${name}`, 'migrate');
    const sql = await pendingSchemaChange();
    if (!sql) return (out('migrations match prisma/schema.prisma'), 'done');
    err('prisma/schema.prisma has changes no migration holds; run `quire migrate create NAME`:\n');
    err(sql);
    return 'refused';
  }
  throw new UsageError(`unknown migrate command "${sub}" (create NAME, or check)`, 'migrate');
}

export async function runCommand(name: string, ctx: RunContext): Promise<Outcome> {
  switch (name) {
    case 'migrate':
      return migrateCommand(ctx);
    case 'import':
      return importCommand(ctx);
    case 'serve':
    case 'start':
      return serveCommand(ctx, name === 'start');
    case 'openapi': {
      const { openApiDocument } = await import('../api/document.js');
      const doc = await openApiDocument(ctx.config);
      if (typeof ctx.flags.out === 'string') await writeFile(ctx.flags.out, doc);
      else process.stdout.write(doc);
      return 'done';
    }
    default:
      throw new UsageError(`unknown command "${name}"`);
  }
}
