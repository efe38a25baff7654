// What /metrics reads from elsewhere at scrape time: the read router's replicas and the
// import runs recorded on the primary. metrics.ts registers them when it has them.
import { Counter, Gauge, type Registry } from 'prom-client';
import type pg from 'pg';
import type { ReadStats } from '../../db/read-router.js';

export interface ImportRunTotals {
  status: string;
  runs: number;
  seconds: number;
}

export interface LastImport {
  finishedAt: Date;
  seconds: number;
}

export interface MetricsDeps {
  /** Bearer token /metrics asks for; none: open to whoever reaches it (QUIRE_METRICS=public). */
  token?: string | undefined;
  /** Connection pools to report, by name. */
  pools: Record<string, pg.Pool>;
  /** Import runs by status and the last one, as recorded on the primary. */
  imports?: () => Promise<{ totals: ImportRunTotals[]; last: LastImport | undefined }>;
  /** The read router, when reads go to replicas. */
  reads?: { stats(): ReadStats } | undefined;
  onError?: (err: unknown) => void;
}

/** A counter whose total another object keeps: set at each scrape. */
export function mirror(
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[],
  read: () => [Record<string, string>, number][],
) {
  return new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of read()) this.inc(labels, value);
    },
  });
}

export function replicaMetrics(registry: Registry, reads: { stats(): ReadStats }): void {
  const registers = [registry];
  mirror(
    registry,
    'quire_read_queries_total',
    'Public read queries by where they ran, and why on the primary (behind: the replicas lagged past the wait; down: none answered)',
    ['from', 'reason'],
    () => {
      const q = reads.stats().queries;
      return [
        [{ from: 'replica', reason: 'current' }, q.replica],
        [{ from: 'primary', reason: 'behind' }, q.behind],
        [{ from: 'primary', reason: 'down' }, q.down],
      ];
    },
  );
  mirror(
    registry,
    'quire_replica_waits_total',
    'Reads that waited for a replica to apply the known content version, by outcome',
    ['outcome'],
    () => {
      const w = reads.stats().waits;
      return [
        [{ outcome: 'caught_up' }, w.caughtUp],
        [{ outcome: 'gave_up' }, w.count - w.caughtUp],
      ];
    },
  );
  mirror(registry, 'quire_replica_wait_seconds_total', 'Time spent in those waits', [], () => [[{}, reads.stats().waits.seconds]]);
  const perReplica = (name: string, help: string, read: (r: ReadStats['replicas'][number]) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['replica'],
      registers,
      collect() {
        for (const r of reads.stats().replicas) this.set({ replica: r.name }, read(r));
      },
    });
  perReplica('quire_replica_up', '1 when the replica answered its last check', (r) => Number(r.up));
  perReplica('quire_replica_lag_seconds', "How far the replica's replay is behind the WAL it received (0: caught up)", (r) => r.lagSeconds);
  perReplica('quire_replica_content_version', 'The content version the replica has applied', (r) => Math.max(0, r.applied));
}

export function importMetrics(registry: Registry, imports: NonNullable<MetricsDeps['imports']>, onError: (err: unknown) => void): void {
  const registers = [registry];
  let read: ReturnType<typeof imports> | undefined;
  // One database read per scrape, whichever of the gauges asks first.
  const once = () => (read ??= imports().finally(() => setImmediate(() => (read = undefined))));
  const safely = async (use: (r: Awaited<ReturnType<typeof imports>>) => void) => {
    try {
      use(await once());
    } catch (err) {
      onError(err); // the primary is down: the other metrics still go out
    }
  };
  new Gauge({
    name: 'quire_import_runs',
    help: 'Import runs recorded, by status (all processes and the CLI)',
    labelNames: ['status'],
    registers,
    async collect() {
      await safely(({ totals }) => totals.forEach((t) => this.set({ status: t.status }, t.runs)));
    },
  });
  new Gauge({
    name: 'quire_import_duration_seconds_sum',
    help: 'Time the recorded import runs took in all, by status',
    labelNames: ['status'],
    registers,
    async collect() {
      await safely(({ totals }) => totals.forEach((t) => this.set({ status: t.status }, t.seconds)));
    },
  });
  new Gauge({
    name: 'quire_last_import_duration_seconds',
    help: 'How long the last import run took',
    registers,
    async collect() {
      await safely(({ last }) => last && this.set(last.seconds));
    },
  });
  new Gauge({
    name: 'quire_last_import_timestamp_seconds',
    help: 'When the last import run finished (Unix time)',
    registers,
    async collect() {
      await safely(({ last }) => last && this.set(last.finishedAt.getTime() / 1000));
    },
  });
}
