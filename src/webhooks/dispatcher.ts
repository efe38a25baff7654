// Sends due webhook deliveries and records each outcome. Failures are retried with
// exponential backoff (1 s, 2 s, 4 s … capped at an hour) until maxAttempts; a delivery is
// claimed with SKIP LOCKED and a lease, so several processes can dispatch side by side.
import type { Db } from '../db/client.js';
import { sign, SIGNATURE_HEADER } from './signature.js';

export interface DispatchOptions {
  secret: string;
  maxAttempts?: number;
  timeoutMs?: number;
  baseDelayMs?: number;
  /** The clock, for tests that step through retries without waiting. */
  now?: () => Date;
}

export interface DispatchResult {
  delivered: number;
  retrying: number;
  failed: number;
}

interface Claimed {
  id: number;
  event: string;
  url: string;
  payload: { id: string };
  attempts: number;
}

const LEASE_MS = 60_000;
const MAX_DELAY_MS = 60 * 60_000;
const BATCH = 20;

export function backoff(attempts: number, baseDelayMs: number): number {
  return Math.min(baseDelayMs * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
}

async function post(delivery: Claimed, options: Required<Omit<DispatchOptions, 'now'>>, now: Date): Promise<string | null> {
  const body = JSON.stringify(delivery.payload);
  try {
    const res = await fetch(delivery.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Quire-Webhooks/1',
        'quire-event': delivery.event,
        'quire-delivery': delivery.payload.id,
        [SIGNATURE_HEADER]: sign(options.secret, body, Math.floor(now.getTime() / 1000)),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await res.body?.cancel();
    return res.ok ? null : `HTTP ${res.status}`;
  } catch (err) {
    return (err as Error).name === 'TimeoutError' ? `no answer in ${options.timeoutMs} ms` : (err as Error).message;
  }
}

/** One pass: claims what is due, sends it, records the outcome. */
export async function deliverDue(db: Db, options: DispatchOptions): Promise<DispatchResult> {
  const settings = { maxAttempts: 8, timeoutMs: 5_000, baseDelayMs: 1_000, ...options };
  const now = options.now?.() ?? new Date();
  const claimed = await db.$queryRaw<Claimed[]>`
    UPDATE "WebhookDelivery" SET "nextAttemptAt" = ${new Date(now.getTime() + LEASE_MS)}
    WHERE id IN (
      SELECT id FROM "WebhookDelivery"
      WHERE "deliveredAt" IS NULL AND "failedAt" IS NULL AND "nextAttemptAt" <= ${now}
      ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
    RETURNING id, event, url, payload, attempts`;
  const result: DispatchResult = { delivered: 0, retrying: 0, failed: 0 };
  await Promise.all(
    claimed.map(async (d) => {
      const error = await post(d, settings, now);
      const attempts = d.attempts + 1;
      if (error === null) {
        result.delivered++;
        await db.webhookDelivery.update({ where: { id: d.id }, data: { attempts, deliveredAt: now, lastError: null } });
      } else if (attempts >= settings.maxAttempts) {
        result.failed++;
        await db.webhookDelivery.update({ where: { id: d.id }, data: { attempts, failedAt: now, lastError: error } });
      } else {
        result.retrying++;
        const next = new Date(now.getTime() + backoff(attempts, settings.baseDelayMs));
        await db.webhookDelivery.update({ where: { id: d.id }, data: { attempts, nextAttemptAt: next, lastError: error } });
      }
    }),
  );
  return result;
}

/** When the next pending delivery is due, if any is pending. */
export async function nextDue(db: Db): Promise<Date | null> {
  const row = await db.webhookDelivery.findFirst({
    where: { deliveredAt: null, failedAt: null },
    orderBy: { nextAttemptAt: 'asc' },
    select: { nextAttemptAt: true },
  });
  return row?.nextAttemptAt ?? null;
}

/**
 * Delivers until nothing is pending or the deadline passes, waiting for retries that fall
 * due before it. What is left stays in the outbox for the server's dispatcher.
 */
export async function drain(db: Db, options: DispatchOptions, deadlineMs: number): Promise<DispatchResult & { pending: number }> {
  const total: DispatchResult = { delivered: 0, retrying: 0, failed: 0 };
  const end = Date.now() + deadlineMs;
  for (;;) {
    const r = await deliverDue(db, options);
    total.delivered += r.delivered;
    total.failed += r.failed;
    const due = await nextDue(db);
    if (!due || due.getTime() > end) break;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due.getTime() - Date.now())));
  }
  const pending = await db.webhookDelivery.count({ where: { deliveredAt: null, failedAt: null } });
  return { ...total, retrying: pending, pending };
}

/** The server's loop: a pass every intervalMs, never overlapping, until stopped. */
export function startDispatcher(db: Db, options: DispatchOptions, intervalMs: number, onError: (err: unknown) => void) {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => deliverDue(db, options)).catch(onError);
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
