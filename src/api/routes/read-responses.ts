// What the post, page, resolve, taxonomy and feed routes answer alike: a list of posts, a
// document (or the 301 to where it moved), and the cache keys of a list.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { BadCursorError, type getDocument } from '../../blog/documents.queries.js';
import { type ListOptions, listPosts } from '../../blog/lists.queries.js';
import type { PostListQuery, SearchQuerySchema } from '../../blog/params.js';
import { sendList, sendOne } from '../pagination.js';
import { cacheable } from '../plugins/delivery.js';
import { HttpProblem, notFound } from '../problem-details.js';
import { type ReadDeps, readContext } from './read-deps.js';

/** Cache keys of a list: the collection, what it was filtered by, and each post on it. */
export function listKeys(query: Partial<ListOptions>, itemKeys: string[]): string[] {
  return [
    'posts',
    ...(query.q ? ['search'] : []),
    ...(query.tag ?? []).map((s) => `tag:${s}`),
    ...(query.tagAll ?? []).map((s) => `tag:${s}`),
    ...(query.category ?? []).map((s) => `category:${s}`),
    ...(query.author ?? []).map((s) => `author:${s}`),
    ...itemKeys,
  ];
}

/** Lists posts for a route; `fixed` adds filters from the path (/tags/:slug/posts). */
export async function sendPostList(
  deps: ReadDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  query: PostListQuery | z.infer<typeof SearchQuerySchema>,
  fixed: Partial<ListOptions> = {},
) {
  const options: ListOptions = { view: 'summary', ...query, ...fixed };
  let result;
  try {
    result = await listPosts(deps.reader, options, readContext(deps));
  } catch (err) {
    if (!(err instanceof BadCursorError)) throw err;
    throw new HttpProblem(400, 'invalid-parameter', `query parameter "cursor" ${err.message}`, [
      { in: 'query', name: 'cursor', reason: err.message },
    ]);
  }
  cacheable(reply, await deps.changedAt(), listKeys(options, result.keys));
  return sendList(request, reply, query, result);
}

/** A document answer: the document, a 301 to where an old slug or path moved, or a 404. */
export async function sendDocument(
  deps: ReadDeps,
  reply: FastifyReply,
  found: Awaited<ReturnType<typeof getDocument>>,
  notFoundDetail: string,
  redirectTo: (target: { kind: 'post' | 'page'; slug: string; lang: string; path: string }) => string,
) {
  if (!found) throw notFound(notFoundDetail);
  if ('redirect' in found) return reply.redirect(redirectTo(found.redirect), 301);
  if (reply.getHeader('cache-control') === undefined) cacheable(reply, await deps.changedAt(), found.keys);
  return sendOne(reply, found.json);
}
