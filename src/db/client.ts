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
  /**
   * Called when an idle pooled connection fails (database restarted, network cut). Without
   * one, the failure becomes a process warning on stderr rather than nothing at all.
   */
  onPoolError?: (err: Error) => void;
  /** Opening a connection, in ms (default 5 s). */
  connectTimeoutMs?: number;
  /** One query, measured by the client, in ms; 0 or absent: no limit. */
  queryTimeoutMs?: number;
  /** PostgreSQL's statement_timeout for the pool's sessions, in ms; 0 or absent: the server's. */
  statementTimeoutMs?: number;
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
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    // A connection that goes silent (a network partition) sends no error: only a timer on
    // each query notices. The pool then drops that connection rather than reuse it.
    ...(options.queryTimeoutMs && { query_timeout: options.queryTimeoutMs }),
    // The server's backstop: what the client gave up on does not go on running there.
    ...(options.statementTimeoutMs && { statement_timeout: options.statementTimeoutMs }),
    // Idle connections cut by a firewall are found by the kernel, not by the next request.
    keepAlive: true,
  });
  const adapter = new PrismaPg(pool, {
    disposeExternalPool: true,
    onPoolError: options.onPoolError ?? ((err) => process.emitWarning(`idle database connection failed: ${err.message}`)),
    // Named (prepared) statements, one per distinct SQL text and connection: PostgreSQL
    // plans a read once instead of on every request (planning the post query took longer
    // than running it).
    ...(options.namedStatements !== false && { statementNameGenerator: (query) => statementName(query.sql) }),
  });
  return new PrismaClient({ adapter });
}
