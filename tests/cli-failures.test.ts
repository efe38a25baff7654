// The mistakes people make around `quire`, each ending in one line and a non-zero exit in
// bounded time: a port already taken, a database that is missing, refuses, or is not
// migrated. Real processes against the real PostgreSQL.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { contentDir, type ContentDir, post } from './support/content.js';
import { createTestDatabase, databaseUrl, type TestDatabase } from './support/postgres.js';

let migrated: TestDatabase;
let empty: TestDatabase;
let content: ContentDir;

beforeAll(async () => {
  [migrated, empty, content] = await Promise.all([
    createTestDatabase(),
    createTestDatabase({ empty: true }),
    contentDir({ 'a.md': post('a') }),
  ]);
});
afterAll(async () => {
  await Promise.all([migrated.drop(), empty.drop(), content.cleanup()]);
});

/** A port this test holds open for as long as `use` runs. */
async function withPortTaken<T>(use: (port: number) => Promise<T>): Promise<T> {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  try {
    return await use((holder.address() as net.AddressInfo).port);
  } finally {
    await new Promise((resolve) => holder.close(resolve));
  }
}

/** The output less Node's own warnings (EBADENGINE-era experimental notes and the like). */
const lines = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('(node:') && !l.includes('--trace-warnings'));

describe('a port already in use', () => {
  for (const command of ['serve', 'start']) {
    it(`makes quire ${command} exit non-zero within 5 s with one line`, async () => {
      await withPortTaken(async (port) => {
        const started = Date.now();
        const result = await runCli([command], {
          DATABASE_URL: migrated.url,
          HOST: '127.0.0.1',
          PORT: String(port),
          QUIRE_CONTENT_DIR: content.dir,
        });
        const ms = Date.now() - started;
        expect(result.code).toBe(3);
        expect(ms).toBeLessThan(5_000);
        expect(lines(result.stderr)).toEqual([`quire: port ${port} on 127.0.0.1 is already in use; set PORT to a free port`]);
      });
    });
  }
});

describe('a database that cannot be used', () => {
  const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at |wasm|RuntimeError|PrismaClient/);

  it('names a database that does not exist, with what to do', async () => {
    const result = await runCli(['import', content.dir], { DATABASE_URL: databaseUrl('quire_fs_missing_db') });
    expect(result.code).toBe(3);
    expect(lines(result.stderr)).toEqual([
      `quire: database "quire_fs_missing_db" does not exist on ${new URL(databaseUrl('x')).host}: create it (createdb quire_fs_missing_db) or fix DATABASE_URL`,
    ]);
  });

  it('says a server is not there when the connection is refused, for every command', async () => {
    const port = await withPortTaken(async (p) => p); // free again once returned
    const url = `postgresql://postgres@127.0.0.1:${port}/quire`;
    for (const command of ['migrate', 'import', 'serve']) {
      const result = await runCli(command === 'serve' ? [command] : command === 'import' ? [command, content.dir] : [command], {
        DATABASE_URL: url,
        PORT: '0',
      });
      expect(result.code, command).toBe(3);
      expect(lines(result.stderr), command).toEqual([
        `quire: cannot connect to PostgreSQL at 127.0.0.1:${port}: is it running, and is DATABASE_URL right?`,
      ]);
      noStack(result.stderr);
    }
  });

  it('tells import to run quire migrate on a database without Quire tables, and writes nothing', async () => {
    const result = await runCli(['import', content.dir], { DATABASE_URL: empty.url });
    expect(result.code).toBe(3);
    expect(lines(result.stderr)).toEqual(['quire: the database has no Quire tables: run quire migrate']);
    const tables = await empty.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`;
    expect(Number(tables[0]!.n)).toBe(0);
  });

  it('shows the stack only under LOG_LEVEL=debug', async () => {
    const result = await runCli(['import', content.dir], { DATABASE_URL: databaseUrl('quire_fs_missing_db'), LOG_LEVEL: 'debug' });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^quire: database "quire_fs_missing_db" does not exist/);
    expect(result.stderr).toMatch(/\n\s+at /);
  });
});
