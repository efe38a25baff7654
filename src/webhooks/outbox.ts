// Deliveries are rows written in the import's own transaction: they exist exactly when the
// content change they announce was committed.
import { randomUUID } from 'node:crypto';
import type { Prisma } from '../db/client.js';
import type { DeliveryPayload, WebhookEvent } from './schemas.js';

export async function enqueue(tx: Prisma.TransactionClient, urls: readonly string[], events: WebhookEvent[], now: Date) {
  if (!urls.length || !events.length) return 0;
  // One id per event, shared by its copies to each URL, so a receiver can drop duplicates.
  const payloads = events.map((e): DeliveryPayload => ({ ...e, id: randomUUID(), createdAt: now.toISOString() }));
  const { count } = await tx.webhookDelivery.createMany({
    data: urls.flatMap((url) => payloads.map((payload) => ({ event: payload.type, url, payload, nextAttemptAt: now }))),
  });
  return count;
}
