import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MigrationsFolderError } from '../../src/db/errors.js';
import { applyMigrations, createMigration, defaultPaths, pendingSchemaChange } from '../../src/db/migrations.js';
import { schemaStatus } from '../../src/db/schema-status.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function emptyDatabase(): Promise<TestDatabase> {
  const t = await createTestDatabase({ empty: true });
  cleanups.push(() => t.drop());
  return t;
}

async function migrationNames(dir = defaultPaths.migrationsDir) {
  return (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

describe('migrations', () => {
  it('refuses a missing migrations folder instead of calling the database up to date', async () => {
    const t = await emptyDatabase();
    const paths = { ...defaultPaths, migrationsDir: path.join(os.tmpdir(), 'quire-no-such-migrations') };
    await expect(applyMigrations(t.url, paths)).rejects.toThrow(MigrationsFolderError);
    await expect(schemaStatus(t.db, paths.migrationsDir)).rejects.toThrow(/migrations folder .* is missing/);
    // Nothing was applied.
    expect(await schemaStatus(t.db)).toEqual({ migrated: false, missing: await migrationNames() });
  });

  it('tells which migrations a database lacks', async () => {
    const t = await emptyDatabase();
    const names = await migrationNames();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-migrations-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await cp(path.join(defaultPaths.migrationsDir, names[0]!), path.join(dir, names[0]!), { recursive: true });
    await cp(path.join(defaultPaths.migrationsDir, 'migration_lock.toml'), path.join(dir, 'migration_lock.toml'));
    await applyMigrations(t.url, { ...defaultPaths, migrationsDir: dir });
    expect(await schemaStatus(t.db)).toEqual({ migrated: true, missing: names.slice(1) });
    expect(await schemaStatus(t.db, dir)).toEqual({ migrated: true, missing: [] });
  });

  it('applies the folder once and records it as `prisma migrate deploy` does', async () => {
    const t = await emptyDatabase();
    const names = await migrationNames();
    expect(await applyMigrations(t.url)).toEqual(names);
    expect(await applyMigrations(t.url)).toEqual([]);

    const rows = await t.db.$queryRaw<{ migration_name: string; checksum: string; finished_at: Date | null }[]>`
      SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name`;
    for (const [i, name] of names.entries()) {
      const sql = await readFile(path.join(defaultPaths.migrationsDir, name, 'migration.sql'));
      expect(rows[i]).toMatchObject({
        migration_name: name,
        checksum: createHash('sha256').update(sql).digest('hex'),
        finished_at: expect.any(Date),
      });
    }
    const tables = await t.db.$queryRaw<{ tablename: string }[]>`
      SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`;
    expect(tables.map((r) => r.tablename)).toEqual(
      expect.arrayContaining(['Category', 'ImportRun', 'Post', 'PostCategory', 'PostTag', 'Tag']),
    );
  });

  it('holds every change of prisma/schema.prisma (else: quire migrate create NAME)', async () => {
    expect(await pendingSchemaChange()).toBe('');
  });

  it("writes the next migration from a schema change, in Prisma's layout", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-prisma-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const paths = { schemaPath: path.join(dir, 'schema.prisma'), migrationsDir: path.join(dir, 'migrations') };
    await cp(defaultPaths.migrationsDir, paths.migrationsDir, { recursive: true });
    const schema = await readFile(defaultPaths.schemaPath, 'utf8');
    await writeFile(paths.schemaPath, schema.replace(/^model Tag \{$/m, 'model Tag {\n  color String?'));

    const written = await createMigration('Add tag color', paths);
    expect(path.basename(written!)).toMatch(/^\d{14}_add_tag_color$/);
    const sql = await readFile(path.join(written!, 'migration.sql'), 'utf8');
    expect(sql).toMatch(/ALTER TABLE "Tag" ADD COLUMN\s+"color" TEXT;/);
    expect(await createMigration('again', paths)).toBeNull();

    const t = await emptyDatabase();
    await applyMigrations(t.url, paths);
    const cols = await t.db.$queryRaw<{ column_name: string }[]>`
      SELECT column_name FROM information_schema.columns WHERE table_name = 'Tag' AND column_name = 'color'`;
    expect(cols).toHaveLength(1);
  });
});
