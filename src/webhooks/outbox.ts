// Deliveries are rows written in the import's own transaction: they exist exactly when the
// content change they announce was committed.
import { randomUUID } from 'node:crypto';
import type { Prisma } from '../db/client.js';
import type { WebhookEvent } from './events.js';

export async function enqueue(tx: Prisma.TransactionClient, urls: readonly string[], events: WebhookEvent[], now: Date) {
  if (!urls.length || !events.length) return 0;
  // One id per event, shared by its copies to each URL, so a receiver can drop duplicates.
  const payloads = events.map((e) => ({ id: randomUUID(), type: e.type, createdAt: now.toISOString(), data: e.data }));
  const { count } = await tx.webhookDelivery.createMany({
    data: urls.flatMap((url) =>
      payloads.map((payload) => ({ event: payload.type, url, payload: payload as Prisma.InputJsonObject, nextAttemptAt: now })),
    ),
  });
  return count;
}
