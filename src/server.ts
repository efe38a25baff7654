// Entry for serving: database -> buildApp -> listen -> graceful close on SIGINT/SIGTERM.
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from './api/app.js';
import type { MetricsDeps } from './api/plugins/metrics.js';
import type { Readiness } from './api/routes/health.js';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import { type ContentWatch, watchContent } from './db/content-watch.js';
import { type ReadRouter, replicaName, routeReads } from './db/read-router.js';
import { createReader, type Reader } from './db/reader.js';
import { importTotals } from './importer/runs.js';
import { ListenError, listenMessage } from './listen.js';
import { startDispatcher } from './webhooks/dispatcher.js';

/** How often the server sends webhook deliveries that are due (first tries and retries). */
const DISPATCH_INTERVAL_MS = 5_000;

/** What the CLI knows at start that /readyz reports, and the client admin imports use. */
export interface ServeExtras {
  readiness?: Readiness;
  /** A client with an import's timeouts (its statements may wait for the import lock). */
  importDb?: Db;
  /** What /metrics reports beyond the app's own (pools, replicas, import runs). */
  metrics?: MetricsDeps;
}

export function appDeps(
  config: Config,
  db: Db,
  pools: { reader: Reader; writer: Reader },
  watch?: ContentWatch,
  extra: ServeExtras = {},
): AppDeps {
  return {
    db,
    ...pools,
    ...(watch && { watch }),
    ...(extra.readiness && { readiness: extra.readiness }),
    cache: config.cache,
    site: config.site,
    http: config.http,
    media: config.media,
    previews: config.previews,
    apiUrl: config.apiUrl,
    trustProxy: config.trustProxy,
    logger: { level: config.logLevel },
    rateLimit: config.rateLimit,
    readsRouted: config.replicas.urls.length > 0,
    // Not public and no token: '' refuses every scrape (401 naming QUIRE_METRICS_TOKEN).
    ...(config.metrics.enabled &&
      extra.metrics && {
        metrics: { ...extra.metrics, token: config.metrics.public ? config.metrics.token : (config.metrics.token ?? '') },
      }),
    ...(config.ghost && { ghost: config.ghost }),
    ...(config.adminToken !== undefined && {
      admin: {
        token: config.adminToken,
        contentDir: config.contentDir,
        ...(extra.importDb && { importDb: extra.importDb }),
        importer: config.importer,
        webhookUrls: config.webhooks?.urls ?? [],
      },
    }),
  };
}

/** What an operator should know of settings that open or close things: said once, at start. */
function logSettings(log: FastifyInstance['log'], config: Config): void {
  const m = config.metrics;
  if (m.enabled && m.token) log.info('/metrics: on, behind QUIRE_METRICS_TOKEN');
  else if (m.enabled && m.public) log.warn('/metrics: public (QUIRE_METRICS=public): anyone who reaches the server can read it');
  else if (m.enabled)
    log.warn('/metrics: refuses every request: QUIRE_METRICS=on needs QUIRE_METRICS_TOKEN (or QUIRE_METRICS=public to open it)');
  if (config.ghost?.limitAll)
    log.warn('Ghost layer: limit=all sends every item (QUIRE_GHOST_LIMIT_ALL=on): one request costs the whole blog');
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  /** Resolves once the server has stopped after a signal (or stop()). */
  closed: Promise<void>;
  stop(): Promise<void>;
}

export async function serve(
  config: Config,
  db: Db,
  /** embedded: PGlite, whose one session serves every connection (no statement names, no timeouts set per session). */
  database: { url: string; embedded: boolean },
  onClose: () => Promise<void>,
  extra: ServeExtras = {},
): Promise<RunningServer> {
  // The watch starts first (the app caches through it); its errors go to the app's log.
  const logs: { to?: FastifyInstance['log'] } = {};
  const t = config.dbTimeouts;
  const poolOptions = {
    poolSize: config.dbPoolSize,
    namedStatements: !database.embedded,
    connectTimeoutMs: t.connectMs,
    queryTimeoutMs: t.queryMs,
    // PGlite runs one statement at a time and cannot cancel one; the client's timer still works.
    statementTimeoutMs: database.embedded ? 0 : t.statementMs,
    onError: (err: Error) => logs.to?.warn({ err }, 'idle database connection failed'),
  };
  const primary = createReader(database.url, poolOptions);
  const writer = createReader(database.url, { ...poolOptions, poolSize: 2 });
  // Also without the cache: it knows Last-Modified without a query per request. It reads
  // the primary, whose version is the one no public read may be older than.
  const watch = await watchContent(primary, { listenUrl: database.url, onError: (err) => logs.to?.warn({ err }, 'content watch') });
  const replicas = config.replicas.urls.map((url) => ({ url, reader: createReader(url, poolOptions) }));
  const router: ReadRouter | undefined = replicas.length
    ? routeReads(primary, replicas, {
        knownVersion: () => watch.version(),
        maxWaitMs: config.replicas.maxWaitMs,
        onError: (err, replica) => logs.to?.warn({ err, replica }, 'read replica failed; reading the primary'),
      })
    : undefined;
  const reader = router ?? primary;
  const closePools = () => Promise.all([router?.close(), primary.close(), writer.close()]);
  const metrics: MetricsDeps = {
    pools: {
      primary: primary.pool,
      writer: writer.pool,
      ...Object.fromEntries(replicas.map((r) => [`replica ${replicaName(r.url)}`, r.reader.pool])),
    },
    ...(router && { reads: router }),
    imports: () => importTotals(writer),
    onError: (err) => logs.to?.warn({ err }, 'metrics: import runs unavailable'),
  };
  const app = await buildApp(appDeps(config, db, { reader, writer }, watch, { metrics, ...extra }));
  logs.to = app.log;
  logSettings(app.log, config);
  let url: string;
  try {
    url = await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    // Nothing may stay open (the content watch's connection, its timer): the process must
    // end with the error, not linger half started where no orchestrator would restart it.
    await app.close();
    await watch.close();
    await closePools();
    throw new ListenError(listenMessage(err as NodeJS.ErrnoException, config.host, config.port), { cause: err });
  }
  const dispatcher =
    config.webhooks &&
    startDispatcher(db, { secret: config.webhooks.secret }, DISPATCH_INTERVAL_MS, (err) =>
      app.log.warn({ err }, 'webhook dispatch failed'),
    );
  let stopping: Promise<void> | undefined;
  let resolveClosed: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  // In-flight requests finish; new connections are refused; then the pool closes. A client
  // that stops reading cannot hold the process past the deadline, which stays inside an
  // orchestrator's grace period (10 s in Docker, 30 s in Kubernetes) before its SIGKILL.
  const stop = () =>
    (stopping ??= (async () => {
      app.log.info('shutting down');
      const deadline = setTimeout(() => {
        app.log.warn(`connections still open after ${config.shutdownTimeoutMs / 1000} s; closing them`);
        app.server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      deadline.unref();
      await dispatcher?.stop();
      await app.close();
      app.log.info('stopped: every response has finished');
      clearTimeout(deadline);
      await watch.close();
      await closePools();
      await db.$disconnect();
      await onClose();
      resolveClosed();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop());
  return { app, url, closed, stop };
}
