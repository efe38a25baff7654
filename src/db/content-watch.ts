// Knows when public content changed, and what: caches drop just that.
// - an import bumped the content version: PostgreSQL NOTIFY tells at once, and a poll of
//   ContentState every few seconds covers a lost listening connection (and PGlite, whose
//   socket server does not pass notifications between connections); ContentChange says
//   which cache keys each version touched ("*" for all);
// - a scheduled post's date came, or an expiry passed: no import happens, so the watch knows
//   the next such moment and, ahead of it, what it will touch (the listings, the document,
//   the documents that show it), and drops just that then; everything, should two moments
//   pass between two requests.
import pg from 'pg';
import { LISTINGS, shownWith } from './cache-keys.js';
import type { Reader } from './reader.js';
import { sql } from './sql.js';

export const CONTENT_CHANNEL = 'quire_content';

/** What changed: these cache keys, or everything. */
export type Change = readonly string[] | 'all';

export interface ContentWatch {
  /** The content version this process has seen (the primary's, when it listens there). */
  version(): number;
  /** When public content last changed: the last changing import, or the last post to go live. */
  lastModified(): Date;
  /** Called with what changed, before the new content is served. */
  subscribe(listener: (change: Change) => void): void;
  /** Notices a scheduled post going public or an expiry passing (cheap: a clock read). */
  tick(): void;
  /** Re-reads the content state now (after an import in this process). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

export interface WatchOptions {
  /** Where NOTIFY comes from (the primary); none: poll only. */
  listenUrl?: string;
  /** Safety-net poll of the content version, in ms. */
  pollMs?: number;
  clock?: () => Date;
  onError?: (err: unknown) => void;
}

interface State {
  version: number;
  /** The next two moments a document goes public or expires. */
  moments: Date[] | null;
  changed: Date | null;
}

export async function watchContent(reader: Reader, options: WatchOptions = {}): Promise<ContentWatch> {
  const clock = options.clock ?? (() => new Date());
  const onError = options.onError ?? (() => {});
  const listeners: ((change: Change) => void)[] = [];
  let version: number | undefined;
  let nextMoment = Infinity;
  let momentAfter = Infinity;
  /** What the next moment touches, read ahead of it, and which moment that is. */
  let nextKeys: Change = 'all';
  let keysFor = NaN;
  let lastModified = 0;
  let closed = false;
  let listener: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let refreshing: Promise<void> | undefined;

  const emit = (change: Change) => {
    for (const l of listeners) l(change);
  };

  /** What the versions after `from` up to `to` changed; everything when one is unknown. */
  const changesSince = async (from: number, to: number): Promise<Change> => {
    const rows = await reader.query<{ keys: string[] }>(sql`SELECT keys FROM "ContentChange" WHERE version > ${from} AND version <= ${to}`);
    if (rows.length !== to - from) return 'all';
    const keys = new Set(rows.flatMap((r) => r.keys));
    return keys.has('*') ? 'all' : [...keys];
  };

  const read = async () => {
    const now = clock();
    const [row] = await reader.query<State>(sql`
      SELECT (SELECT version FROM "ContentState" WHERE id = 1) AS version,
             ARRAY(SELECT m FROM (SELECT "publishedAt" AS m FROM "Post" WHERE NOT draft AND "publishedAt" > ${now}
                                  UNION SELECT "expiresAt" FROM "Post" WHERE NOT draft AND "expiresAt" > ${now}) x
                   ORDER BY m LIMIT 2) AS moments,
             greatest((SELECT "changedAt" FROM "ContentState" WHERE id = 1),
                      (SELECT max("publishedAt") FROM "Post" WHERE NOT draft AND "publishedAt" <= ${now})) AS changed`);
    if (!row) return;
    const newVersion = version === undefined || row.version !== version;
    if (version !== undefined && row.version !== version) emit(row.version > version ? await changesSince(version, row.version) : 'all');
    version = row.version;
    const [next, after] = (row.moments ?? []).map((d) => new Date(d).getTime());
    if (next !== undefined && (newVersion || next !== keysFor)) {
      nextKeys = await keysAt(new Date(next));
      keysFor = next;
    }
    nextMoment = next ?? Infinity;
    momentAfter = after ?? Infinity;
    lastModified = Math.max(lastModified, row.changed?.getTime() ?? 0);
  };
  /** What the documents going public or expiring at `moment` touch. */
  const keysAt = async (moment: Date): Promise<Change> => {
    const ids = (
      await reader.query<{ id: number }>(
        sql`SELECT id FROM "Post" WHERE NOT draft AND ("publishedAt" = ${moment} OR "expiresAt" = ${moment})`,
      )
    ).map((r) => r.id);
    return [...LISTINGS, ...(await reader.query<{ key: string }>(shownWith(ids))).map((r) => r.key)];
  };
  const refresh = () =>
    (refreshing ??= read()
      .catch(onError)
      .finally(() => (refreshing = undefined)));

  const listen = async (url: string, attempt = 0) => {
    if (closed) return;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    const again = (err: unknown) => {
      if (closed || listener !== client) return;
      onError(err);
      listener = undefined;
      // The failure was just reported (onError); ending a client that broke can fail too, saying nothing new.
      client.end().catch(() => {});
      // Whatever was announced while disconnected, the next read sees.
      retry = setTimeout(() => void listen(url, attempt + 1).then(refresh), Math.min(30_000, 500 * 2 ** attempt));
      retry.unref();
    };
    listener = client;
    client.on('error', again);
    client.on('end', () => again(new Error('content listener disconnected')));
    client.on('notification', () => void refresh());
    try {
      await client.connect();
      await client.query(`LISTEN ${CONTENT_CHANNEL}`);
      attempt = 0; // connected: the next outage starts its back-off afresh
    } catch (err) {
      again(err);
    }
  };

  await refresh();
  if (options.listenUrl) await listen(options.listenUrl);
  const poll = setInterval(() => void refresh(), options.pollMs ?? 5_000);
  poll.unref();

  /** A scheduled post went public or a document expired: drop what it touches. */
  const passMoment = () => {
    const now = clock().getTime();
    if (now < nextMoment) return;
    const both = now >= momentAfter;
    lastModified = Math.max(lastModified, both ? momentAfter : nextMoment);
    emit(both ? 'all' : nextKeys);
    // The moment after is still watched (all of it, until the refresh reads what it touches).
    nextMoment = both ? Infinity : momentAfter;
    momentAfter = Infinity;
    nextKeys = 'all';
    keysFor = NaN;
    void refresh();
  };
  return {
    version: () => version ?? 0,
    lastModified() {
      passMoment();
      return new Date(lastModified);
    },
    subscribe: (l) => void listeners.push(l),
    tick: passMoment,
    refresh,
    async close() {
      closed = true;
      clearInterval(poll);
      clearTimeout(retry);
      await refreshing;
      // Closing: a listener whose connection already died has nothing left to end or lose.
      await listener?.end().catch(() => {});
    },
  };
}
