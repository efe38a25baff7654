// The app's dependencies from the settings: what the server passes to buildApp(), and what
// the OpenAPI document is built from (every route that some setting turns on).
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { ContentWatch } from '../db/content-watch.js';
import type { Reader } from '../db/reader.js';
import type { AppDeps } from './app.js';
import type { MetricsDeps } from './plugins/metrics.js';
import type { Readiness } from './routes/health.js';

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
