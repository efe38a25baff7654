// Which webhook events an import raises. Events follow what the public can see: a document
// becoming visible is `post.published`, a visible one changing is `post.updated`, a visible
// one going away (deleted, or made a draft) is `post.deleted`. Drafts and scheduled posts
// raise nothing until they are visible. Pages are documents too: their items say
// `kind: "page"`. One event of each type per run, listing its documents;
// `import.completed` closes every run that changed something.
import type { ContentChangeEvent, OnChange } from '../importer/apply.js';
import { enqueue } from './outbox.js';

export const EVENT_TYPES = ['post.published', 'post.updated', 'post.deleted', 'import.completed'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface DocumentEventItem {
  kind: 'post' | 'page';
  slug: string;
  lang: string;
  /** Its path on the site: the site's URL + path is where readers find it. */
  path: string;
  title?: string;
}

export interface WebhookEvent {
  type: EventType;
  data: Record<string, unknown>;
}

const visible = (p: { draft: boolean; publishedAt: Date | null }, now: Date) =>
  !p.draft && (p.publishedAt === null || p.publishedAt <= now);
const item = (p: { kind: 'post' | 'page'; slug: string; lang: string; path: string; title?: string }): DocumentEventItem => ({
  kind: p.kind,
  slug: p.slug,
  lang: p.lang,
  path: p.path,
  ...(p.title && { title: p.title }),
});

export function eventsFor(change: ContentChangeEvent, now: Date): WebhookEvent[] {
  const published: DocumentEventItem[] = [];
  const updated: DocumentEventItem[] = [];
  const deleted: DocumentEventItem[] = [];
  for (const p of change.created) if (visible(p.doc, now)) published.push(item({ ...p.doc, slug: p.slug, path: p.path }));
  for (const { before, after } of change.updated) {
    const [was, is] = [visible(before, now), visible(after.doc, now)];
    const now_ = item({ ...after.doc, slug: after.slug, path: after.path });
    if (was && is) updated.push(now_);
    else if (is) published.push(now_);
    else if (was) deleted.push(item(before));
  }
  for (const row of change.removed) if (visible(row, now)) deleted.push(item(row));

  const events: WebhookEvent[] = [];
  if (published.length) events.push({ type: 'post.published', data: { posts: published } });
  if (updated.length) events.push({ type: 'post.updated', data: { posts: updated } });
  if (deleted.length) events.push({ type: 'post.deleted', data: { posts: deleted } });
  events.push({
    type: 'import.completed',
    data: {
      runId: change.runId,
      contentVersion: change.contentVersion,
      created: change.created.length,
      updated: change.updated.length,
      deleted: change.removed.length,
      unchanged: change.unchanged,
      // Surrogate keys a CDN should purge ("*": all): see docs/webhooks.md.
      purge: change.keys,
    },
  });
  return events;
}

/** The import's hook that writes its events to the outbox, in its transaction. */
export function webhookOutbox(urls: readonly string[]): OnChange | undefined {
  if (!urls.length) return undefined;
  return async (tx, change) => {
    const now = new Date();
    await enqueue(tx, urls, eventsFor(change, now), now);
  };
}
