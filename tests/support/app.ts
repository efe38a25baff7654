// The API over a test database, driven through real HTTP with supertest.
import type { FastifyInstance } from 'fastify';
import supertest from 'supertest';
import { buildApp } from '../../src/api/app.js';
import type { AdminDeps } from '../../src/api/routes/admin.js';
import type { Db } from '../../src/db/client.js';

export interface TestApp {
  app: FastifyInstance;
  http: ReturnType<typeof supertest>;
}

export async function startApp(db: Db, admin?: AdminDeps): Promise<TestApp> {
  const app = await buildApp({ db, ...(admin && { admin }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, http: supertest(app.server) };
}
