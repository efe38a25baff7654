// Public reads on read replicas, never older than the content version this process knows.
// A replica lags its primary, and cannot LISTEN: the content watch stays on the primary and
// says which version this process has seen; a replica is read only once it has applied that
// version (the ContentState row replicates with the content). Behind, a read waits a bounded
// time for it, then goes to the primary; a replica that fails is skipped until it answers again.
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Reader } from './reader.js';
import { sql } from './sql.js';

export type ReadSource = 'replica' | 'primary';

/** Where the current request's reads went (the server opens one per request). */
export const readTrace = new AsyncLocalStorage<{ from?: ReadSource }>();

export interface ReplicaState {
  /** host:port/database, never the credentials. */
  name: string;
  up: boolean;
  /** The content version it has applied. */
  applied: number;
  /** Seconds its replay is behind the WAL it received (0 when it has replayed all). */
  lagSeconds: number;
}

export interface ReadStats {
  /** Queries by where they ran and why: replica, or primary because the replicas were behind, down or none fit. */
  queries: { replica: number; behind: number; down: number };
  /** Waits for a replica to apply the known version: how many, how long in all, how many ended caught up. */
  waits: { count: number; seconds: number; caughtUp: number };
  replicas: ReplicaState[];
}

export interface RouterOptions {
  /** The content version this process knows (the content watch's). */
  knownVersion: () => number;
  /** How long a read may wait for a replica to catch up before it goes to the primary. */
  maxWaitMs: number;
  /** How often each replica's version, lag and health are read in the background. */
  pollMs?: number;
  onError?: (err: unknown, replica: string) => void;
}

export interface ReadRouter extends Reader {
  stats(): ReadStats;
}

interface Replica extends ReplicaState {
  reader: Reader;
  checking?: Promise<void> | undefined;
}

/** A server-side problem of the replica itself (not of the query): read elsewhere. */
export function replicaUnusable(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  // No SQLSTATE: the connection failed (refused, reset, timed out).
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true;
  // Connection exceptions, shutdown, too many connections, a conflict with recovery.
  return /^(08|57P|53)/.test(code) || code === '40001';
}

export const replicaName = (url: string) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
};

export function routeReads(primary: Reader, replicas: { url: string; reader: Reader }[], options: RouterOptions): ReadRouter {
  const onError = options.onError ?? (() => {});
  const all: Replica[] = replicas.map((r) => ({ name: replicaName(r.url), reader: r.reader, up: true, applied: -1, lagSeconds: 0 }));
  const queries = { replica: 0, behind: 0, down: 0 };
  const waits = { count: 0, seconds: 0, caughtUp: 0 };
  let next = 0;

  /** Reads a replica's version and lag; one read at a time per replica, shared by every waiter. */
  const check = (r: Replica) =>
    (r.checking ??= r.reader
      .query<{ version: number; lag: number }>(
        sql`
        SELECT (SELECT version FROM "ContentState" WHERE id = 1) AS version,
               CASE WHEN pg_is_in_recovery() AND pg_last_wal_receive_lsn() IS DISTINCT FROM pg_last_wal_replay_lsn()
                    THEN coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) ELSE 0 END::float8 AS lag`,
      )
      .then(([row]) => {
        r.up = true;
        r.applied = Math.max(r.applied, row?.version ?? 0);
        r.lagSeconds = row?.lag ?? 0;
      })
      .catch((err: unknown) => {
        if (r.up) onError(err, r.name);
        r.up = false;
      })
      .finally(() => (r.checking = undefined)));

  all.forEach((r) => void check(r));
  const poll = setInterval(() => all.forEach((r) => void check(r)), options.pollMs ?? 1_000);
  poll.unref();

  /** Waits, up to the bound, for a replica to apply `version`. */
  const catchUp = async (r: Replica, version: number) => {
    const started = performance.now();
    const deadline = started + options.maxWaitMs;
    waits.count++;
    do {
      await check(r);
      if (r.up && r.applied >= version) break;
      if (!r.up) break;
      await sleep(Math.min(20, Math.max(0, deadline - performance.now())));
    } while (performance.now() < deadline);
    waits.seconds += (performance.now() - started) / 1000;
    const ok = r.up && r.applied >= version;
    if (ok) waits.caughtUp++;
    return ok;
  };

  /** A replica that has applied `version` (round robin among those), after a bounded wait; else none. */
  const pick = async (version: number): Promise<{ replica?: Replica; reason?: 'behind' | 'down' }> => {
    const up = all.filter((r) => r.up);
    if (!up.length) return { reason: 'down' };
    const start = next++;
    for (let i = 0; i < up.length; i++) {
      const r = up[(start + i) % up.length]!;
      if (r.applied >= version) return { replica: r };
    }
    const r = up[start % up.length]!;
    if (await catchUp(r, version)) return { replica: r };
    return { reason: r.up ? 'behind' : 'down' };
  };

  const mark = (from: ReadSource) => {
    const trace = readTrace.getStore();
    // One read on the primary makes the response the primary's.
    if (trace && trace.from !== 'primary') trace.from = from;
  };

  return {
    pool: primary.pool,
    async query<T>(query: Parameters<Reader['query']>[0]): Promise<T[]> {
      const { replica, reason } = await pick(options.knownVersion());
      if (replica) {
        try {
          const rows = await replica.reader.query<T>(query);
          queries.replica++;
          mark('replica');
          return rows;
        } catch (err) {
          if (!replicaUnusable(err)) throw err;
          onError(err, replica.name);
          replica.up = false;
          queries.down++;
        }
      } else {
        queries[reason ?? 'down']++;
      }
      mark('primary');
      return primary.query<T>(query);
    },
    stats: () => ({
      queries: { ...queries },
      waits: { ...waits },
      replicas: all.map(({ name, up, applied, lagSeconds }) => ({ name, up, applied, lagSeconds })),
    }),
    async close() {
      clearInterval(poll);
      await Promise.all(all.flatMap((r) => (r.checking ? [r.checking] : [])));
      await Promise.all(all.map((r) => r.reader.close()));
    },
  };
}
