// /v1/posts, /v1/search, /v1/export/posts: thin handlers over the document queries.
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getDocument } from '../../blog/documents.queries.js';
import { streamPosts } from '../../blog/lists.queries.js';
import { DocumentQuerySchema, ExportQuerySchema, PostListQuerySchema, SearchQuerySchema, SlugParamsSchema } from '../../blog/params.js';
import { ok, PostFieldsSchema, PostListSchema, PostResponseSchema, SearchResultsSchema } from '../../blog/schemas.js';
import { cacheable } from '../plugins/delivery.js';
import { documented } from '../responses.js';
import { previewOf, type ReadDeps, readContext } from './read-deps.js';
import { sendDocument, sendPostList } from './read-responses.js';

export const postRoutes: FastifyPluginAsyncZod<ReadDeps> = async (app, deps) => {
  const { reader, site, clock } = deps;

  app.get(
    '/posts',
    {
      schema: {
        operationId: 'listPosts',
        summary: 'Published posts: filter, sort, search, page or cursor',
        description:
          'Every filter takes slugs. Filters combine with AND; several values within one filter mean any ' +
          'of them (all of them for tagAll). With q, posts are searched (within one language: lang, else ' +
          'the default) and sorted by relevance unless sort says otherwise. With cursor, page is ignored.',
        tags: ['posts'],
        querystring: PostListQuerySchema,
        response: documented(ok('A page of posts', PostListSchema), { list: true }, 400),
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
          'PostgreSQL full-text search with websearch syntax ("a phrase", -excluded, or); title weighs more ' +
          'than description, description more than body. Each hit carries rank and snippet.',
        tags: ['posts'],
        querystring: SearchQuerySchema,
        response: documented(ok('A page of search hits', SearchResultsSchema), { list: true }, 400),
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
        description:
          "An old slug (one of the post's aliases, or a slug it had before) answers 301 with the post's " +
          'current URL. With preview, a draft or scheduled post opens to the holder of its token (never cached).',
        tags: ['posts'],
        params: SlugParamsSchema,
        querystring: DocumentQuerySchema,
        response: documented(ok('The post', PostResponseSchema), { redirect: true }, 400, 404),
      },
    },
    async (request, reply) => {
      const { slug } = request.params;
      const { lang, format, preview } = request.query;
      const previewId = previewOf(deps, reply, preview);
      const hidden = `no published post with slug "${slug}"${lang ? ` in language ${lang}` : ''}`;
      const found = await getDocument(
        reader,
        { kind: 'post', slug },
        { ...(lang && { lang }), text: format === 'text', ...(previewId !== undefined && { previewId }) },
        readContext(deps),
      );
      return sendDocument(deps, reply, found, hidden, (to) => {
        const params = new URLSearchParams();
        if (to.lang !== site.defaultLang || lang) params.set('lang', to.lang);
        if (format === 'text') params.set('format', 'text');
        const qs = params.toString();
        return `/v1/posts/${encodeURIComponent(to.slug)}${qs ? `?${qs}` : ''}`;
      });
    },
  );

  app.get(
    '/export/posts',
    {
      schema: {
        operationId: 'exportPosts',
        summary: 'Every published post as NDJSON, streamed: one request for a static-site build',
        description:
          'One JSON object per line, oldest first: whole posts (Post), or summaries with view=summary, or ' +
          "only the named fields (PostFields) with fields. Takes the list's filters; no paging.",
        tags: ['posts'],
        querystring: ExportQuerySchema,
        response: documented(
          {
            description: 'Newline-delimited JSON: one post per line',
            content: {
              'application/x-ndjson': {
                schema: z
                  .string()
                  .describe('One JSON object a line, each a PostFields (contentSchema): whole posts, summaries, or the fields asked for'),
                itemSchema: PostFieldsSchema,
              },
            },
          },
          {},
          400,
          503,
        ),
      },
    },
    async (request, reply) => {
      const now = clock();
      // The slot is held until the response is done, whether it ends, fails or is cut short.
      reply.raw.once('close', deps.bulk.take('exports'));
      const lines = async function* () {
        for await (const json of streamPosts(reader, request.query, readContext(deps, now))) yield `${json}\n`;
      };
      cacheable(reply, await deps.changedAt(), ['posts']);
      reply.cacheKeys = undefined; // a stream is never kept whole
      // A stream goes out as is: no serializer, no ETag; each line is already JSON.
      return reply.type('application/x-ndjson; charset=utf-8').send(Readable.from(lines()));
    },
  );
};
