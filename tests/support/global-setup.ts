// Once per test run: make sure a migrated template database exists for the current
// migrations folder, and drop the databases of earlier runs that died before cleaning up.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { applyMigrations, defaultPaths } from '../../src/db/migrations.js';
import { ADMIN_URL, databaseUrl, TEST_DB_PREFIX, TEST_TPL_PREFIX } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}

async function migrationsHash(): Promise<string> {
  const hash = createHash('sha256');
  const dirs = (await readdir(defaultPaths.migrationsDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  for (const dir of dirs) {
    hash.update(dir).update(await readFile(path.join(defaultPaths.migrationsDir, dir, 'migration.sql')));
  }
  return hash.digest('hex').slice(0, 12);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default async function setup(project: TestProject) {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`tests need PostgreSQL at ${ADMIN_URL} (set TEST_DATABASE_URL to another server): ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    const template = `${TEST_TPL_PREFIX}${await migrationsHash()}`;
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE starts_with(datname, $1) OR starts_with(datname, $2)`,
      [TEST_DB_PREFIX, TEST_TPL_PREFIX],
    );
    for (const { datname } of rows) {
      if (datname === template) continue;
      // quire_test_<pid>_<hex> and quire_tpl_<hash>_<pid> (half built) belong to a run by pid.
      const pid = Number(
        new RegExp(`^${TEST_DB_PREFIX}(\\d+)_`).exec(datname)?.[1] ?? new RegExp(`^${TEST_TPL_PREFIX}[0-9a-f]+_(\\d+)$`).exec(datname)?.[1],
      );
      if (pid && alive(pid)) continue;
      // quire_tpl_<hash> alone is the template of other migrations: another checkout's run
      // may be using it now, so only a day-old one goes.
      if (!pid && new RegExp(`^${TEST_TPL_PREFIX}[0-9a-f]+$`).test(datname)) {
        const { rows: made } = await admin.query<{ at: string | null }>(
          `SELECT shobj_description(oid, 'pg_database') AS at FROM pg_database WHERE datname = $1`,
          [datname],
        );
        const at = Date.parse(made[0]?.at ?? '');
        if (!Number.isNaN(at) && Date.now() - at < 86_400_000) continue;
      }
      await admin.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => {}); // in use by another run: keep
    }

    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [template]);
    if (exists.rowCount === 0) {
      // Build under a private name, then rename: a concurrent run never sees half a template.
      const building = `${template}_${process.pid}`;
      await admin.query(`DROP DATABASE IF EXISTS "${building}"`);
      await admin.query(`CREATE DATABASE "${building}"`);
      await applyMigrations(databaseUrl(building));
      await admin.query(`COMMENT ON DATABASE "${building}" IS '${new Date().toISOString()}'`);
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`).catch(async (err: Error) => {
        await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
        if (!/already exists/.test(err.message)) throw err;
      });
    }
    project.provide('templateDb', template);
  } finally {
    await admin.end();
  }
}
