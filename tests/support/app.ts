// The API over a test database, driven through real HTTP with supertest.
import type { FastifyInstance } from 'fastify';
import supertest from 'supertest';
import { buildApp, type AppDeps } from '../../src/api/app.js';
import type { AdminDeps } from '../../src/api/routes/admin.js';
import type { Site } from '../../src/blog/urls.js';
import type { Db } from '../../src/db/client.js';

export const TEST_SITE: Site = {
  url: 'https://blog.example.com',
  title: 'Test blog',
  description: 'Posts for tests',
  defaultLang: 'en',
};

export interface TestApp {
  app: FastifyInstance;
  http: ReturnType<typeof supertest>;
}

export async function startApp(db: Db, admin?: AdminDeps, extra: Partial<AppDeps> = {}): Promise<TestApp> {
  const app = await buildApp({ db, site: TEST_SITE, ...(admin && { admin }), ...extra });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, http: supertest(app.server) };
}
