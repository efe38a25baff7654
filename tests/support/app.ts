// The API over a test database, driven through real HTTP with supertest.
import type { FastifyInstance } from 'fastify';
import supertest from 'supertest';
import { type AppDeps, buildApp } from '../../src/api/app.js';
import type { AdminDeps } from '../../src/api/imports.js';
import { loadConfig, type Site } from '../../src/config.js';
import type { Db } from '../../src/db/client.js';
import { createReader } from '../../src/db/reader.js';
import { DEFAULT_IMPORTER } from './content.js';

export const TEST_SITE: Site = {
  url: 'https://blog.example.com',
  title: 'Test blog',
  description: 'Posts for tests',
  defaultLang: 'en',
};

export const TEST_API_URL = 'https://api.example.com';

/** A fresh installation's settings, as the API takes them. */
export const TEST_CONFIG = loadConfig({ QUIRE_API_URL: TEST_API_URL, QUIRE_PREVIEW_SECRET: 'preview-secret-for-tests' });

export interface TestApp {
  app: FastifyInstance;
  http: ReturnType<typeof supertest>;
}

/** Admin routes with a token and the default importer, for a content folder. */
export const adminDeps = (admin: Partial<AdminDeps> & { token: string }): AdminDeps => ({
  contentDir: '/nonexistent',
  importer: DEFAULT_IMPORTER,
  webhookUrls: [],
  ...admin,
});

/** The dependencies of an app over the database at `url` (the pools close with the app). */
export function testDeps(t: { db: Db; url: string }, extra: Partial<AppDeps> = {}): AppDeps {
  const reader = createReader(t.url, { poolSize: 5 });
  return {
    db: t.db,
    reader,
    writer: reader,
    site: TEST_SITE,
    http: TEST_CONFIG.http,
    cache: TEST_CONFIG.cache,
    media: TEST_CONFIG.media,
    previews: TEST_CONFIG.previews,
    apiUrl: TEST_API_URL,
    ...extra,
  };
}

export async function startApp(
  t: { db: Db; url: string },
  admin?: Partial<AdminDeps> & { token: string },
  extra: Partial<AppDeps> = {},
  /** A fixed port, for an app that must know its own origin (apiUrl) in advance. */
  listen: { port?: number } = {},
): Promise<TestApp> {
  const deps = testDeps(t, { ...(admin && { admin: adminDeps(admin) }), ...extra });
  const app = await buildApp({
    ...deps,
    onClose: async () => {
      await deps.reader.close();
      if (deps.writer !== deps.reader) await deps.writer.close();
    },
  });
  await app.listen({ host: '127.0.0.1', port: listen.port ?? 0 });
  return { app, http: supertest(app.server) };
}
