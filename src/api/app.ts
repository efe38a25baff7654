// buildApp(deps) -> a Fastify instance that never listens: server.ts listens, tests inject.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Db } from '../db/client.js';
import { registerOpenApi } from './plugins/openapi.js';
import { registerProblems } from './plugins/problems.js';
import { adminRoutes, type AdminDeps } from './routes/admin.js';
import { healthRoutes } from './routes/health.js';
import { postRoutes } from './routes/posts.js';
import { taxonomyRoutes } from './routes/taxonomies.js';

export interface AppDeps {
  db: Db;
  logger?: FastifyServerOptions['logger'];
  /** Admin routes (/v1/admin) exist only with a token. */
  admin?: AdminDeps;
}

export async function buildApp({ db, logger = false, admin }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    // No slug is longer; a longer path segment matches no route (404).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblems(app);
  await registerOpenApi(app);
  await app.register(healthRoutes, { db });
  await app.register(postRoutes, { db, prefix: '/v1' });
  await app.register(taxonomyRoutes, { db, prefix: '/v1' });
  if (admin?.token) await app.register(adminRoutes, { db, admin, prefix: '/v1/admin' });
  await app.ready();
  return app;
}
