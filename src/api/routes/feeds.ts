// Feeds (RSS 2.0, Atom, JSON Feed) for the whole blog and for each tag, category and
// author; and sitemap.xml. Absolute URLs come from QUIRE_SITE_URL.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listPosts } from '../../blog/lists.queries.js';
import { FEED_FORMATS, type FeedFormat, JsonFeedSchema, renderFeed } from '../../blog/feeds.js';
import { FeedQuerySchema, SlugParamsSchema } from '../../blog/params.js';
import type { Post, Taxonomy } from '../../blog/schemas.js';
import { countSitemapUrls, SITEMAP_MAX_URLS, sitemapIndex, sitemapUrlSet } from '../../blog/sitemap.js';
import type { TaxonomyKind } from '../../blog/taxonomies.js';
import { getTaxonomy } from '../../blog/taxonomies.queries.js';
import { cacheable } from '../plugins/delivery.js';
import { documented } from '../responses.js';
import { notFound } from '../problem-details.js';
import { type ReadDeps, readContext } from './read-deps.js';
import { listKeys } from './read-responses.js';

const PATHS: Record<TaxonomyKind, string> = { tag: 'tags', category: 'categories', author: 'authors' };

const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

/** The feed's body schema: JSON Feed's own for .json, text for the XML formats. */
function feedResponse(format: FeedFormat, description: string) {
  const type = FEED_FORMATS[format].type.split(';')[0]!;
  return { description, content: { [type]: { schema: format === 'json' ? JsonFeedSchema : z.string().describe('The feed document') } } };
}

export const feedRoutes: FastifyPluginAsyncZod<ReadDeps> = async (app, deps) => {
  const { reader, site, clock, changedAt } = deps;
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
      const json = await getTaxonomy(reader, scope.kind, scope.slug, now);
      if (!json) throw notFound(`no ${scope.kind} "${scope.slug}" with published posts`);
      title = `${site.title}: ${(JSON.parse(json) as Taxonomy).name}`;
      path = `/v1/${PATHS[scope.kind]}/${encodeURIComponent(scope.slug)}/feed`;
      siteLink = `${site.url}/${PATHS[scope.kind]}/${encodeURIComponent(scope.slug)}`;
    }
    const filter = scope && { [scope.kind]: [scope.slug] };
    const page = await listPosts(reader, { ...query, ...filter, view: 'full' }, readContext(deps, now));
    const posts = page.items.map((json) => JSON.parse(json) as Post);
    const updated = await changedAt();
    cacheable(reply, updated, ['feeds', ...listKeys({ ...filter }, page.keys)]);
    const body = renderFeed(
      site,
      origin(request),
      { title, path, siteLink, updated, ...(query.lang && { lang: query.lang }) },
      posts,
      format,
    );
    return reply.type(FEED_FORMATS[format].type).send(body);
  }

  for (const [format, { extension }] of Object.entries(FEED_FORMATS) as [FeedFormat, (typeof FEED_FORMATS)[FeedFormat]][]) {
    const name = { rss: 'RSS 2.0', atom: 'Atom 1.0', json: 'JSON Feed 1.0' }[format];
    app.get(
      `/v1/feed.${extension}`,
      {
        schema: {
          operationId: `${format}Feed`,
          summary: `The newest posts as ${name}`,
          tags: ['feeds'],
          querystring: FeedQuerySchema,
          response: documented(feedResponse(format, `The feed (${name})`), {}, 400),
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
            response: documented(feedResponse(format, `The feed (${name})`), {}, 400, 404),
          },
        },
        (request, reply) => sendFeed(request, reply, format, request.query, { kind, slug: request.params.slug }),
      );
    }
  }

  registerSitemap(app, deps);
};

function registerSitemap(app: FastifyInstance, { reader, site, clock, changedAt }: ReadDeps) {
  const xml = 'application/xml; charset=utf-8';
  const body = { description: 'A sitemap, or a sitemap index past 50,000 URLs', content: { 'application/xml': { schema: z.string() } } };
  app.withTypeProvider().get(
    '/sitemap.xml',
    {
      schema: {
        operationId: 'sitemap',
        summary: "Every published post's and page's URL on the site",
        tags: ['feeds'],
        response: documented(body, {}),
      },
    },
    async (request, reply) => {
      const now = clock();
      const total = await countSitemapUrls(reader, now);
      const updated = await changedAt();
      cacheable(reply, updated, ['posts', 'pages', 'sitemap']);
      const parts = Math.ceil(total / SITEMAP_MAX_URLS);
      const text = parts > 1 ? sitemapIndex(origin(request), parts, updated) : await sitemapUrlSet(reader, site, 1, now);
      return reply.type(xml).send(text);
    },
  );
  app.get<{ Params: { n: string } }>('/sitemap-:n.xml', { schema: { hide: true } }, async (request, reply) => {
    const now = clock();
    const part = Number(request.params.n);
    const parts = Math.ceil((await countSitemapUrls(reader, now)) / SITEMAP_MAX_URLS);
    if (!Number.isInteger(part) || part < 1 || part > parts) throw notFound(`no sitemap part ${request.params.n}`);
    cacheable(reply, await changedAt(), ['posts', 'pages', 'sitemap']);
    return reply.type(xml).send(await sitemapUrlSet(reader, site, part, now));
  });
}
