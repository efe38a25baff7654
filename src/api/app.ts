// buildApp(deps) -> a Fastify instance that never listens: server.ts listens, tests inject.
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { lastChange } from '../blog/posts.queries.js';
import type { Site } from '../blog/urls.js';
import type { Db } from '../db/client.js';
import type { ContentWatch } from '../db/content-watch.js';
import { DEFAULT_DELIVERY, type DeliverySettings, registerDelivery } from './plugins/delivery.js';
import { type CacheSettings, ResponseCache } from './plugins/response-cache.js';
import { registerOpenApi } from './plugins/openapi.js';
import { frameworkErrors, registerProblems } from './plugins/problems.js';
import { registerRateLimit } from './plugins/rate-limit.js';
import { serializerCompiler } from './plugins/serializer.js';
import { adminRoutes, type AdminDeps } from './routes/admin.js';
import { feedRoutes } from './routes/feeds.js';
import { healthRoutes, type Readiness } from './routes/health.js';
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
  /** With a content watch, public responses are cached until content changes. */
  watch?: ContentWatch;
  cache?: CacheSettings;
  /** The time, for what is public now (tests move it to publish scheduled posts). */
  clock?: () => Date;
  /** Requests a minute per client address, public and admin routes; 0 or absent: none. */
  rateLimit?: { public: number; admin: number };
  /** What /readyz checks beyond the database answering, and reports. */
  readiness?: Readiness;
}

export const DEFAULT_CACHE: CacheSettings = { enabled: true, maxBytes: 64 * 1024 * 1024 };

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { db, site, delivery = DEFAULT_DELIVERY, logger = false, trustProxy = false, admin, watch, clock } = deps;
  const cacheSettings = deps.cache ?? DEFAULT_CACHE;
  const cache = watch && cacheSettings.enabled ? new ResponseCache(cacheSettings.maxBytes) : undefined;
  const app = Fastify({
    logger,
    trustProxy,
    // No slug is longer; a longer path segment matches no route (404).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    frameworkErrors,
    // Request bodies (admin JSON) stay small; uploads have their own limits.
    bodyLimit: 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblems(app);
  // Before the cache: a hit counts against the limit like any request.
  await registerRateLimit(app, deps.rateLimit);
  await registerDelivery(app, delivery, cache && watch && { cache, watch });
  await registerOpenApi(app);
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Swagger UI's own policy asks browsers to fetch its files over https: served over plain
    // http on any host but localhost, the page would stay blank.
    transformStaticCSP: (csp) => csp.replace(/\s*upgrade-insecure-requests;?/g, ''),
    uiConfig: { url: '/openapi.json' },
  });
  await app.register(healthRoutes, { db, ...(deps.readiness && { readiness: deps.readiness }) });
  const now = clock ?? (() => new Date());
  // With a watch, the last change is known without asking the database on every request.
  const changedAt = watch ? async () => watch.lastModified() : () => lastChange(db, now());
  const read = { db, site, clock: now, changedAt };
  await app.register(postRoutes, { ...read, prefix: '/v1' });
  await app.register(taxonomyRoutes, { ...read, prefix: '/v1' });
  await app.register(feedRoutes, read);
  if (admin) {
    // After an import here, this process's cache need not wait for the notification.
    const onImported = () => watch?.refresh() ?? Promise.resolve();
    await app.register(adminRoutes, { db, admin, onImported, rateLimit: deps.rateLimit?.admin ?? 0, prefix: '/v1/admin' });
  }
  await app.ready();
  return app;
}
