// Does the database hold every migration of the migrations folder? Compared by name with
// the rows `quire migrate` (or `prisma migrate deploy`) wrote to _prisma_migrations.
import type { Db } from './client.js';
import { defaultPaths, migrationNames } from './migrations.js';

export interface SchemaStatus {
  /** Whether any migration was ever applied (false: no Quire tables at all). */
  migrated: boolean;
  /** Migrations of the folder the database has not applied, in order. */
  missing: string[];
}

export async function schemaStatus(db: Db, migrationsDir = defaultPaths.migrationsDir): Promise<SchemaStatus> {
  const names = await migrationNames(migrationsDir);
  const [table] = await db.$queryRaw<{ present: boolean }[]>`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`;
  if (!table?.present) return { migrated: false, missing: names };
  const rows = await db.$queryRaw<{ name: string }[]>`
    SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  const applied = new Set(rows.map((r) => r.name));
  return { migrated: applied.size > 0, missing: names.filter((n) => !applied.has(n)) };
}

/** For a command that needs the tables: why it cannot run, or undefined when it can. */
export function notMigratedMessage(status: SchemaStatus): string | undefined {
  if (!status.missing.length) return undefined;
  if (!status.migrated) return 'the database has no Quire tables: run quire migrate';
  const n = status.missing.length;
  return `the database is ${n} migration${n === 1 ? '' : 's'} behind (missing: ${status.missing.join(', ')}): run quire migrate`;
}

/** For /readyz: what keeps the API from serving, or undefined. */
export function readinessProblem(status: SchemaStatus): string | undefined {
  if (!status.missing.length) return undefined;
  return `database schema is not migrated: run quire migrate (missing: ${status.missing.join(', ')})`;
}

/**
 * What /readyz asks on every probe: nothing once the schema was found current (migrations
 * only move forward under a running server); until then, the database again, so a server
 * started before `quire migrate` becomes ready by itself after it.
 */
export function schemaGate(db: Db, first: SchemaStatus, onMigrated: () => void, migrationsDir?: string): () => Promise<string | undefined> {
  let problem = readinessProblem(first);
  return async () => {
    if (!problem) return undefined;
    problem = readinessProblem(await schemaStatus(db, migrationsDir));
    if (!problem) onMigrated();
    return problem;
  };
}
