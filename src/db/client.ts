// A Prisma client over node-postgres. No module-level singleton: each entry point makes its
// own and closes it, so tests can hold several (one per database) in one process.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';

export type Db = PrismaClient;
export type { Prisma } from '../generated/prisma/client.js';

export interface DbOptions {
  poolSize?: number;
  /** Called when an idle pooled connection fails (database restarted, network cut). */
  onPoolError?: (err: Error) => void;
}

export function createDb(url: string, options: DbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // Fail fast instead of queueing forever when the database is gone.
    connectionTimeoutMillis: 5_000,
  });
  const adapter = new PrismaPg(pool, {
    disposeExternalPool: true,
    onPoolError: options.onPoolError ?? (() => {}),
  });
  return new PrismaClient({ adapter });
}
