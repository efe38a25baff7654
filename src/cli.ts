// `quire <command>`: the command-line entry. Exit codes live here and nowhere else:
// 0 done, 1 the content or schema is not right (import failed, unwritten migration),
// 2 bad usage or configuration, 3 anything else (database unreachable, bug).
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from './api/app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createDb, type Db } from './db/client.js';
import { openDatabase } from './db/database.js';
import { applyMigrations, createMigration, pendingSchemaChange } from './db/migrations.js';
import { formatProblem, ImportFailedError } from './importer/problems.js';
import { runImport, type ImportSummary } from './importer/run.js';
import { ContentDirError } from './importer/source.js';
import { serve } from './server.js';

const HELP = `Usage: quire <command> [options]

Commands:
  start                 migrate, import the content folder, then serve (the main job)
  serve                 serve the API on HOST:PORT (default localhost:3000)
  import [DIR]          import Markdown files from DIR (default: QUIRE_CONTENT_DIR or content/)
  migrate               apply pending database migrations
  migrate create NAME   write the next migration from changes to prisma/schema.prisma
  migrate check         fail if prisma/schema.prisma has changes no migration holds
  openapi [--out FILE]  print the OpenAPI document, or write it to FILE

Without DATABASE_URL, Quire runs on an embedded PostgreSQL (PGlite) in QUIRE_DATA_DIR (.quire/).`;

class UsageError extends Error {}

const out = (line = '') => process.stdout.write(`${line}\n`);
const err = (line = '') => process.stderr.write(`${line}\n`);

function trigger(): string {
  return `cli:${os.userInfo().username}@${os.hostname()}`;
}

/** A path as the user would type it: relative below the working directory, else absolute. */
function shown(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  return rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
}

function printSummary(dir: string, s: ImportSummary) {
  out(`imported ${shown(dir)}: ${s.files} file${s.files === 1 ? '' : 's'} in ${s.durationMs} ms`);
  out(`  created    ${s.created.length}`);
  out(`  updated    ${s.updated.length}`);
  out(`  unchanged  ${s.unchanged.length}`);
  out(`  failed     0`);
  if (s.missing.length) out(`  missing    ${s.missing.length} (in the database, no file: ${s.missing.join(', ')})`);
}

type Session = { db: Db; close: () => Promise<void> };

/** Opens the database (applying migrations first when asked), runs `use`, closes on error. */
async function withDatabase<T>(config: Config, migrate: boolean, use: (s: Session) => Promise<T>): Promise<T> {
  const handle = await openDatabase(config);
  let db: Db | undefined;
  const close = async () => {
    await db?.$disconnect();
    await handle.close();
  };
  try {
    if (migrate) {
      const applied = await applyMigrations(handle.url);
      out(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'database schema is up to date');
    }
    db = createDb(handle.url, { poolSize: config.dbPoolSize });
    return await use({ db, close });
  } catch (e) {
    await close();
    throw e;
  }
}

async function importDir(db: Db, dir: string) {
  printSummary(dir, await runImport(db, { dir, trigger: trigger() }));
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command || command === 'help') {
    out(HELP);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig();

  switch (command) {
    case 'migrate': {
      const [sub, name] = rest;
      if (!sub) return withDatabase(config, true, ({ close }) => close().then(() => 0));
      if (sub === 'create') {
        if (!name) throw new UsageError('migrate create needs a NAME, e.g. `quire migrate create add-authors`');
        const dir = await createMigration(name);
        out(dir ? `wrote ${path.relative(process.cwd(), dir)}/migration.sql` : 'no schema changes: nothing written');
        return 0;
      }
      if (sub === 'check') {
        const sql = await pendingSchemaChange();
        if (!sql) return out('migrations match prisma/schema.prisma'), 0;
        err('prisma/schema.prisma has changes no migration holds; run `quire migrate create NAME`:\n');
        err(sql);
        return 1;
      }
      throw new UsageError(`unknown migrate command "${sub}"`);
    }
    case 'import': {
      const dir = rest[0] ? path.resolve(rest[0]) : config.contentDir;
      return withDatabase(config, false, async ({ db, close }) => {
        await importDir(db, dir);
        await close();
        return 0;
      });
    }
    case 'serve':
    case 'start': {
      const start = command === 'start';
      return withDatabase(config, start, async ({ db, close }) => {
        if (start) await importDir(db, config.contentDir);
        const server = await serve(config, db, close);
        await server.closed;
        return 0;
      });
    }
    case 'openapi': {
      // Building the app makes no database connection; the client is never queried here.
      const db = createDb('postgresql://localhost/unused');
      const app = await buildApp({ db });
      const doc = `${JSON.stringify(app.swagger(), null, 2)}\n`;
      await app.close();
      if (values.out) await writeFile(values.out, doc);
      else process.stdout.write(doc);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function exitCodeFor(e: unknown): number {
  if (e instanceof ImportFailedError) {
    err(`import failed: ${e.problems.length} problem(s) in ${new Set(e.problems.map((p) => p.file)).size} file(s); nothing was written`);
    for (const p of e.problems) err(`  ${formatProblem(p)}`);
    return 1;
  }
  if (e instanceof UsageError || e instanceof ConfigError || e instanceof ContentDirError) {
    err(`quire: ${e.message}`);
    if (e instanceof UsageError) err('run `quire help` for usage');
    return 2;
  }
  if (e instanceof TypeError && (e as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    err(`quire: ${e.message}`);
    return 2;
  }
  err(`quire: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return 3;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => (process.exitCode = exitCodeFor(e)),
);
