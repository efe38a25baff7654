// Which webhook events an import's plan raises. Events follow what the public can see:
// a post becoming visible is `post.published`, a visible post changing is `post.updated`,
// a visible post going away (deleted, or made a draft) is `post.deleted`. Drafts and
// scheduled posts raise nothing until they are visible. One event of each type per run,
// listing its posts; `import.completed` closes every run that changed something.
import type { Plan } from '../importer/plan.js';

export const EVENT_TYPES = ['post.published', 'post.updated', 'post.deleted', 'import.completed'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface PostEventItem {
  slug: string;
  lang: string;
  title?: string;
}

export interface WebhookEvent {
  type: EventType;
  data: Record<string, unknown>;
}

const visible = (p: { draft: boolean; publishedAt: Date }, now: Date) => !p.draft && p.publishedAt <= now;

export function eventsFor(plan: Plan, run: { runId: number; contentVersion?: number }, now: Date): WebhookEvent[] {
  const published: PostEventItem[] = [];
  const updated: PostEventItem[] = [];
  const deleted: PostEventItem[] = [];
  const item = (p: { slug: string; lang: string; title?: string }) => ({ slug: p.slug, lang: p.lang, ...(p.title && { title: p.title }) });
  for (const post of plan.create) if (visible(post, now)) published.push(item(post));
  for (const { existing, post } of plan.update) {
    const [was, is] = [visible(existing, now), visible(post, now)];
    if (was && is) updated.push(item(post));
    else if (is) published.push(item(post));
    else if (was) deleted.push(item(existing));
  }
  for (const row of plan.remove) if (visible(row, now)) deleted.push(item(row));

  const events: WebhookEvent[] = [];
  if (published.length) events.push({ type: 'post.published', data: { posts: published } });
  if (updated.length) events.push({ type: 'post.updated', data: { posts: updated } });
  if (deleted.length) events.push({ type: 'post.deleted', data: { posts: deleted } });
  const changed = plan.create.length + plan.update.length + plan.remove.length;
  if (changed) {
    events.push({
      type: 'import.completed',
      data: {
        runId: run.runId,
        ...(run.contentVersion !== undefined && { contentVersion: run.contentVersion }),
        created: plan.create.length,
        updated: plan.update.length,
        deleted: plan.remove.length,
        unchanged: plan.unchanged.length,
      },
    });
  }
  return events;
}
