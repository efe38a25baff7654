// The environment variables Quire reads, one zod schema: names, types, defaults, and the
// words a wrong value is refused with. config.ts reads process.env with it (and only there).
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

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

export const EnvSchema = z.object({
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
export type Env = z.infer<typeof EnvSchema>;
