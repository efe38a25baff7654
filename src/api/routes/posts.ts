// /v1/posts, /v1/search, /v1/export/posts: thin handlers over the post queries.
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getPost, listPosts, type ListOptions, streamPosts } from '../../blog/posts.queries.js';
import { BadCursorError } from '../../blog/posts.sql.js';
import {
  ExportQuerySchema,
  ok,
  one,
  pageOf,
  PostDetailSchema,
  PostListItemSchema,
  PostListQuerySchema,
  PostQuerySchema,
  SearchQuerySchema,
  SlugParamsSchema,
} from '../../blog/schemas.js';
import type { Site } from '../../blog/urls.js';
import type { Db } from '../../db/client.js';
import { paginate } from '../pagination.js';
import { cacheable } from '../plugins/delivery.js';
import { HttpProblem, notFound, problemResponses } from '../problems.js';

export interface ReadDeps {
  db: Db;
  site: Site;
  clock: () => Date;
  /** When public content last changed (for Last-Modified). */
  changedAt: () => Promise<Date>;
}

/** Surrogate keys of a list: the collection, what it was filtered by, and each post. */
export function listKeys(query: Partial<ListOptions>, items: { slug: string; lang: string }[]): string[] {
  return [
    'posts',
    ...(query.tag ?? []).map((s) => `tag:${s}`),
    ...(query.tagAll ?? []).map((s) => `tag:${s}`),
    ...(query.category ?? []).map((s) => `category:${s}`),
    ...(query.author ?? []).map((s) => `author:${s}`),
    ...items.map((p) => `post:${p.lang}/${p.slug}`),
  ];
}

/** Lists posts for a route; `fixed` adds filters from the path (/tags/:slug/posts). */
export async function sendPostList(
  deps: ReadDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  query: z.infer<typeof PostListQuerySchema>,
  fixed: Partial<ListOptions> = {},
) {
  // page has a default, so ask the request itself whether it named one.
  if (query.cursor !== undefined && new URLSearchParams(request.url.split('?')[1]).has('page')) {
    throw new HttpProblem(400, 'invalid-parameter', 'page and cursor do not combine: page for pages, cursor to read on', [
      { in: 'query', name: 'cursor', reason: 'does not combine with page' },
    ]);
  }
  if (query.cursor !== undefined && query.q && (query.sort ?? 'relevance') === 'relevance') {
    throw new HttpProblem(400, 'invalid-parameter', 'search results sorted by relevance page by page only: use page, or another sort', [
      { in: 'query', name: 'cursor', reason: 'does not combine with sort=relevance' },
    ]);
  }
  if (query.sort === 'relevance' && !query.q) {
    throw new HttpProblem(400, 'invalid-parameter', 'sort=relevance needs a search (q)', [
      { in: 'query', name: 'sort', reason: 'relevance needs q' },
    ]);
  }
  const options: ListOptions = { ...query, ...fixed };
  let result;
  try {
    result = await listPosts(deps.db, options, { site: deps.site, now: deps.clock() });
  } catch (err) {
    if (!(err instanceof BadCursorError)) throw err;
    throw new HttpProblem(400, 'invalid-parameter', `query parameter "cursor" ${err.message}`, [
      { in: 'query', name: 'cursor', reason: err.message },
    ]);
  }
  cacheable(reply, await deps.changedAt(), listKeys(options, result.items));
  return paginate(request, reply, query, result.items, result.total, result.nextCursor);
}

const listResponse = { 200: ok('A page of posts', pageOf(PostListItemSchema)), ...problemResponses(400) };

export const postRoutes: FastifyPluginAsyncZod<ReadDeps> = async (app, deps) => {
  const { db, site, clock, changedAt } = deps;

  app.get(
    '/posts',
    {
      schema: {
        operationId: 'listPosts',
        summary: 'Published posts: filter, sort, search, page or cursor',
        description:
          'Every filter takes slugs. Filters combine with AND; a comma-separated list within one ' +
          'filter means any of them (all of them for tagAll). With q, posts are searched (within one ' +
          'language: lang, else the default) and sorted by relevance unless sort says otherwise.',
        tags: ['posts'],
        querystring: PostListQuerySchema,
        response: listResponse,
      },
    },
    (request, reply) => sendPostList(deps, request, reply, request.query),
  );

  app.get(
    '/search',
    {
      schema: {
        operationId: 'searchPosts',
        summary: 'Full-text search: ranked posts with highlighted snippets',
        description:
          'PostgreSQL full-text search with websearch syntax ("a phrase", -excluded, or); title weighs ' +
          'more than description, description more than body. Each item carries rank and snippet.',
        tags: ['posts'],
        querystring: SearchQuerySchema,
        response: listResponse,
      },
    },
    (request, reply) => sendPostList(deps, request, reply, request.query),
  );

  app.get(
    '/posts/:slug',
    {
      schema: {
        operationId: 'getPost',
        summary: 'One published post: HTML, table of contents, neighbours, related posts',
        description: 'An old slug (one of a post\'s aliases) answers 301 with the post\'s current URL.',
        tags: ['posts'],
        params: SlugParamsSchema,
        querystring: PostQuerySchema,
        response: {
          200: ok('The post', one(PostDetailSchema)),
          301: z.null().describe('The slug is an old one of this post: the Location header has its current path'),
          ...problemResponses(400, 404),
        },
      },
    },
    async (request, reply) => {
      const { slug } = request.params;
      const found = await getPost(db, slug, { lang: request.query.lang, text: request.query.format === 'text' }, { site, now: clock() });
      if (!found) throw notFound(`no published post with slug "${slug}"${request.query.lang ? ` in language ${request.query.lang}` : ''}`);
      if ('redirect' in found) {
        const { slug: to, lang } = found.redirect;
        const params = new URLSearchParams();
        if (lang !== site.defaultLang || request.query.lang) params.set('lang', lang);
        if (request.query.format === 'text') params.set('format', 'text');
        const qs = params.toString();
        return reply.redirect(`/v1/posts/${encodeURIComponent(to)}${qs ? `?${qs}` : ''}`, 301);
      }
      const { post } = found;
      cacheable(reply, await changedAt(), [
        `post:${post.lang}/${post.slug}`,
        ...post.tags.map((t) => `tag:${t.slug}`),
        ...post.categories.map((c) => `category:${c.slug}`),
        ...post.authors.map((a) => `author:${a.slug}`),
      ]);
      return { data: post };
    },
  );

  app.get(
    '/export/posts',
    {
      schema: {
        operationId: 'exportPosts',
        summary: 'Every published post as NDJSON, streamed: one request for a static-site build',
        description:
          'One JSON object per line, oldest first, in the full shape unless view=summary or fields ' +
          'say otherwise. Takes the list\'s filters; no paging.',
        tags: ['posts'],
        querystring: ExportQuerySchema,
        response: {
          200: {
            description: 'Newline-delimited JSON: one PostListItem per line',
            content: { 'application/x-ndjson': { schema: PostListItemSchema } },
          },
          ...problemResponses(400),
        },
      },
    },
    async (request, reply) => {
      const lines = async function* () {
        for await (const post of streamPosts(db, request.query, { site, now })) yield `${JSON.stringify(post)}\n`;
      };
      const now = clock();
      cacheable(reply, await changedAt(), ['posts']);
      // A stream goes out as is: no serializer, no ETag; each line is already validated JSON.
      return reply.type('application/x-ndjson; charset=utf-8').send(Readable.from(lines()) as never);
    },
  );
};
