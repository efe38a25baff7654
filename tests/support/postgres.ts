// The PostgreSQL server the tests run against, and a database of its own for each test file.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type Db } from '../../src/db/client.js';

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
/**
 * Test databases are named <prefix><pid>_<random>: the pid tells which run owns one. Runs
 * that share a server with others may keep to names of their own (TEST_DB_NAMESPACE=ghost
 * makes ghost_test_… and the template ghost_tpl_…).
 */
const NAMESPACE = process.env.TEST_DB_NAMESPACE ?? 'quire';
export const TEST_DB_PREFIX = `${NAMESPACE}_test_`;
export const TEST_TPL_PREFIX = `${NAMESPACE}_tpl_`;

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  db: Db;
  drop(): Promise<void>;
}

/** A fresh database cloned from the run's migrated template (or empty, with `empty`). */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const template = options.empty ? 'template0' : inject('templateDb');
  const name = `${TEST_DB_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  // CREATE DATABASE ... TEMPLATE fails while another session is connected to the template.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      break;
    } catch (err) {
      if (attempt >= 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
    }
  }
  const url = databaseUrl(name);
  const db = createDb(url, { poolSize: 5 });
  return {
    name,
    url,
    db,
    async drop() {
      await db.$disconnect();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** Empties every content table (not the migrations table): a test leaves no rows behind. */
export async function truncateAll(db: Db): Promise<void> {
  await db.$executeRawUnsafe(
    'TRUNCATE "PostTag", "PostCategory", "PostAuthor", "PostMedia", "Post", "Tag", "Category", "Author", "Media", "ImportRun", "SourceFile", "ContentChange", "ConsoleSession" RESTART IDENTITY CASCADE',
  );
}
