// /v1/pages: the site's pages (About, Uses), listed and one by slug; never in post lists or feeds.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getDocument, listPages } from '../../blog/documents.queries.js';
import { DocumentQuerySchema, PagesQuerySchema, SlugParamsSchema } from '../../blog/params.js';
import { ok, PageListSchema, PageResponseSchema } from '../../blog/schemas.js';
import { sendList } from '../pagination.js';
import { cacheable } from '../plugins/delivery.js';
import { documented } from '../responses.js';
import { previewOf, type ReadDeps, readContext } from './read-deps.js';
import { sendDocument } from './read-responses.js';

export const pageRoutes: FastifyPluginAsyncZod<ReadDeps> = async (app, deps) => {
  const { reader, site } = deps;

  app.get(
    '/pages',
    {
      schema: {
        operationId: 'listPages',
        summary: 'Published pages, by title',
        tags: ['pages'],
        querystring: PagesQuerySchema,
        response: documented(ok('A page of pages', PageListSchema), { list: true }, 400),
      },
    },
    async (request, reply) => {
      const result = await listPages(reader, request.query, readContext(deps));
      cacheable(reply, await deps.changedAt(), ['pages', ...result.keys]);
      return sendList(request, reply, request.query, result);
    },
  );

  app.get(
    '/pages/:slug',
    {
      schema: {
        operationId: 'getPage',
        summary: 'One published page',
        description: 'An old slug answers 301. With preview, a draft page opens to the holder of its token (never cached).',
        tags: ['pages'],
        params: SlugParamsSchema,
        querystring: DocumentQuerySchema,
        response: documented(ok('The page', PageResponseSchema), { redirect: true }, 400, 404),
      },
    },
    async (request, reply) => {
      const { slug } = request.params;
      const { lang, format, preview } = request.query;
      const previewId = previewOf(deps, reply, preview);
      const hidden = `no published page with slug "${slug}"${lang ? ` in language ${lang}` : ''}`;
      const found = await getDocument(
        reader,
        { kind: 'page', slug },
        { ...(lang && { lang }), text: format === 'text', ...(previewId !== undefined && { previewId }) },
        readContext(deps),
      );
      return sendDocument(
        deps,
        reply,
        found,
        hidden,
        (to) => `/v1/pages/${encodeURIComponent(to.slug)}${to.lang !== site.defaultLang || lang ? `?lang=${to.lang}` : ''}`,
      );
    },
  );
};
