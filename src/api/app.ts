// buildApp(deps) -> a Fastify instance that never listens: server.ts listens, tests inject.
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Site } from '../blog/urls.js';
import type { Db } from '../db/client.js';
import { DEFAULT_DELIVERY, type DeliverySettings, registerDelivery } from './plugins/delivery.js';
import { registerOpenApi } from './plugins/openapi.js';
import { registerProblems } from './plugins/problems.js';
import { adminRoutes, type AdminDeps } from './routes/admin.js';
import { feedRoutes } from './routes/feeds.js';
import { healthRoutes } from './routes/health.js';
import { postRoutes } from './routes/posts.js';
import { taxonomyRoutes } from './routes/taxonomies.js';

export interface AppDeps {
  db: Db;
  site: Site;
  delivery?: DeliverySettings;
  logger?: FastifyServerOptions['logger'];
  /** Trust X-Forwarded-* from a proxy in front (for the client's address and protocol). */
  trustProxy?: boolean;
  /** Admin routes (/v1/admin) exist only with a token. */
  admin?: AdminDeps;
}

export async function buildApp({ db, site, delivery = DEFAULT_DELIVERY, logger = false, trustProxy = false, admin }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    trustProxy,
    // No slug is longer; a longer path segment matches no route (404).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblems(app);
  await registerDelivery(app, delivery);
  await registerOpenApi(app);
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { url: '/openapi.json' } });
  await app.register(healthRoutes, { db });
  await app.register(postRoutes, { db, site, prefix: '/v1' });
  await app.register(taxonomyRoutes, { db, site, prefix: '/v1' });
  await app.register(feedRoutes, { db, site });
  if (admin?.token) await app.register(adminRoutes, { db, admin, prefix: '/v1/admin' });
  await app.ready();
  return app;
}
