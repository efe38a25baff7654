// /v1/resolve?path=: the document at a path of the site, post or page, for a frontend whose
// routes are the site's own URLs (a catch-all route asks here). An old path answers 301.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getDocument } from '../../blog/documents.queries.js';
import { ResolveQuerySchema } from '../../blog/params.js';
import { DocumentResponseSchema, ok } from '../../blog/schemas.js';
import { documented } from '../responses.js';
import { previewOf, type ReadDeps, readContext } from './read-deps.js';
import { sendDocument } from './read-responses.js';

export const resolveRoutes: FastifyPluginAsyncZod<ReadDeps> = async (app, deps) => {
  const { reader } = deps;
  app.get(
    '/resolve',
    {
      schema: {
        operationId: 'resolvePath',
        summary: 'The post or page at a path of the site',
        description:
          "For frontends that serve the site's own URLs: the document whose path is the one given " +
          '(with or without a trailing slash), its kind telling post from page. An old path (an alias, ' +
          'or a path the document had before) answers 301 to /v1/resolve with its current path.',
        tags: ['posts', 'pages'],
        querystring: ResolveQuerySchema,
        response: documented(ok('The document at that path', DocumentResponseSchema), { redirect: true }, 400, 404),
      },
    },
    async (request, reply) => {
      const { path, lang, format, preview } = request.query;
      const previewId = previewOf(deps, reply, preview);
      const hidden = `no published document at ${path}`;
      const found = await getDocument(
        reader,
        { path },
        { ...(lang && { lang }), text: format === 'text', ...(previewId !== undefined && { previewId }) },
        readContext(deps),
      );
      return sendDocument(
        deps,
        reply,
        found,
        hidden,
        (to) => `/v1/resolve?${new URLSearchParams({ path: to.path, ...(lang && { lang: to.lang }) }).toString()}`,
      );
    },
  );
};
