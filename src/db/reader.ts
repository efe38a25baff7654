// The read path's connection: node-postgres directly, with prepared statements, because
// Prisma's raw-query layer doubled the Node CPU of every read and its query engine added
// 50 MB to the server (docs/performance.md). Prisma stays the way data gets in (imports,
// admin); public reads go through here, typed by the API's zod schemas.
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Sql } from './sql.js';

export interface ReaderOptions {
  poolSize?: number;
  /** Prepared statements by name (default on). Off for the embedded database, whose socket
   * server runs every connection in one PGlite session, where names would collide. */
  namedStatements?: boolean;
  connectTimeoutMs?: number;
  /** Client-side bound on any one query: a hung connection becomes an error in time. */
  queryTimeoutMs?: number;
  /**
   * PostgreSQL's statement_timeout for the pool's sessions: the server's own bound, so a
   * query the client gave up on (a timeout, a closed request) is cancelled there too instead
   * of running on for nobody.
   */
  statementTimeoutMs?: number;
  /** Called when an idle pooled connection fails (database restarted, network cut). */
  onError?: (err: Error) => void;
}

export interface Reader {
  query<T>(query: Sql): Promise<T[]>;
  /** The pool, for the content listener and health checks. */
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `r${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
    // SQL texts are few (the code's, not the requests'); the bound keeps a bug from leaking.
    if (names.size > 5_000) names.clear();
    names.set(text, name);
  }
  return name;
}

export function createReader(url: string, options: ReaderOptions = {}): Reader {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    ...(options.queryTimeoutMs && { query_timeout: options.queryTimeoutMs }),
    ...(options.statementTimeoutMs && { statement_timeout: options.statementTimeoutMs }),
    // Names Quire's sessions in pg_stat_activity, for an operator looking for what runs.
    application_name: 'quire',
  });
  pool.on('error', (err) => options.onError?.(err));
  const named = options.namedStatements !== false;
  return {
    pool,
    async query<T>(query: Sql): Promise<T[]> {
      const { text, values } = query.build();
      const result = await pool.query<T & pg.QueryResultRow>(named ? { name: statementName(text), text, values } : { text, values });
      return result.rows;
    },
    close: () => pool.end(),
  };
}
