// POST /v1/admin/previews: a signed, expiring link to one draft or scheduled document, for
// authors to see it on the real frontend before it goes live. Under /v1/admin: the admin
// token is checked by the routes that register this.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createPreview,
  type Preview,
  type PreviewDeps,
  type PreviewRequest,
  PreviewRequestSchema,
  PreviewSchema,
} from '../../blog/previews.js';
import { ok } from '../../blog/schemas.js';
import { documented } from '../responses.js';
import { notFound } from '../problem-details.js';

/** The admin routes' own rate limit, when there is one. */
export type AdminRouteConfig = { rateLimit?: { max: number; timeWindow: string } };

export type PreviewRouteDeps = PreviewDeps;

export const previewRoutes: FastifyPluginAsyncZod<PreviewRouteDeps & { limit: AdminRouteConfig }> = async (app, deps) => {
  app.post(
    '/previews',
    {
      config: deps.limit,
      schema: {
        operationId: 'createPreview',
        summary: 'A preview link to a draft or scheduled document',
        description: 'Signed with a server secret (QUIRE_PREVIEW_SECRET), no table: rotating the secret revokes every link.',
        tags: ['admin'],
        security: [{ adminToken: [] }],
        body: PreviewRequestSchema,
        response: documented(ok('The preview link', PreviewSchema), { cached: false }, 400, 401, 404),
      },
    },
    async (request) => previewOrNotFound(deps, request.body),
  );
};

/** A preview link, or a 404 problem naming what was not found. */
export async function previewOrNotFound(deps: PreviewDeps, request: PreviewRequest): Promise<Preview> {
  const preview = await createPreview(deps, request);
  if (!preview) throw notFound(`no ${request.kind} with slug "${request.slug}"${request.lang ? ` in language ${request.lang}` : ''}`);
  return preview;
}
