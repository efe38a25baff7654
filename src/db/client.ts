// A Prisma client over node-postgres. No module-level singleton: each entry point makes its
// own and closes it, so tests can hold several (one per database) in one process.
import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';

export type Db = PrismaClient;
export type { Prisma } from '../generated/prisma/client.js';

export interface DbOptions {
  poolSize?: number;
  /**
   * Prepared statements by name (default on). Off for the embedded database: its socket
   * server runs every connection in one PGlite session, where names would collide.
   */
  namedStatements?: boolean;
  /** Called when an idle pooled connection fails (database restarted, network cut). */
  onPoolError?: (err: Error) => void;
}

const names = new Map<string, string>();

function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `q${createHash('sha1').update(sql).digest('base64url').slice(0, 20)}`;
    // SQL texts are few (the code's, not the requests'); the bound keeps a bug from leaking.
    if (names.size > 5_000) names.clear();
    names.set(sql, name);
  }
  return name;
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
    // Named (prepared) statements, one per distinct SQL text and connection: PostgreSQL
    // plans a read once instead of on every request (planning the post query took longer
    // than running it).
    ...(options.namedStatements !== false && { statementNameGenerator: (query) => statementName(query.sql) }),
  });
  return new PrismaClient({ adapter });
}
