// Feeds (RSS 2.0, Atom, JSON Feed) for the whole blog and for each tag, category and
// author; and sitemap.xml. Absolute URLs come from QUIRE_SITE_URL.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FEED_FORMATS, type FeedFormat, renderFeed } from '../../blog/feeds.js';
import { listPosts } from '../../blog/posts.queries.js';
import { Lang, SlugParamsSchema } from '../../blog/schemas.js';
import { countSitemapUrls, SITEMAP_MAX_URLS, sitemapIndex, sitemapUrlSet } from '../../blog/sitemap.js';
import { getTaxonomy, type TaxonomyKind } from '../../blog/taxonomies.queries.js';
import { cacheable } from '../plugins/delivery.js';
import { notFound, problemResponses } from '../problems.js';
import { listKeys, type ReadDeps } from './posts.js';

const FeedQuerySchema = z.strictObject({
  lang: Lang.optional().describe('Posts in this language only'),
  limit: z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100')
    .default(20)
    .describe('The newest posts, at most 100'),
});

const PATHS: Record<TaxonomyKind, string> = { tag: 'tags', category: 'categories', author: 'authors' };

const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

function xmlResponse(type: string, description: string) {
  return { 200: { description, content: { [type.split(';')[0]!]: { schema: z.string() } } } };
}

export const feedRoutes: FastifyPluginAsyncZod<ReadDeps> = async (app, deps) => {
  const { db, site, clock, changedAt } = deps;
  async function sendFeed(
    request: FastifyRequest,
    reply: FastifyReply,
    format: FeedFormat,
    query: z.infer<typeof FeedQuerySchema>,
    scope?: { kind: TaxonomyKind; slug: string },
  ) {
    const now = clock();
    let title = site.title;
    let path = '/v1/feed';
    let siteLink = site.url;
    if (scope) {
      const term = await getTaxonomy(db, scope.kind, scope.slug, now);
      if (!term) throw notFound(`no ${scope.kind} "${scope.slug}" with published posts`);
      title = `${site.title}: ${term.name}`;
      path = `/v1/${PATHS[scope.kind]}/${encodeURIComponent(scope.slug)}/feed`;
      siteLink = `${site.url}/${PATHS[scope.kind]}/${encodeURIComponent(scope.slug)}`;
    }
    const filter = scope && { [scope.kind]: [scope.slug] };
    const { items } = await listPosts(db, { ...query, ...filter, view: 'full' }, { site, now });
    const updated = await changedAt();
    cacheable(reply, updated, ['feeds', ...listKeys({ ...filter }, items)]);
    const body = renderFeed(site, origin(request), { title, path, siteLink, updated, ...(query.lang && { lang: query.lang }) }, items, format);
    return reply.type(FEED_FORMATS[format].type).send(body);
  }

  for (const [format, { extension, type }] of Object.entries(FEED_FORMATS) as [FeedFormat, (typeof FEED_FORMATS)[FeedFormat]][]) {
    const name = { rss: 'RSS 2.0', atom: 'Atom 1.0', json: 'JSON Feed 1.0' }[format];
    app.get(
      `/v1/feed.${extension}`,
      {
        schema: {
          operationId: `${format}Feed`,
          summary: `The newest posts as ${name}`,
          tags: ['feeds'],
          querystring: FeedQuerySchema,
          response: { ...xmlResponse(type, `The feed (${name})`), ...problemResponses(400) },
        },
      },
      (request, reply) => sendFeed(request, reply, format, request.query),
    );
    for (const [kind, plural] of Object.entries(PATHS) as [TaxonomyKind, string][]) {
      app.get(
        `/v1/${plural}/:slug/feed.${extension}`,
        {
          schema: {
            operationId: `${kind}${format[0]!.toUpperCase()}${format.slice(1)}Feed`,
            summary: `The newest posts of one ${kind} as ${name}`,
            tags: ['feeds'],
            params: SlugParamsSchema,
            querystring: FeedQuerySchema,
            response: { ...xmlResponse(type, `The feed (${name})`), ...problemResponses(400, 404) },
          },
        },
        (request, reply) => sendFeed(request, reply, format, request.query, { kind, slug: request.params.slug }),
      );
    }
  }

  registerSitemap(app, deps);
};

function registerSitemap(app: FastifyInstance, { db, site, clock, changedAt }: ReadDeps) {
  const xml = 'application/xml; charset=utf-8';
  app.withTypeProvider().get(
    '/sitemap.xml',
    {
      schema: {
        operationId: 'sitemap',
        summary: 'Every published post\'s URL on the site (an index of parts past 50,000)',
        tags: ['feeds'],
        response: xmlResponse(xml, 'A sitemap, or a sitemap index'),
      },
    },
    async (request, reply) => {
      const now = clock();
      const total = await countSitemapUrls(db, now);
      const updated = await changedAt();
      cacheable(reply, updated, ['posts', 'sitemap']);
      const parts = Math.ceil(total / SITEMAP_MAX_URLS);
      const body = parts > 1 ? sitemapIndex(origin(request), parts, updated) : await sitemapUrlSet(db, site, 1, now);
      return reply.type(xml).send(body);
    },
  );
  app.get<{ Params: { n: string } }>(
    '/sitemap-:n.xml',
    { schema: { hide: true } },
    async (request, reply) => {
      const now = clock();
      const part = Number(request.params.n);
      const parts = Math.ceil((await countSitemapUrls(db, now)) / SITEMAP_MAX_URLS);
      if (!Number.isInteger(part) || part < 1 || part > parts) throw notFound(`no sitemap part ${request.params.n}`);
      cacheable(reply, await changedAt(), ['posts', 'sitemap']);
      return reply.type(xml).send(await sitemapUrlSet(db, site, part, now));
    },
  );
}
