// Before a command does anything: can it reach its database at all? A plain pg connection
// gives PostgreSQL's own error codes, which the schema engine and Prisma would bury.
import pg from 'pg';
import { DatabaseError, dbFailureMessage, dbFailureOf } from './errors.js';

export async function checkConnection(url: string, connectTimeoutMs: number): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs, query_timeout: connectTimeoutMs });
  // A connection lost after the check is not this check's business.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    const kind = dbFailureOf(err) ?? 'unreachable';
    throw new DatabaseError(kind, dbFailureMessage(kind, url, connectTimeoutMs / 1000), { cause: err });
  } finally {
    // The check has its answer (or threw it above); ending a dead connection may fail, saying nothing new.
    await client.end().catch(() => {});
  }
}
