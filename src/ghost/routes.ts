// /ghost/api/content/: a read-only Ghost Content API over the same public documents as /v1,
// for frontends written against Ghost (its official client, gatsby-source-ghost, the
// Eleventy and Next.js starters). Thin handlers: key, parameters, one query, Ghost's
// envelope. Caching, ETags and the response cache are /v1's (cacheable()).
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { cacheable } from '../api/plugins/delivery.js';
import type { ReadDeps } from '../api/routes/read-deps.js';
import { toSlug } from '../importer/slug.js';
import { browseDocuments, documentFilters, DOCUMENT_ORDER, DOCUMENT_TIE_BREAK, type GhostContext, type Kind, readDocument } from './documents.queries.js';
import { GhostError, ghostErrorHandler } from './errors.js';
import { filterSql } from './nql.js';
import { orderSql, shapeOf } from './params.js';
import { GhostBrowseQuerySchema, GhostIdParamsSchema, type GhostPagination, GhostReadQuerySchema, GhostSlugParamsSchema } from './schemas.js';
import { settingsOf } from './settings.js';
import { browseTerms, readTerm, TERM_ORDER, TERM_TIE_BREAK, termFilters, type TermKind } from './terms.queries.js';

/** Ghost 5 and 6 clients call /ghost/api/content/; older ones put their version in the path. */
export const GHOST_PREFIXES = ['/ghost/api/content', ...['v2', 'v3', 'v4', 'canary'].map((v) => `/ghost/api/${v}/content`)];

export interface GhostDeps extends ReadDeps {
  /** Content API keys accepted in ?key=. */
  keys: readonly string[];
}

// Not in the OpenAPI document: this is Ghost's contract (its docs and its client describe
// it), with Ghost's error shape where the document promises problem+json (docs/ghost.md).
const hide = true;

const RESOURCES: Record<Kind | TermKind, { plural: string; label: string }> = {
  post: { plural: 'posts', label: 'Post' },
  page: { plural: 'pages', label: 'Page' },
  tag: { plural: 'tags', label: 'Tag' },
  author: { plural: 'authors', label: 'Author' },
};

export function pagination(page: number, limit: number | 'all', total: number): GhostPagination {
  if (limit === 'all') return { page: 1, limit, pages: 1, total, next: null, prev: null };
  const pages = Math.max(1, Math.ceil(total / limit));
  return { page, limit, pages, total, next: page < pages ? page + 1 : null, prev: page > 1 ? page - 1 : null };
}

const sendJson = (reply: FastifyReply, body: string) => reply.type('application/json; charset=utf-8').send(body);

export const ghostRoutes: FastifyPluginAsyncZod<GhostDeps> = async (app, deps) => {
  const { reader } = deps;
  const keys = new Set(deps.keys);
  const siteAuthor = { slug: toSlug(deps.site.title) || 'site', name: deps.site.title };
  const filters = documentFilters(siteAuthor);
  const ctx = (): GhostContext => ({ origins: { site: deps.site.url, api: deps.apiUrl }, lang: deps.site.defaultLang, now: deps.clock(), siteAuthor });

  app.setErrorHandler(ghostErrorHandler);
  app.setNotFoundHandler(async () => {
    throw new GhostError('NotFoundError', 'Resource not found');
  });
  // Ghost's order: no key is 403, an unknown one 401, before anything else is looked at. The
  // keys are public by design (they ship in frontends): a Set lookup, as Ghost does.
  app.addHook('onRequest', async (request) => {
    const { key } = request.query as { key?: unknown };
    if (key === undefined || key === '') {
      throw new GhostError(
        'NoPermissionError',
        'Authorization failed',
        'Unable to determine the authenticated member or integration. Check the supplied Content API Key and ensure cookies are being passed through if member auth is failing.',
      );
    }
    if (typeof key !== 'string' || !keys.has(key)) throw new GhostError('UnauthorizedError', 'Unknown Content API Key');
  });

  for (const kind of ['post', 'page'] as const) {
    const { plural, label } = RESOURCES[kind];
    const listKey = kind === 'post' ? 'posts' : 'pages';
    app.get(`/${plural}/`, { schema: { hide, querystring: GhostBrowseQuerySchema } }, async (request, reply) => {
      const q = request.query;
      const limit = q.limit === 'all' ? undefined : q.limit;
      const shape = shapeOf(q, ['tags', 'authors', 'tiers'], plural);
      const order = orderSql(q.order, kind === 'post' ? 'published_at desc' : 'title asc', DOCUMENT_ORDER, DOCUMENT_TIE_BREAK, plural);
      const result = await browseDocuments(reader, kind, { where: filterSql(q.filter, filters), order, limit, page: q.page, shape }, ctx());
      cacheable(reply, await deps.changedAt(), [listKey, ...result.keys]);
      return sendJson(reply, `{"${plural}":[${result.items.join(',')}],"meta":${JSON.stringify({ pagination: pagination(q.page, q.limit, result.total) })}}`);
    });
    const read = (by: { id: string } | { slug: string }) => async (request: { query: Parameters<typeof shapeOf>[0] }, reply: FastifyReply) => {
      const found = await readDocument(reader, kind, by, shapeOf(request.query, ['tags', 'authors', 'tiers'], plural), ctx());
      if (!found) throw new GhostError('NotFoundError', `${label} not found.`);
      cacheable(reply, await deps.changedAt(), found.keys);
      // A single read is a one-element array with no meta (the official client unwraps it so).
      return sendJson(reply, `{"${plural}":[${found.json}]}`);
    };
    app.get(`/${plural}/slug/:slug/`, { schema: { hide, params: GhostSlugParamsSchema, querystring: GhostReadQuerySchema } }, (request, reply) =>
      read({ slug: request.params.slug })(request, reply),
    );
    app.get(`/${plural}/:id/`, { schema: { hide, params: GhostIdParamsSchema, querystring: GhostReadQuerySchema } }, (request, reply) =>
      read({ id: request.params.id })(request, reply),
    );
  }

  for (const kind of ['tag', 'author'] as const) {
    const { plural, label } = RESOURCES[kind];
    app.get(`/${plural}/`, { schema: { hide, querystring: GhostBrowseQuerySchema } }, async (request, reply) => {
      const q = request.query;
      const shape = shapeOf(q, ['count.posts'], plural);
      const order = orderSql(q.order, 'name asc', TERM_ORDER, TERM_TIE_BREAK, plural);
      const limit = q.limit === 'all' ? undefined : q.limit;
      const result = await browseTerms(reader, kind, { where: filterSql(q.filter, termFilters(kind)), order, limit, page: q.page, shape }, ctx());
      cacheable(reply, await deps.changedAt(), [plural, ...result.keys]);
      return sendJson(reply, `{"${plural}":[${result.items.join(',')}],"meta":${JSON.stringify({ pagination: pagination(q.page, q.limit, result.total) })}}`);
    });
    const read = (by: { id: string } | { slug: string }) => async (request: { query: Parameters<typeof shapeOf>[0] }, reply: FastifyReply) => {
      const found = await readTerm(reader, kind, by, shapeOf(request.query, ['count.posts'], plural), ctx());
      if (!found) throw new GhostError('NotFoundError', `${label} not found.`);
      // Its count moves with the listings; its name with the term.
      cacheable(reply, await deps.changedAt(), [plural, `${kind}:${found.slug}`]);
      return sendJson(reply, `{"${plural}":[${found.json}]}`);
    };
    app.get(`/${plural}/slug/:slug/`, { schema: { hide, params: GhostSlugParamsSchema, querystring: GhostReadQuerySchema } }, (request, reply) =>
      read({ slug: request.params.slug })(request, reply),
    );
    app.get(`/${plural}/:id/`, { schema: { hide, params: GhostIdParamsSchema, querystring: GhostReadQuerySchema } }, (request, reply) =>
      read({ id: request.params.id })(request, reply),
    );
  }

  app.get('/settings/', { schema: { hide } }, async (_request, reply) => {
    cacheable(reply, await deps.changedAt(), ['settings']);
    return sendJson(reply, JSON.stringify({ settings: settingsOf(deps.site), meta: {} }));
  });

  // What the official client knows and Quire has none of (no members, no paid tiers): empty
  // lists, so a frontend that asks does not crash on a 404.
  for (const plural of ['tiers', 'newsletters', 'offers', 'recommendations']) {
    app.get(`/${plural}/`, { schema: { hide, querystring: GhostBrowseQuerySchema } }, async (request, reply) => {
      cacheable(reply, await deps.changedAt(), ['settings']);
      return sendJson(reply, JSON.stringify({ [plural]: [], meta: { pagination: pagination(request.query.page, request.query.limit, 0) } }));
    });
  }
  app.get('/offers/:id/', { schema: { hide, params: GhostIdParamsSchema } }, async () => {
    throw new GhostError('NotFoundError', 'Offer not found.');
  });
};
