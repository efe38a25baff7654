// The only module that reads process.env: parse once with zod, freeze, pass down.
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const list = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

/**
 * Hosts whose <iframe> embeds are kept (sandboxed), they and their subdomains: video
 * players and code playgrounds, the embeds blogs use most.
 */
export const DEFAULT_EMBED_HOSTS = [
  'youtube.com',
  'youtube-nocookie.com',
  'player.vimeo.com',
  'codepen.io',
  'codesandbox.io',
  'stackblitz.com',
  'jsfiddle.net',
  'open.spotify.com',
  'w.soundcloud.com',
  'player.twitch.tv',
  'loom.com',
  'speakerdeck.com',
];

/** Quire's fields a site may give key names of its own (QUIRE_FIELD_KEYS; src/importer/field-keys.ts). */
export const MAPPABLE_FIELDS = [
  'title',
  'slug',
  'date',
  'updated',
  'expires',
  'draft',
  'description',
  'featured',
  'image',
  'imageAlt',
  'authors',
  'tags',
  'categories',
  'lang',
  'aliases',
  'path',
  'layout',
  'type',
] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];

/** "title:newstitle,authors:byline" -> { title: ["newstitle"], authors: ["byline"] }. */
const fieldKeys = list.transform((pairs, ctx) => {
  const map: Partial<Record<MappableField, string[]>> = {};
  for (const pair of pairs) {
    const m = /^([A-Za-z]+)\s*:\s*(\S+)$/.exec(pair);
    const field = MAPPABLE_FIELDS.find((f) => f.toLowerCase() === m?.[1]?.toLowerCase());
    if (!m || !field) {
      ctx.addIssue({ code: 'custom', message: `"${pair}" is not field:key with a field among ${MAPPABLE_FIELDS.join(', ')}` });
      return z.NEVER;
    }
    (map[field] ??= []).push(m[2]!.toLowerCase());
  }
  return map;
});

/** The site generators whose rules the importer knows (src/importer/site.ts). */
export const GENERATORS = ['hugo', 'jekyll', 'eleventy', 'zola', 'astro', 'next', 'docusaurus'] as const;
export type Generator = (typeof GENERATORS)[number];

const EnvSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
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
  QUIRE_PAGES: list.default(['pages/**', '_pages/**']),
  QUIRE_PERMALINK: z
    .string()
    .regex(/^(pretty|date|ordinal|none|\/.*)$/, 'must start with / (e.g. /blog/:year/:slug/) or be pretty, date, ordinal or none')
    .optional(),
  QUIRE_STATIC_DIRS: list.default(['static', 'public']),
  QUIRE_EMBED_HOSTS: list
    .transform((hosts) => (hosts.length === 1 && hosts[0] === 'none' ? [] : hosts))
    .pipe(
      z.array(
        z
          .string()
          .toLowerCase()
          .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be host names (youtube.com, player.vimeo.com), comma-separated, or none'),
      ),
    )
    .optional(),
  QUIRE_FIELD_KEYS: fieldKeys.optional(),
  QUIRE_GENERATOR: z
    .enum(['auto', 'none', ...GENERATORS], { error: `must be auto, none or one of ${GENERATORS.join(', ')}` })
    .default('auto'),
  QUIRE_MAX_MEDIA_MB: z.coerce.number().positive().max(1024).default(25),
  QUIRE_MAX_IMPORT_MEDIA_MB: z.coerce
    .number()
    .positive()
    .max(1024 * 1024)
    .default(2048),
  QUIRE_MAX_IMAGE_MEGAPIXELS: z.coerce.number().positive().max(1000).default(40),
  QUIRE_IMAGE_WIDTHS: list
    .pipe(
      z
        .array(
          z
            .string()
            .transform(Number)
            .pipe(z.number({ error: 'must be numbers' }).int().min(16).max(8192)),
        )
        .min(1, 'must list at least one width'),
    )
    .default(() => [320, 640, 960, 1280, 1920]),
  QUIRE_API_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  QUIRE_PRUNE_MAX_PERCENT: z.coerce.number().min(0).max(100).default(50),
  QUIRE_IMPORT_LOCK_TIMEOUT: z.coerce.number().min(0).max(3600).default(60),
  QUIRE_WEBHOOK_URLS: list.pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be http(s) URLs, comma-separated' }))).optional(),
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
  QUIRE_RATE_LIMIT: z.coerce.number().int().min(0).default(0),
  QUIRE_ADMIN_RATE_LIMIT: z.coerce.number().int().min(0).default(30),
  QUIRE_RESPONSE_CACHE_MB: z.coerce.number().positive().max(65_536).default(64),
  QUIRE_SHUTDOWN_TIMEOUT: z.coerce.number().min(0).max(3600).default(8),
  QUIRE_PREVIEW_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  QUIRE_PREVIEW_TTL: z.coerce
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 30)
    .default(60 * 24),
  QUIRE_MEDIA_RESIZE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  QUIRE_READ_DATABASE_URL: list
    .pipe(z.array(z.url({ protocol: /^postgres(ql)?$/, error: 'must be postgres:// or postgresql:// URLs, comma-separated' })))
    .optional(),
  QUIRE_REPLICA_MAX_WAIT: z.coerce.number().min(0).max(60).default(0.5),
  QUIRE_METRICS: z.enum(['on', 'off', 'public'], { error: 'must be on, off or public' }).default('off'),
  QUIRE_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  QUIRE_GHOST_CONTENT_KEYS: list
    .pipe(
      z
        .array(z.string().regex(/^[0-9a-f]{26}$/, "must be 26 lowercase hex characters each, comma-separated (as Ghost's client checks)"))
        .min(1),
    )
    .optional(),
  QUIRE_GHOST_LIMIT_ALL: z.enum(['on', 'off'], { error: 'must be on or off' }).default('off'),
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
function previewSecret(e: z.infer<typeof EnvSchema>): string | undefined {
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
