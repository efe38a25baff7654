// Migrations in Prisma's own layout (prisma/migrations/<timestamp>_<name>/migration.sql),
// applied and written through the WebAssembly schema engine.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { MigrationsFolderError } from './errors.js';
import { engineAdapter, NO_FILTERS, withSchemaEngine } from './schema-engine.js';

/** Where the schema and migrations live; src/db and dist/db are both two levels down. */
export const PRISMA_DIR = fileURLToPath(new URL('../../prisma/', import.meta.url));

export interface PrismaPaths {
  schemaPath: string;
  migrationsDir: string;
}

export const defaultPaths: PrismaPaths = {
  schemaPath: path.join(PRISMA_DIR, 'schema.prisma'),
  migrationsDir: path.join(PRISMA_DIR, 'migrations'),
};

const LOCKFILE = 'migration_lock.toml';

async function readSchema(paths: PrismaPaths) {
  return { path: path.basename(paths.schemaPath), content: await readFile(paths.schemaPath, 'utf8') };
}

/**
 * The migrations' names (their folders), in order. A missing folder is an error, not "no
 * migrations": it would make `migrate` report an unmigrated database as up to date. Only
 * writing the very first migration (`allowMissing`) starts from no folder.
 */
export async function migrationNames(migrationsDir: string, allowMissing = false): Promise<string[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' && allowMissing) return [];
    if (err.code === 'ENOENT') {
      throw new MigrationsFolderError(
        `the migrations folder ${migrationsDir} is missing: the installation is incomplete (it ships with Quire)`,
      );
    }
    throw err;
  });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

async function readMigrations(migrationsDir: string, allowMissing = false): Promise<MigrationList> {
  const dirs = await migrationNames(migrationsDir, allowMissing);
  // A folder with no migrations yet has no lockfile either; the engine needs the provider.
  const lock = await readFile(path.join(migrationsDir, LOCKFILE), 'utf8').catch(() => LOCK_CONTENT);
  return {
    baseDir: migrationsDir,
    lockfile: { path: LOCKFILE, content: lock },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      dirs.map(async (dir) => {
        const file = path.join(migrationsDir, dir, 'migration.sql');
        const content = await readFile(file, 'utf8').then(
          (value) => ({ tag: 'ok' as const, value }),
          (err: Error) => ({ tag: 'error' as const, value: err.message }),
        );
        return { path: dir, migrationFile: { path: 'migration.sql', content } };
      }),
    ),
  };
}

/** Applies pending migrations to the database at `url`; returns the names it applied. */
export async function applyMigrations(url: string, paths = defaultPaths): Promise<string[]> {
  const [schema, migrationsList] = await Promise.all([readSchema(paths), readMigrations(paths.migrationsDir)]);
  const adapter = engineAdapter(url);
  const out = await withSchemaEngine(adapter, schema, (engine) => engine.applyMigrations({ migrationsList, filters: NO_FILTERS }));
  return out.appliedMigrationNames;
}

/**
 * The SQL that takes a database from the migrations folder's end state to the schema: empty
 * when the schema has no unwritten change. Runs on two throwaway in-memory PGlite databases
 * (one to replay the migrations on, one as the engine's shadow), so it needs no server.
 */
export async function pendingSchemaChange(paths = defaultPaths): Promise<string> {
  const [schema, migrationsList] = await Promise.all([readSchema(paths), readMigrations(paths.migrationsDir, true)]);
  // PGlite (WebAssembly) is loaded only for this maintainer's command, not for every CLI run.
  const { startEmbedded } = await import('./embedded.js');
  const [main, shadow] = await Promise.all([startEmbedded(undefined, 1), startEmbedded(undefined, 1)]);
  try {
    const { stdout } = await withSchemaEngine(engineAdapter(main.url, shadow.url), schema, (engine) =>
      engine.diff({
        from: { tag: 'migrations', ...migrationsList },
        to: { tag: 'schemaDatamodel', files: [schema] },
        script: true,
        exitCode: null,
        filters: NO_FILTERS,
      }),
    );
    const sql = stdout?.trim() ?? '';
    return sql === '-- This is an empty migration.' ? '' : sql;
  } finally {
    await Promise.all([main.close(), shadow.close()]);
  }
}

/** Writes the next migration (the engine's diff), in Prisma's layout; null when nothing changed. */
export async function createMigration(name: string, paths = defaultPaths): Promise<string | null> {
  const sql = await pendingSchemaChange(paths);
  if (!sql) return null;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '') || 'migration';
  const dir = path.join(paths.migrationsDir, `${stamp}_${slug}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'migration.sql'), `${sql}\n`);
  const lockPath = path.join(paths.migrationsDir, LOCKFILE);
  const lock = await readFile(lockPath, 'utf8').catch(() => null);
  if (lock === null) await writeFile(lockPath, LOCK_CONTENT);
  return dir;
}

// What `prisma migrate dev` writes, so the Prisma CLI accepts this folder as its own.
const LOCK_CONTENT = `# Please do not edit this file manually
# It should be added in your version-control system (e.g., Git)
provider = "postgresql"
`;
