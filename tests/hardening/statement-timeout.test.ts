// Every query of a public read is bounded on both sides: when the client gives up at the
// query timeout, PostgreSQL cancels the statement too (statement_timeout on the read pools),
// rather than go on working for nobody. A lock the test holds makes the query hang.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, type RunningCli } from '../support/cli.js';
import { contentDir, type ContentDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { waitFor } from '../support/wait.js';

const TIMEOUT_S = 1;

let t: TestDatabase;
let content: ContentDir;
let server: RunningCli;
let base: string;
let locker: pg.Client;

beforeAll(async () => {
  t = await createTestDatabase();
  content = await contentDir({ 'a.md': post('a'), 'b.md': post('b') });
  expect((await runCli(['import', content.dir], { DATABASE_URL: t.url })).code).toBe(0);
  server = startCli(['serve'], {
    DATABASE_URL: t.url,
    HOST: '127.0.0.1',
    PORT: '0',
    QUIRE_DB_QUERY_TIMEOUT: String(TIMEOUT_S),
    QUIRE_RESPONSE_CACHE: 'off',
    QUIRE_RATE_LIMIT: '0',
  });
  [, base] = (await server.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/)) as [string, string];
  locker = new pg.Client({ connectionString: t.url });
  await locker.connect();
}, 60_000);
afterAll(async () => {
  await locker?.end();
  if (server?.child.exitCode === null) await server.stop();
  await content?.cleanup();
  await t?.drop();
});

/** Quire's statements running now (not its LISTEN), with how long each has run. */
async function quireQueries(): Promise<{ query: string; seconds: number }[]> {
  const { rows } = await locker.query<{ query: string; seconds: number }>(
    `SELECT query, extract(epoch FROM now() - query_start)::float8 AS seconds FROM pg_stat_activity
     WHERE datname = current_database() AND application_name = 'quire' AND state = 'active' AND query NOT LIKE 'LISTEN%'`,
  );
  return rows;
}

describe('a public read the database cannot answer in time', () => {
  it('is a 503 at the query timeout, and its query is cancelled in PostgreSQL, not left running', async () => {
    await locker.query('BEGIN');
    try {
      await locker.query('LOCK TABLE "Post" IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const res = await fetch(`${base}/v1/posts`);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Date.now() - started).toBeLessThan(TIMEOUT_S * 1000 + 3_000);
      // The lock is still held: only statement_timeout can have ended the waiting query.
      await waitFor(async () => (await quireQueries()).length === 0, TIMEOUT_S * 1000 + 2_000);
    } finally {
      await locker.query('ROLLBACK');
    }
    // And the server reads again once the lock is gone.
    expect((await fetch(`${base}/v1/posts`)).status).toBe(200);
  });
});
