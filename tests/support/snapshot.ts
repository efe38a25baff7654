import type { Db } from '../../src/db/client.js';

/**
 * Every content row with its physical row version (xmin): equal snapshots mean nothing was
 * written, not even a row rewritten with the same values.
 */
export async function snapshot(db: Db) {
  // to_jsonb: every column as JSON, tsvector included (which the client cannot read raw).
  const q = (table: string) => db.$queryRawUnsafe(`SELECT xmin::text AS v, to_jsonb(t)::text AS row FROM "${table}" t ORDER BY 2`);
  return {
    posts: await q('Post'),
    tags: await q('Tag'),
    categories: await q('Category'),
    authors: await q('Author'),
    postTags: await q('PostTag'),
    postCategories: await q('PostCategory'),
    postAuthors: await q('PostAuthor'),
    webhooks: await q('WebhookDelivery'),
  };
}
