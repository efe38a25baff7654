// `quire serve` on a database never migrated: it starts, but is not ready, and says why;
// reads are 503 problems, not 500s; once `quire migrate` has run, it is ready by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type RunningCli, startCli } from './support/cli.js';
import { useTestDatabase } from './support/postgres.js';
import { waitFor } from './support/wait.js';

const t = useTestDatabase({ empty: true });
let server: RunningCli;
let base: string;

beforeAll(async () => {
  server = startCli(['serve'], { DATABASE_URL: t.url, HOST: '127.0.0.1', PORT: '0', QUIRE_RESPONSE_CACHE: 'off' });
  [, base] = (await server.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/)) as [string, string];
}, 60_000);
afterAll(async () => {
  if (server.child.exitCode === null) await server.stop();
});

const get = async (url: string) => {
  const res = await fetch(`${base}${url}`);
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, any> };
};

describe('quire serve on an unmigrated database', () => {
  it('answers /readyz 503 naming the missing migrations, reads 503, until quire migrate', async () => {
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.type).toMatch(/^application\/problem\+json/);
    expect(ready.body.detail).toMatch(/^database schema is not migrated: run quire migrate \(missing: \d{14}_init, /);
    const read = await get('/v1/posts');
    expect(read.status).toBe(503);
    expect(read.body.detail).toBe('database schema is not migrated: run quire migrate');
    // Said once in the log, however often it is asked.
    await get('/readyz');
    const said = (await server.waitForErr(/no Quire tables/)).input!;
    expect(said.match(/no Quire tables/g)).toHaveLength(1);

    expect((await runCli(['migrate'], { DATABASE_URL: t.url })).code).toBe(0);
    await waitFor(async () => (await get('/readyz')).status === 200);
    expect((await get('/v1/posts')).status).toBe(200);
    await server.waitForErr(/migrated now: ready/);
  }, 60_000);
});
