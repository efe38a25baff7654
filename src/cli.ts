// `quire <command>`: the command-line entry. Exit codes live here and nowhere else:
// 0 done, 1 the content or schema is not right (import failed, unwritten migration),
// 2 bad usage or configuration, 3 anything else (database unreachable, a bug), 4 another
// import holds the lock.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openApiDocument } from './api/document.js';
import { importOnce, watchAndImport, type ImportFlags } from './cli/import-command.js';
import { err, out } from './cli/output.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createDb, type Db } from './db/client.js';
import { openDatabase } from './db/database.js';
import { applyMigrations, createMigration, pendingSchemaChange } from './db/migrations.js';
import { ImportBusyError } from './importer/apply.js';
import { EmptyFolderError, ImportFailedError, PruneRefusedError } from './importer/problems.js';
import { ContentDirError } from './importer/source.js';
import { serve } from './server.js';

const HELP = `Usage: quire <command> [options]

Commands:
  start                 migrate, import the content folder, then serve (the main job)
  serve                 serve the API on HOST:PORT (default localhost:3000)
  import [DIR]          import Markdown files from DIR (default: QUIRE_CONTENT_DIR or content/)
      --dry-run           show what would be created, updated, deleted; write nothing
      --prune             delete posts whose file is gone, and tags, categories and
                          authors left with no post (refused past QUIRE_PRUNE_MAX_PERCENT)
      --prune-all         prune even when that deletes most or all of the posts
      --allow-empty       a folder with no Markdown is not an error
      --skip-invalid      import the valid files even when some are not (still exits 1)
      --strict            broken internal links and colliding aliases are errors
      --json              print the summary as JSON on stdout
      --watch             import again whenever a file is saved
      --no-progress       no progress bar or phase lines on stderr
  migrate               apply pending database migrations
  migrate create NAME   write the next migration from changes to prisma/schema.prisma
  migrate check         fail if prisma/schema.prisma has changes no migration holds
  openapi [--out FILE]  print the OpenAPI document, or write it to FILE

Without DATABASE_URL, Quire runs on an embedded PostgreSQL (PGlite) in QUIRE_DATA_DIR (.quire/).`;

class UsageError extends Error {}

type Session = { db: Db; url: string; namedStatements: boolean; close: () => Promise<void> };

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
    const namedStatements = handle.kind === 'postgres';
    db = createDb(handle.url, { poolSize: config.dbPoolSize, namedStatements });
    return await use({ db, url: handle.url, namedStatements, close });
  } catch (e) {
    await close();
    throw e;
  }
}

const OPTIONS = {
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  'dry-run': { type: 'boolean' },
  prune: { type: 'boolean' },
  'prune-all': { type: 'boolean' },
  'allow-empty': { type: 'boolean' },
  'skip-invalid': { type: 'boolean' },
  strict: { type: 'boolean' },
  json: { type: 'boolean' },
  watch: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
} as const;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  const [command, ...rest] = positionals;
  if (values.help || !command || command === 'help') {
    out(HELP);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig();
  const flags: ImportFlags = {
    dryRun: !!values['dry-run'],
    prune: !!values.prune,
    pruneAll: !!values['prune-all'],
    allowEmpty: !!values['allow-empty'],
    skipInvalid: !!values['skip-invalid'],
    strict: !!values.strict,
    json: !!values.json,
    progress: !values['no-progress'] && !values.json,
  };

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
        const code = values.watch ? await watchAndImport(config, db, dir, flags) : await importOnce(config, db, dir, flags);
        await close();
        return code;
      });
    }
    case 'serve':
    case 'start': {
      const start = command === 'start';
      return withDatabase(config, start, async ({ db, url, namedStatements, close }) => {
        if (start && (await importOnce(config, db, config.contentDir, flags)) !== 0) {
          await close();
          return 1;
        }
        const server = await serve(config, db, { url, namedStatements }, close);
        await server.closed;
        return 0;
      });
    }
    case 'openapi': {
      const doc = await openApiDocument(config);
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
    err(e.message);
    return 1;
  }
  if (e instanceof ImportBusyError) {
    err(`quire: ${e.message}`);
    return 4;
  }
  if (e instanceof PruneRefusedError) {
    err(`quire: ${e.message}`);
    return 1;
  }
  if (e instanceof UsageError || e instanceof ConfigError || e instanceof ContentDirError || e instanceof EmptyFolderError) {
    err(`quire: ${e.message}`);
    if (e instanceof UsageError) err('run `quire help` for usage');
    return 2;
  }
  if (e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
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
