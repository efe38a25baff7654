// The webhook payloads, one zod schema each: what events.ts builds, the outbox stores and
// docs/webhooks.md documents (a receiver can parse a delivery with them).
import { z } from 'zod';

export const EVENT_TYPES = ['post.published', 'post.updated', 'post.deleted', 'import.completed'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const DocumentEventItemSchema = z.object({
  kind: z.enum(['post', 'page']),
  slug: z.string(),
  lang: z.string(),
  /** Its path on the site: the site's URL + path is where readers find it. */
  path: z.string(),
  title: z.string().optional(),
});
export type DocumentEventItem = z.infer<typeof DocumentEventItemSchema>;

const documents = z.object({ posts: z.array(DocumentEventItemSchema) });

export const WebhookEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('post.published'), data: documents }),
  z.object({ type: z.literal('post.updated'), data: documents }),
  z.object({ type: z.literal('post.deleted'), data: documents }),
  z.object({
    type: z.literal('import.completed'),
    data: z.object({
      runId: z.number().int(),
      contentVersion: z.number().int(),
      created: z.number().int(),
      updated: z.number().int(),
      deleted: z.number().int(),
      unchanged: z.number().int(),
      /** Surrogate keys a CDN should purge ("*": all). */
      purge: z.array(z.string()),
    }),
  }),
]);
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

/** A delivery's body: the event with its id (the same for every URL) and when it was made. */
export const DeliveryPayloadSchema = z.intersection(z.object({ id: z.uuid(), createdAt: z.iso.datetime() }), WebhookEventSchema);
export type DeliveryPayload = z.infer<typeof DeliveryPayloadSchema>;
