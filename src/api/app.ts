// buildApp(deps) -> a Fastify instance that never listens: server.ts listens, tests too.
import { createServer } from 'node:http';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { CacheSettings, GhostSettings, HttpSettings, MediaSettings, PreviewSettings, Site } from '../config.js';
import { lastChange } from '../blog/documents.queries.js';
import type { Db } from '../db/client.js';
import type { ContentWatch } from '../db/content-watch.js';
import { readTrace } from '../db/read-router.js';
import type { Reader } from '../db/reader.js';
import { GHOST_OPENAPI } from '../ghost/openapi.js';
import { GHOST_PREFIXES, ghostRoutes } from '../ghost/routes.js';
import { VariantMaker } from '../media/store.js';
import { BulkSlots } from './bulk-slots.js';
import { commonHeaders, corsFor, registerDelivery } from './plugins/delivery.js';
import { labelRoutes, Metrics, type MetricsDeps, metricsRoute } from './plugins/metrics.js';
import { registerOpenApi } from './plugins/openapi.js';
import { clientErrors, frameworkErrors, registerProblems } from './plugins/problems.js';
import { registerRateLimit } from './plugins/rate-limit.js';
import { ResponseCache } from './plugins/response-cache.js';
import { serializerCompiler } from './plugins/serializer.js';
import { adminLimit, adminRoutes, type AdminDeps } from './routes/admin.js';
import { consoleRoutes } from './routes/console.js';
import { feedRoutes } from './routes/feeds.js';
import { healthRoutes, type Readiness } from './routes/health.js';
import { mediaRoutes } from './routes/media.js';
import { pageRoutes } from './routes/pages.js';
import { postRoutes } from './routes/posts.js';
import type { ReadDeps } from './routes/read-deps.js';
import { resolveRoutes } from './routes/resolve.js';
import { taxonomyRoutes } from './routes/taxonomies.js';

export interface AppDeps {
  /** Prisma, on the primary: imports and admin routes. */
  db: Db;
  /** node-postgres for public reads (a replica, when there is one). */
  reader: Reader;
  /** node-postgres on the primary: resized media copies are written there. */
  writer: Reader;
  site: Site;
  http: HttpSettings;
  cache: CacheSettings;
  media: MediaSettings;
  previews?: PreviewSettings | undefined;
  /** The API's public origin (media and preview URLs). */
  apiUrl: string;
  logger?: FastifyServerOptions['logger'];
  /** Trust X-Forwarded-* from a proxy in front (for the client's address and protocol). */
  trustProxy?: boolean;
  /** Admin routes (/v1/admin) exist only with a token. */
  admin?: AdminDeps;
  /** With a content watch, public responses are cached until content changes. */
  watch?: ContentWatch;
  /** The time, for what is public now (tests move it to publish scheduled posts). */
  clock?: () => Date;
  /** Requests a minute per client address, public and admin routes; 0 or absent: none. */
  rateLimit?: { public: number; admin: number };
  /** Runs when the app closes (after the server stops taking requests). */
  onClose?: () => Promise<void>;
  /** What /readyz checks beyond the database answering, and reports. */
  readiness?: Readiness;
  /** GET /metrics (Prometheus), with what it reports beyond the app's own. */
  metrics?: MetricsDeps;
  /** The reader routes reads among replicas: responses say where they were read (Quire-Read-From). */
  readsRouted?: boolean;
  /** The Ghost Content API layer (/ghost/api/content/) exists only with keys. */
  ghost?: GhostSettings;
  /** Slots for bulk requests (exports); by default BULK_CONCURRENCY of them. */
  bulk?: BulkSlots;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { db, reader, site, logger = false, trustProxy = false, admin, watch, clock = () => new Date() } = deps;
  const cache = watch && deps.cache.enabled ? new ResponseCache(deps.cache.maxBytes, commonHeaders(deps.http)) : undefined;
  watch?.subscribe((change) => cache?.invalidate(change));
  // Cache hits are answered before Fastify sees the request, unless a public rate limit
  // must count them (then they are answered from a hook, after the limit).
  const fastPath = cache && !deps.rateLimit?.public ? cache : undefined;
  const metrics = deps.metrics && new Metrics({ ...deps.metrics, cache, watch });
  const cors = corsFor(deps.http);
  const app = Fastify({
    logger,
    trustProxy,
    // No line per request (cache hits are answered before Fastify could log them): /metrics
    // counts requests; errors are logged where they are caught.
    logController: new LogController({ disableRequestLogging: true }),
    // No slug is longer; a longer path segment matches no route (404).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    frameworkErrors,
    clientErrorHandler: clientErrors,
    // Request bodies (admin JSON) stay small; uploads have their own limits.
    bodyLimit: 1024 * 1024,
    serverFactory: (handler) =>
      createServer((req, res) => {
        metrics?.track(req, res);
        if (fastPath) {
          watch!.tick();
          const hit = fastPath.serve(req, res, cors(req));
          if (hit) return void (hit.route && metrics?.route(req, hit.route));
        }
        // Where this request's reads go (a replica or the primary), for its Quire-Read-From.
        // Only then: on Node 20, async context tracking costs every promise something.
        if (deps.readsRouted) readTrace.run({}, handler, req, res);
        else handler(req, res);
      }),
  });
  if (deps.onClose) app.addHook('onClose', deps.onClose);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblems(app);
  if (metrics) labelRoutes(app, metrics);
  await registerRateLimit(app, deps.rateLimit);
  if (cache && !fastPath) {
    // A route's own hooks run after every app-wide one, and the rate limit is a route hook:
    // the cache's goes on each route after it, or hits would never be counted.
    const serveCached = async (request: FastifyRequest, reply: FastifyReply) => {
      watch!.tick();
      if (cache.serve(request.raw, reply.raw, cors(request.raw))) reply.hijack();
    };
    app.addHook('onRoute', (route) => {
      const hooks = route.onRequest;
      route.onRequest = [...(Array.isArray(hooks) ? hooks : hooks ? [hooks] : []), serveCached];
    });
  }
  if (deps.readsRouted) {
    app.addHook('onSend', async (_request, reply, payload) => {
      const from = readTrace.getStore()?.from;
      if (from) reply.header('quire-read-from', from);
      return payload;
    });
  }
  await registerDelivery(app, deps.http, cache, watch && (() => watch.version()));
  await registerOpenApi(app, !!deps.rateLimit?.public, deps.ghost ? [GHOST_OPENAPI] : []);
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Swagger UI's own policy asks browsers to fetch its files over https: served over plain
    // http on any host but localhost, the page would stay blank.
    transformStaticCSP: (csp) => csp.replace(/\s*upgrade-insecure-requests;?/g, ''),
    uiConfig: { url: '/openapi.json' },
  });
  await app.register(healthRoutes, { reader, ...(deps.readiness && { readiness: deps.readiness }) });
  // With a watch, the last change is known without asking the database on every request.
  const changedAt = watch ? async () => watch.lastModified() : () => lastChange(reader, clock());
  const read: ReadDeps = {
    reader,
    site,
    apiUrl: deps.apiUrl,
    clock,
    changedAt,
    previews: deps.previews,
    bulk: deps.bulk ?? new BulkSlots(),
  };
  await app.register(postRoutes, { ...read, prefix: '/v1' });
  await app.register(pageRoutes, { ...read, prefix: '/v1' });
  await app.register(resolveRoutes, { ...read, prefix: '/v1' });
  await app.register(taxonomyRoutes, { ...read, prefix: '/v1' });
  await app.register(feedRoutes, read);
  for (const prefix of deps.ghost ? GHOST_PREFIXES : []) await app.register(ghostRoutes, { ...read, ...deps.ghost!, prefix });
  const variants = new VariantMaker(reader, deps.writer, { concurrency: deps.media.resizeConcurrency, maxPixels: deps.media.maxPixels });
  await app.register(mediaRoutes, { reader, variants, settings: deps.media, prefix: '/v1' });
  if (metrics) await app.register(metricsRoute, { metrics, token: deps.metrics!.token });
  if (admin) {
    // After an import here, this process's cache need not wait for the notification.
    const onImported = () => watch?.refresh() ?? Promise.resolve();
    await app.register(adminRoutes, {
      db,
      admin,
      onImported,
      rateLimit: deps.rateLimit?.admin ?? 0,
      previews: deps.previews && { previews: deps.previews, site, apiUrl: deps.apiUrl, clock },
      prefix: '/v1/admin',
    });
    await app.register(consoleRoutes, {
      db,
      admin,
      onImported,
      clock,
      limit: adminLimit(deps.rateLimit?.admin ?? 0),
      previews: deps.previews && { previews: deps.previews, site, apiUrl: deps.apiUrl, clock },
      prefix: '/admin',
    });
  }
  await app.ready();
  return app;
}
