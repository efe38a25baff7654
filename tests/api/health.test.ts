import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client.js';
import { startApp, type TestApp } from '../support/app.js';
import { useTestDatabase } from '../support/postgres.js';

const t = useTestDatabase();
let api: TestApp;

beforeAll(async () => {
  api = await startApp(t);
});
afterAll(async () => {
  await api.app.close();
});

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('health', () => {
  it('/healthz answers ok', async () => {
    const res = await api.http.get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('/readyz answers ready when the database does', async () => {
    const res = await api.http.get('/readyz').expect(200);
    expect(res.body).toEqual({ status: 'ready' });
  });

  it('/readyz and reads answer 503 problems when the database is unreachable', async () => {
    const url = `postgresql://postgres@127.0.0.1:${await closedPort()}/none`;
    const db = createDb(url);
    const down = await startApp({ db, url });
    try {
      const ready = await down.http.get('/readyz').expect(503);
      expect(ready.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(ready.body).toMatchObject({ type: '/problems/service-unavailable', status: 503 });

      const read = await down.http.get('/v1/posts').expect(503);
      expect(read.headers['retry-after']).toBe('5');
      expect(read.body).toMatchObject({ type: '/problems/service-unavailable', status: 503 });
      expect(JSON.stringify(read.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/);
    } finally {
      await down.app.close();
      await db.$disconnect();
    }
  });
});
