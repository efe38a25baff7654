// The only module that reads process.env: parse once with zod, freeze, pass down.
import path from 'node:path';
import { z } from 'zod';
import type { DeliverySettings } from './api/plugins/delivery.js';
import type { CacheSettings } from './api/plugins/response-cache.js';
import type { Site } from './blog/urls.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const list = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

const EnvSchema = z.object({
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  HOST: z.string().min(1).default('localhost'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  QUIRE_CONTENT_DIR: z.string().min(1).default('content'),
  QUIRE_DATA_DIR: z.string().min(1).default('.quire'),
  QUIRE_DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  QUIRE_DB_CONNECT_TIMEOUT: z.coerce.number().positive().max(600).default(5),
  QUIRE_DB_QUERY_TIMEOUT: z.coerce.number().min(0).max(86_400).default(10),
  QUIRE_DB_STATEMENT_TIMEOUT: z.coerce.number().min(0).max(86_400).optional(),
  QUIRE_DEFAULT_LANG: z
    .string()
    .default('en')
    .transform((tag, ctx) => {
      try {
        return Intl.getCanonicalLocales(tag)[0]!;
      } catch {
        ctx.addIssue({ code: 'custom', message: `"${tag}" is not a language tag like en or pt-BR` });
        return z.NEVER;
      }
    }),
  QUIRE_LANGUAGES: list.optional(),
  QUIRE_INCLUDE: list.optional(),
  QUIRE_EXCLUDE: list.optional(),
  QUIRE_MAX_FILE_MB: z.coerce.number().positive().max(1024).default(20),
  QUIRE_IMPORT_LOCK_TIMEOUT: z.coerce.number().min(0).max(3600).default(60),
  QUIRE_WEBHOOK_URLS: list
    .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be http(s) URLs, comma-separated' })))
    .optional(),
  QUIRE_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  QUIRE_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters (or unset, to turn admin routes off)').optional(),
  QUIRE_SITE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  QUIRE_SITE_TITLE: z.string().default('Quire'),
  QUIRE_SITE_DESCRIPTION: z.string().default(''),
  QUIRE_CORS_ORIGINS: list.default(['*']),
  QUIRE_CACHE_MAX_AGE: z.coerce.number().int().min(0).default(60),
  QUIRE_CACHE_S_MAXAGE: z.coerce.number().int().min(0).default(300),
  QUIRE_CACHE_STALE_WHILE_REVALIDATE: z.coerce.number().int().min(0).default(86_400),
  QUIRE_TRUST_PROXY: z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).default('false'),
  QUIRE_RESPONSE_CACHE: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  QUIRE_RATE_LIMIT: z.coerce.number().int().min(0).default(600),
  QUIRE_ADMIN_RATE_LIMIT: z.coerce.number().int().min(0).default(30),
  QUIRE_RESPONSE_CACHE_MB: z.coerce.number().positive().max(65_536).default(64),
  QUIRE_SHUTDOWN_TIMEOUT: z.coerce.number().min(0).max(3600).default(8),
});

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
  importer: Readonly<{
    defaultLang: string;
    /** Only these languages are recognized, when set. */
    languages: ReadonlySet<string> | undefined;
    /** Replace the default include globs. */
    include: readonly string[] | undefined;
    /** Added to the default exclude globs. */
    exclude: readonly string[];
    maxFileBytes: number;
    lockTimeoutMs: number;
  }>;
  webhooks: Readonly<{ urls: readonly string[]; secret: string }> | undefined;
  /**
   * Bearer token for /v1/admin: unset, the routes do not exist; set but empty, they exist
   * and refuse everyone (a token left blank by mistake never opens them).
   */
  adminToken: string | undefined;
  /** Requests a minute per client address (0: no limit), public routes and admin routes. */
  rateLimit: Readonly<{ public: number; admin: number }>;
  /** The public site the API serves: absolute URLs in responses, feeds and the sitemap. */
  site: Readonly<Site>;
  http: Readonly<DeliverySettings>;
  /** Behind a reverse proxy: take the client's address and protocol from X-Forwarded-*. */
  trustProxy: boolean;
  /** The in-process cache of public responses, dropped whenever content changes. */
  cache: Readonly<CacheSettings>;
  /**
   * On SIGTERM, how long responses in flight may take before their connections are cut:
   * 8 s by default, inside the 10 s Docker (and compose) waits before SIGKILL.
   */
  shutdownTimeoutMs: number;
}>;

export interface DbTimeouts {
  /** Opening a connection. */
  connectMs: number;
  /** One query, measured by the client (0: none): catches a connection that went silent. */
  queryMs: number;
  /** The server's statement_timeout (0: none): a query the client gave up on stops there too. */
  statementMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
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
      include: e.QUIRE_INCLUDE,
      exclude: e.QUIRE_EXCLUDE ?? [],
      maxFileBytes: Math.round(e.QUIRE_MAX_FILE_MB * 1024 * 1024),
      lockTimeoutMs: e.QUIRE_IMPORT_LOCK_TIMEOUT * 1000,
    }),
    webhooks: e.QUIRE_WEBHOOK_URLS?.length
      ? Object.freeze({ urls: e.QUIRE_WEBHOOK_URLS, secret: e.QUIRE_WEBHOOK_SECRET! })
      : undefined,
    adminToken: e.QUIRE_ADMIN_TOKEN ?? (env.QUIRE_ADMIN_TOKEN !== undefined ? '' : undefined),
    rateLimit: Object.freeze({ public: e.QUIRE_RATE_LIMIT, admin: e.QUIRE_ADMIN_RATE_LIMIT }),
    shutdownTimeoutMs: e.QUIRE_SHUTDOWN_TIMEOUT * 1000,
    site: Object.freeze({
      url: e.QUIRE_SITE_URL ?? `http://localhost:${e.PORT}`,
      title: e.QUIRE_SITE_TITLE,
      description: e.QUIRE_SITE_DESCRIPTION,
      defaultLang: e.QUIRE_DEFAULT_LANG,
    }),
    trustProxy: e.QUIRE_TRUST_PROXY === 'true' || e.QUIRE_TRUST_PROXY === '1',
    cache: Object.freeze({ enabled: e.QUIRE_RESPONSE_CACHE === 'on', maxBytes: Math.round(e.QUIRE_RESPONSE_CACHE_MB * 1024 * 1024) }),
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
