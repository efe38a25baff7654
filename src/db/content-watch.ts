// Knows when public content may have changed, so caches can drop what they hold:
// - an import bumped the content version: PostgreSQL NOTIFY tells at once, and a poll of
//   ContentState every few seconds covers a lost listening connection (and PGlite, whose
//   socket server does not pass notifications between connections);
// - a scheduled post's date came: no import happens, so the watch knows the next such date.
// `generation()` changes exactly then; a cache entry is good while it stays the same.
import pg from 'pg';
import type { Db } from './client.js';
import { CONTENT_CHANNEL } from './content-version.js';

export interface ContentWatch {
  /** A number that changes whenever public content may have changed. */
  generation(): number;
  /** When public content last changed: the last changing import, or the last post to go live. */
  lastModified(): Date;
  /** Re-reads the content state now (after an import in this process). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

export interface WatchOptions {
  /** Safety-net poll of the content version, in ms. */
  pollMs?: number;
  clock?: () => Date;
  onError?: (err: unknown) => void;
}

export async function watchContent(db: Db, url: string, options: WatchOptions = {}): Promise<ContentWatch> {
  const clock = options.clock ?? (() => new Date());
  const onError = options.onError ?? (() => {});
  let generation = 0;
  let version: number | undefined;
  let nextScheduled = Infinity;
  let lastModified = 0;
  let closed = false;
  let listener: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let refreshing: Promise<void> | undefined;

  const read = async () => {
    const now = clock();
    const [row] = await db.$queryRaw<{ version: number; next: Date | null; changed: Date | null }[]>`
      SELECT (SELECT version FROM "ContentState" WHERE id = 1) AS version,
             (SELECT min("publishedAt") FROM "Post" WHERE NOT draft AND "publishedAt" > ${now}) AS next,
             greatest((SELECT "changedAt" FROM "ContentState" WHERE id = 1),
                      (SELECT max("publishedAt") FROM "Post" WHERE NOT draft AND "publishedAt" <= ${now})) AS changed`;
    if (row && row.version !== version) {
      version = row.version;
      generation++;
    }
    nextScheduled = row?.next ? row.next.getTime() : Infinity;
    lastModified = Math.max(lastModified, row?.changed?.getTime() ?? 0);
  };
  const refresh = () =>
    (refreshing ??= read()
      .catch(onError)
      .finally(() => (refreshing = undefined)));

  const listen = async (attempt = 0) => {
    if (closed) return;
    const client = new pg.Client({ connectionString: url });
    const again = (err: unknown) => {
      if (closed || listener !== client) return;
      onError(err);
      listener = undefined;
      client.end().catch(() => {});
      // Whatever was announced while disconnected, the next read sees.
      retry = setTimeout(() => void listen(attempt + 1).then(refresh), Math.min(30_000, 500 * 2 ** attempt));
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
  await listen();
  const poll = setInterval(() => void refresh(), options.pollMs ?? 5_000);
  poll.unref();

  const watch: ContentWatch = {
    generation() {
      if (clock().getTime() >= nextScheduled) {
        // A scheduled post just went public: everything cached may be missing it, and
        // content last changed at its date.
        lastModified = Math.max(lastModified, nextScheduled);
        nextScheduled = Infinity;
        generation++;
        void refresh();
      }
      return generation;
    },
    lastModified() {
      watch.generation(); // first, notice a scheduled post that has just gone live
      return new Date(lastModified);
    },
    refresh,
    async close() {
      closed = true;
      clearInterval(poll);
      clearTimeout(retry);
      await refreshing;
      await listener?.end().catch(() => {});
    },
  };
  return watch;
}
