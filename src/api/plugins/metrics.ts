// GET /metrics in Prometheus's text format (prom-client, the client Prometheus's own docs
// list for Node). Requests are counted where the HTTP server takes them, so cache hits
// answered before Fastify count as much as routed ones. The rest is read at scrape time
// from what already keeps it: the response cache, the content watch, the pools, the read
// router, the import runs recorded on the primary (every process's and the CLI's).
// Off unless QUIRE_METRICS=on (behind QUIRE_METRICS_TOKEN, a bearer token of its own, never
// the admin one: a scraper holding the admin token could run imports) or public.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { importMetrics, type MetricsDeps, mirror, replicaMetrics } from './metrics-sources.js';
import type { ContentWatch } from '../../db/content-watch.js';
import { requireBearer } from './admin-auth.js';
import { uncacheable } from './delivery.js';
import type { ResponseCache } from './response-cache.js';

export type { ImportRunTotals, LastImport, MetricsDeps } from './metrics-sources.js';

interface Sources extends MetricsDeps {
  cache?: ResponseCache | undefined;
  watch?: ContentWatch | undefined;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export class Metrics {
  readonly registry = new Registry();
  private readonly routes = new WeakMap<IncomingMessage, string>();
  private readonly requests: Counter;
  private readonly duration: Histogram;

  constructor(s: Sources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'quire_http_requests_total',
      help: 'HTTP requests by method, route and status (cache hits included)',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'quire_http_request_duration_seconds',
      help: 'Time from the request to the end of its response, by method and route',
      labelNames: ['method', 'route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    const cache = s.cache;
    mirror(this.registry, 'quire_response_cache_hits_total', 'Responses answered from the in-process cache', [], () => [
      [{}, cache?.hits ?? 0],
    ]);
    mirror(this.registry, 'quire_response_cache_misses_total', 'Cacheable requests the cache did not hold', [], () => [
      [{}, cache?.misses ?? 0],
    ]);
    new Gauge({
      name: 'quire_response_cache_entries',
      help: 'Responses in the cache',
      registers,
      collect() {
        this.set(cache?.size ?? 0);
      },
    });
    new Gauge({
      name: 'quire_response_cache_bytes',
      help: 'Bytes the cache holds (bodies and their compressed copies)',
      registers,
      collect() {
        this.set(cache?.bytesHeld ?? 0);
      },
    });
    const watch = s.watch;
    new Gauge({
      name: 'quire_content_version',
      help: "The content version this process knows (the primary's)",
      registers,
      collect() {
        this.set(watch?.version() ?? 0);
      },
    });
    const pools = Object.entries(s.pools);
    const poolGauge = (name: string, help: string, read: (p: pg.Pool) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['pool'],
        registers,
        collect() {
          for (const [pool, p] of pools) this.set({ pool }, read(p));
        },
      });
    poolGauge('quire_db_pool_connections', 'Connections open in the pool', (p) => p.totalCount);
    poolGauge('quire_db_pool_idle', 'Open connections not in use', (p) => p.idleCount);
    poolGauge('quire_db_pool_waiting', 'Queries waiting for a connection', (p) => p.waitingCount);
    if (s.reads) replicaMetrics(this.registry, s.reads);
    if (s.imports) importMetrics(this.registry, s.imports, s.onError ?? (() => {}));
  }

  /** Counts the request when its response has gone (or the client left). */
  track(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    res.once('close', () => {
      const method = METHODS.has(req.method ?? '') ? req.method! : 'other';
      const route = this.routes.get(req) ?? 'unmatched';
      this.requests.inc({ method, route, status: String(res.statusCode) });
      this.duration.observe({ method, route }, (performance.now() - started) / 1000);
    });
  }

  /** The route pattern a request matched (/v1/posts/:slug), not its URL: labels stay few. */
  route(req: IncomingMessage, route: string): void {
    this.routes.set(req, route);
  }
}

/** Labels every request with its route; registered before any hook that may answer it. */
export function labelRoutes(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.routeOptions.url) metrics.route(request.raw, request.routeOptions.url);
    done();
  });
}

export async function metricsRoute(
  app: FastifyInstance,
  { metrics, token }: { metrics: Metrics; token: string | undefined },
): Promise<void> {
  if (token !== undefined) requireBearer(app, token, { realm: 'quire-metrics', setting: 'QUIRE_METRICS_TOKEN' });
  app.get('/metrics', { config: { rateLimit: false }, schema: { hide: true } }, async (_request, reply) => {
    uncacheable(reply);
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
