// The only module that reads process.env: parse once with zod, freeze, pass down.
import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const EnvSchema = z.object({
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
    .optional()
    .describe('PostgreSQL to use; without it Quire runs on the embedded PGlite database'),
  HOST: z.string().min(1).default('localhost'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  QUIRE_CONTENT_DIR: z.string().min(1).default('content'),
  QUIRE_DATA_DIR: z.string().min(1).default('.quire'),
  QUIRE_DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
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
}>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `FOO= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    contentDir: path.resolve(e.QUIRE_CONTENT_DIR),
    dataDir: path.resolve(e.QUIRE_DATA_DIR),
    dbPoolSize: e.QUIRE_DB_POOL_SIZE,
  });
}
