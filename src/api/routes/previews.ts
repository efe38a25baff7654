// POST /v1/admin/previews: a signed, expiring link to one draft or scheduled document, for
// authors to see it on the real frontend before it goes live. Under /v1/admin: the admin
// token is checked by the routes that register this.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PreviewSettings, Site } from '../../config.js';
import { signPreview } from '../../blog/previews.js';
import { Lang, ok, Slug } from '../../blog/schemas.js';
import type { Db } from '../../db/client.js';
import { documented } from '../responses.js';
import { notFound } from '../problems.js';

/** The admin routes' own rate limit, when there is one. */
export type AdminRouteConfig = { rateLimit?: { max: number; timeWindow: string } };

export const PreviewRequestSchema = z
  .strictObject({
    slug: Slug,
    lang: Lang.optional().describe('Its language, when the slug exists in several (default: QUIRE_DEFAULT_LANG)'),
    kind: z.enum(['post', 'page']).default('post'),
    minutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 30)
      .optional()
      .describe('How long the link works (default: QUIRE_PREVIEW_TTL)'),
  })
  .meta({ id: 'PreviewRequest' });

const PreviewSchema = z
  .object({
    token: z.string().describe('Pass as ?preview= to /v1/posts/:slug, /v1/pages/:slug or /v1/resolve'),
    url: z.string().describe('The document through the API, with its token'),
    siteUrl: z.string().describe('The document on the site, with ?preview=: for a frontend that passes the token on'),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'Preview' });
export type Preview = z.infer<typeof PreviewSchema>;

export interface PreviewRouteDeps {
  db: Db;
  previews: PreviewSettings;
  site: Site;
  apiUrl: string;
  /** The app's time: a link lasts its minutes on the same clock that checks it. */
  clock: () => Date;
}

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
    async (request) => createPreview(deps, request.body),
  );
};

/** A signed link to one document (its default language's, unless asked); not found: a 404 problem. */
export async function createPreview(deps: PreviewRouteDeps, request: z.infer<typeof PreviewRequestSchema>): Promise<Preview> {
  const { slug, lang, kind, minutes } = request;
  const doc = await deps.db.post.findFirst({
    where: { slug, kind, ...(lang && { lang }) },
    orderBy: [{ lang: 'asc' }],
    select: { id: true, slug: true, lang: true, path: true, urlPath: true },
  });
  const chosen =
    doc && !lang && doc.lang !== deps.site.defaultLang
      ? ((await deps.db.post.findFirst({
          where: { slug, kind, lang: deps.site.defaultLang },
          select: { id: true, slug: true, lang: true, path: true, urlPath: true },
        })) ?? doc)
      : doc;
  if (!chosen) throw notFound(`no ${kind} with slug "${slug}"${lang ? ` in language ${lang}` : ''}`);
  const expiresAt = new Date(deps.clock().getTime() + (minutes ? minutes * 60_000 : deps.previews.ttlMs));
  const token = signPreview(deps.previews.secret, chosen.id, expiresAt);
  const langQuery = chosen.lang !== deps.site.defaultLang ? `&lang=${chosen.lang}` : '';
  return {
    token,
    url: `${deps.apiUrl}/v1/${kind}s/${encodeURIComponent(chosen.slug)}?preview=${token}${langQuery}`,
    siteUrl: `${deps.site.url}${chosen.urlPath}?preview=${token}`,
    expiresAt: expiresAt.toISOString(),
  };
}
