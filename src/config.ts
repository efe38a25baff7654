// The only module that reads process.env: parse once with zod, freeze, pass down.
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { EnvSchema, type Env, type LOG_LEVELS } from './config/env.js';

import { DEFAULT_EMBED_HOSTS, type Generator, type MappableField } from './config/env.js';

export { DEFAULT_EMBED_HOSTS, GENERATORS, type Generator, MAPPABLE_FIELDS, type MappableField } from './config/env.js';

export type Config = Readonly<{
  databaseUrl: string | undefined;
  host: string;
  port: number;
  logLevel: (typeof LOG_LEVELS)[number];
  contentDir: string;
  /** Embedded database files and other local state (git-ignored). */
  dataDir: string;
  dbPoolSize: number;
  /** Client-side bounds on talking to PostgreSQL, so a hung connection fails in bounded time. */
  dbTimeouts: Readonly<DbTimeouts>;
  importer: ImporterSettings;
  webhooks: Readonly<{ urls: readonly string[]; secret: string }> | undefined;
  /**
   * Bearer token for /v1/admin: unset, the routes do not exist; set but empty, they exist
   * and refuse everyone (a token left blank by mistake never opens them).
   */
  adminToken: string | undefined;
  /** Requests a minute per client address (0: no limit), public routes and admin routes. */
  rateLimit: Readonly<{ public: number; admin: number }>;
  /** The public site the API serves: absolute URLs in responses, feeds and the sitemap. */
  site: Site;
  http: HttpSettings;
  /** Behind a reverse proxy: take the client's address and protocol from X-Forwarded-*. */
  trustProxy: boolean;
  /** The in-process cache of public responses, dropped whenever content changes. */
  cache: CacheSettings;
  /** The API's public origin: media and preview URLs are absolute on it. */
  apiUrl: string;
  /** Signed links to drafts; off without a secret (QUIRE_PREVIEW_SECRET, else one derived from the admin token). */
  previews: PreviewSettings | undefined;
  media: MediaSettings;
  /** Read replicas for public reads, and how long a read waits for one that lags (ms). */
  replicas: Readonly<{ urls: readonly string[]; maxWaitMs: number }>;
  /** GET /metrics: off, on behind its own bearer token, or public (QUIRE_METRICS=public). */
  metrics: MetricsSettings;
  /**
   * On SIGTERM, how long responses in flight may take before their connections are cut:
   * 8 s by default, inside the 10 s Docker (and compose) waits before SIGKILL.
   */
  shutdownTimeoutMs: number;
  /** The Ghost-compatible layer (/ghost/api/content/); without content keys, it is off. */
  ghost: GhostSettings | undefined;
}>;

/**
 * GET /metrics tells who logs in and what is imported: it is open only when the operator says
 * so (public). On without a token, it exists and refuses every request, saying why, rather
 * than open by accident or stop the server over a setting.
 */
export type MetricsSettings = Readonly<{ enabled: boolean; token: string | undefined; public: boolean }>;

export type GhostSettings = Readonly<{
  /** Content API keys accepted in ?key=. */
  keys: readonly string[];
  /** limit=all is every item (Ghost 5), not Ghost 6's 100: one request costs the whole blog. */
  limitAll: boolean;
}>;

export interface DbTimeouts {
  /** Opening a connection. */
  connectMs: number;
  /** One query, measured by the client (0: none): catches a connection that went silent. */
  queryMs: number;
  /** The server's statement_timeout (0: none): a query the client gave up on stops there too. */
  statementMs: number;
}

/** The public site the API serves. */
export type Site = Readonly<{
  /** The public site, no trailing slash, e.g. https://blog.example.com */
  url: string;
  title: string;
  description: string;
  defaultLang: string;
}>;

/** How responses travel: CORS, and Cache-Control for browsers and CDNs (seconds). */
export type HttpSettings = Readonly<{
  /** Origins allowed by CORS; ["*"] for any. */
  corsOrigins: readonly string[];
  cache: Readonly<{ maxAge: number; sMaxAge: number; staleWhileRevalidate: number }>;
}>;

export type CacheSettings = Readonly<{
  enabled: boolean;
  /** Bodies kept, at most, in bytes (least recently used go first). */
  maxBytes: number;
}>;

export type PreviewSettings = Readonly<{ secret: string; ttlMs: number }>;

/** Serving media: resized copies are made at most this many at a time per process. */
export type MediaSettings = Readonly<{ resizeConcurrency: number; maxPixels: number; widths: readonly number[] }>;

/** How this installation imports. */
export type ImporterSettings = Readonly<{
  defaultLang: string;
  /** Only these languages are recognized, when set. */
  languages: ReadonlySet<string> | undefined;
  /** Markdown files to import (globs). */
  include: readonly string[];
  /** Added to the files always left out (README.md and the like). */
  exclude: readonly string[];
  maxFileBytes: number;
  lockTimeoutMs: number;
  /** Files that are pages (globs), whatever their front matter says. */
  pages: readonly string[];
  /** The path pattern of posts (QUIRE_PERMALINK); unset, each file's generator's rule. */
  permalink: string | undefined;
  /** Folders, relative to the content folder, that site-absolute media paths resolve in. */
  staticDirs: readonly string[];
  /** Hosts (and their subdomains) whose <iframe> embeds are kept, sandboxed; others are dropped with a warning. */
  embedHosts: readonly string[];
  /** Key names of the site's own for Quire's fields (QUIRE_FIELD_KEYS), tried before the usual ones. */
  fieldKeys: Readonly<Partial<Record<MappableField, readonly string[]>>>;
  /** The generator whose rules the files follow: found from the project's files when unset (QUIRE_GENERATOR=auto). */
  generator: Generator | 'none' | undefined;
  media: Readonly<{ maxFileBytes: number; maxImportBytes: number; maxPixels: number }>;
  /** The widths of resized copies of images (their URLs are in srcset attributes). */
  mediaUrls: Readonly<{ widths: readonly number[] }>;
  /** --prune refuses to delete more than this share of the documents without --prune-all. */
  pruneMaxPercent: number;
}>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A setting in megabytes, as bytes. */
const mbToBytes = (mb: number) => Math.round(mb * 1024 * 1024);
const widthsOf = (list: number[]) => Object.freeze([...new Set(list)].sort((a, b) => a - b));

/** Preview links are signed with their own secret, else one derived from the admin token. */
function previewSecret(e: Env): string | undefined {
  if (e.QUIRE_PREVIEW_SECRET) return e.QUIRE_PREVIEW_SECRET;
  return e.QUIRE_ADMIN_TOKEN ? createHmac('sha256', e.QUIRE_ADMIN_TOKEN).update('quire preview links').digest('base64url') : undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `FOO= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = EnvSchema.safeParse(present);
  const fail = (lines: string[]) => new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  if (!parsed.success) throw fail(parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`));
  const e = parsed.data;
  if (e.QUIRE_WEBHOOK_URLS?.length && !e.QUIRE_WEBHOOK_SECRET) {
    throw fail(['  QUIRE_WEBHOOK_SECRET: is required with QUIRE_WEBHOOK_URLS (deliveries are signed with it)']);
  }
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    contentDir: path.resolve(e.QUIRE_CONTENT_DIR),
    dataDir: path.resolve(e.QUIRE_DATA_DIR),
    dbPoolSize: e.QUIRE_DB_POOL_SIZE,
    dbTimeouts: Object.freeze({
      connectMs: e.QUIRE_DB_CONNECT_TIMEOUT * 1000,
      queryMs: e.QUIRE_DB_QUERY_TIMEOUT * 1000,
      statementMs: (e.QUIRE_DB_STATEMENT_TIMEOUT ?? e.QUIRE_DB_QUERY_TIMEOUT) * 1000,
    }),
    importer: Object.freeze({
      defaultLang: e.QUIRE_DEFAULT_LANG,
      languages: e.QUIRE_LANGUAGES ? new Set(e.QUIRE_LANGUAGES) : undefined,
      include: e.QUIRE_INCLUDE ?? ['**/*.md', '**/*.markdown', '**/*.mdx'],
      exclude: e.QUIRE_EXCLUDE ?? [],
      maxFileBytes: mbToBytes(e.QUIRE_MAX_FILE_MB),
      lockTimeoutMs: e.QUIRE_IMPORT_LOCK_TIMEOUT * 1000,
      pages: e.QUIRE_PAGES,
      permalink: e.QUIRE_PERMALINK,
      staticDirs: e.QUIRE_STATIC_DIRS,
      generator: e.QUIRE_GENERATOR === 'auto' ? undefined : e.QUIRE_GENERATOR,
      embedHosts: Object.freeze([...(e.QUIRE_EMBED_HOSTS ?? DEFAULT_EMBED_HOSTS)]),
      fieldKeys: Object.freeze(e.QUIRE_FIELD_KEYS ?? {}),
      media: Object.freeze({
        maxFileBytes: mbToBytes(e.QUIRE_MAX_MEDIA_MB),
        maxImportBytes: mbToBytes(e.QUIRE_MAX_IMPORT_MEDIA_MB),
        maxPixels: Math.round(e.QUIRE_MAX_IMAGE_MEGAPIXELS * 1e6),
      }),
      mediaUrls: Object.freeze({ widths: widthsOf(e.QUIRE_IMAGE_WIDTHS) }),
      pruneMaxPercent: e.QUIRE_PRUNE_MAX_PERCENT,
    }),
    webhooks: e.QUIRE_WEBHOOK_URLS?.length ? Object.freeze({ urls: e.QUIRE_WEBHOOK_URLS, secret: e.QUIRE_WEBHOOK_SECRET! }) : undefined,
    adminToken: e.QUIRE_ADMIN_TOKEN ?? (env.QUIRE_ADMIN_TOKEN !== undefined ? '' : undefined),
    rateLimit: Object.freeze({ public: e.QUIRE_RATE_LIMIT, admin: e.QUIRE_ADMIN_RATE_LIMIT }),
    replicas: Object.freeze({ urls: Object.freeze(e.QUIRE_READ_DATABASE_URL ?? []), maxWaitMs: e.QUIRE_REPLICA_MAX_WAIT * 1000 }),
    // public with a token set still asks for it: the token is only not required.
    metrics: Object.freeze({ enabled: e.QUIRE_METRICS !== 'off', token: e.QUIRE_METRICS_TOKEN, public: e.QUIRE_METRICS === 'public' }),
    shutdownTimeoutMs: e.QUIRE_SHUTDOWN_TIMEOUT * 1000,
    ghost:
      e.QUIRE_GHOST_CONTENT_KEYS &&
      Object.freeze({ keys: Object.freeze(e.QUIRE_GHOST_CONTENT_KEYS), limitAll: e.QUIRE_GHOST_LIMIT_ALL === 'on' }),
    site: Object.freeze({
      url: e.QUIRE_SITE_URL ?? `http://localhost:${e.PORT}`,
      title: e.QUIRE_SITE_TITLE,
      description: e.QUIRE_SITE_DESCRIPTION,
      defaultLang: e.QUIRE_DEFAULT_LANG,
    }),
    trustProxy: e.QUIRE_TRUST_PROXY === 'true' || e.QUIRE_TRUST_PROXY === '1',
    cache: Object.freeze({ enabled: e.QUIRE_RESPONSE_CACHE === 'on', maxBytes: mbToBytes(e.QUIRE_RESPONSE_CACHE_MB) }),
    apiUrl: e.QUIRE_API_URL ?? `http://localhost:${e.PORT}`,
    previews: previewSecret(e) ? Object.freeze({ secret: previewSecret(e)!, ttlMs: e.QUIRE_PREVIEW_TTL * 60_000 }) : undefined,
    media: Object.freeze({
      resizeConcurrency: e.QUIRE_MEDIA_RESIZE_CONCURRENCY,
      maxPixels: Math.round(e.QUIRE_MAX_IMAGE_MEGAPIXELS * 1e6),
      widths: widthsOf(e.QUIRE_IMAGE_WIDTHS),
    }),
    http: Object.freeze({
      corsOrigins: e.QUIRE_CORS_ORIGINS,
      cache: {
        maxAge: e.QUIRE_CACHE_MAX_AGE,
        sMaxAge: e.QUIRE_CACHE_S_MAXAGE,
        staleWhileRevalidate: e.QUIRE_CACHE_STALE_WHILE_REVALIDATE,
      },
    }),
  });
}
