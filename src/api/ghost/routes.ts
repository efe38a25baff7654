// /ghost/api/content/: a read-only Ghost Content API over the same public documents as /v1,
// for frontends written against Ghost (its official client, gatsby-source-ghost, the
// Eleventy and Next.js starters). Thin handlers: key, parameters, one query, Ghost's
// envelope. Caching, ETags and the response cache are /v1's (cacheable()).
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { cacheable } from '../plugins/delivery.js';
import type { ReadDeps } from '../routes/read-deps.js';
import type { GhostSettings } from '../../config.js';
import { toSlug } from '../../blog/slug.js';
import {
  browseDocuments,
  documentFilters,
  DOCUMENT_ORDER,
  DOCUMENT_TIE_BREAK,
  type GhostContext,
  type Kind,
  readDocument,
} from './documents.queries.js';
import { GhostError, ghostErrorHandler } from './errors.js';
import { filterSql } from './nql.js';
import { answers, operation } from './openapi.js';
import {
  GHOST_MAX_LIMIT,
  GhostBrowseQuerySchema,
  GhostIdParamsSchema,
  GhostReadQuerySchema,
  GhostSlugParamsSchema,
  orderSql,
  shapeOf,
} from './params.js';
import { GHOST_EMPTY_ENVELOPES, GHOST_EMPTY_LISTS, GHOST_ENVELOPES, type GhostPagination } from './schemas.js';
import { GhostSettingsResponseSchema, settingsOf } from './settings.js';
import { browseTerms, readTerm, TERM_ORDER, TERM_TIE_BREAK, termFilters, type TermKind } from './terms.queries.js';

/** Ghost 5 and 6 clients call /ghost/api/content/; older ones put their version in the path. */
export const GHOST_PREFIXES = ['/ghost/api/content', ...['v2', 'v3', 'v4', 'canary'].map((v) => `/ghost/api/${v}/content`)];

export interface GhostDeps extends ReadDeps, GhostSettings {}

export const GHOST_CANONICAL_PREFIX = GHOST_PREFIXES[0]!;

const RESOURCES: Record<Kind | TermKind, { plural: string; label: string }> = {
  post: { plural: 'posts', label: 'Post' },
  page: { plural: 'pages', label: 'Page' },
  tag: { plural: 'tags', label: 'Tag' },
  author: { plural: 'authors', label: 'Author' },
};

/**
 * The page size a browse gets: Ghost 6 answers `limit=all` with its maximum, 100, since one
 * request for a whole large site is a cost anyone holding the public key could make; with
 * QUIRE_GHOST_LIMIT_ALL=on, `all` is every item (Ghost 5), for starters that expect it.
 */
const pageSize = (limit: number | 'all', deps: GhostSettings): number | 'all' =>
  limit === 'all' && !deps.limitAll ? GHOST_MAX_LIMIT : limit;

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
  const ctx = (): GhostContext => ({
    origins: { site: deps.site.url, api: deps.apiUrl },
    lang: deps.site.defaultLang,
    now: deps.clock(),
    siteAuthor,
  });

  // The document lists the canonical prefix; the versioned ones are the same routes again.
  const hide = app.prefix !== GHOST_CANONICAL_PREFIX;
  const schema = operation(hide);
  // Every answer is JSON text already (PostgreSQL's, or JSON.stringify's): nothing to compile.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
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
    const envelopes = GHOST_ENVELOPES[listKey];
    const browse = schema({
      operationId: `ghostBrowse${label}s`,
      summary: `Public ${plural}: filter (NQL), order, page, include, fields, formats`,
      querystring: GhostBrowseQuerySchema,
      response: answers(`A page of ${plural}`, envelopes.browse, 400, 422),
    });
    app.get(`/${plural}/`, { schema: browse }, async (request, reply) => {
      const q = request.query;
      const size = pageSize(q.limit, deps);
      const limit = size === 'all' ? undefined : size;
      // Every document in one response: a bulk request, held to a few at a time.
      if (size === 'all') reply.raw.once('close', deps.bulk.take(`limit=all lists of ${plural}`));
      const shape = shapeOf(q, ['tags', 'authors', 'tiers'], plural);
      const order = orderSql(q.order, kind === 'post' ? 'published_at desc' : 'title asc', DOCUMENT_ORDER, DOCUMENT_TIE_BREAK, plural);
      const result = await browseDocuments(reader, kind, { where: filterSql(q.filter, filters), order, limit, page: q.page, shape }, ctx());
      cacheable(reply, await deps.changedAt(), [listKey, ...result.keys]);
      return sendJson(
        reply,
        `{"${plural}":[${result.items.join(',')}],"meta":${JSON.stringify({ pagination: pagination(q.page, size, result.total) })}}`,
      );
    });
    const read =
      (by: { id: string } | { slug: string }) => async (request: { query: Parameters<typeof shapeOf>[0] }, reply: FastifyReply) => {
        const found = await readDocument(reader, kind, by, shapeOf(request.query, ['tags', 'authors', 'tiers'], plural), ctx());
        if (!found) throw new GhostError('NotFoundError', `${label} not found.`);
        cacheable(reply, await deps.changedAt(), found.keys);
        // A single read is a one-element array with no meta (the official client unwraps it so).
        return sendJson(reply, `{"${plural}":[${found.json}]}`);
      };
    const bySlug = schema({
      operationId: `ghostRead${label}BySlug`,
      summary: `One public ${kind} by slug`,
      params: GhostSlugParamsSchema,
      querystring: GhostReadQuerySchema,
      response: answers(`The ${kind}, as a one-element array`, envelopes.read, 404, 422),
    });
    app.get(`/${plural}/slug/:slug/`, { schema: bySlug }, (request, reply) => read({ slug: request.params.slug })(request, reply));
    const byId = schema({ ...bySlug, operationId: `ghostRead${label}`, summary: `One public ${kind} by id`, params: GhostIdParamsSchema });
    app.get(`/${plural}/:id/`, { schema: byId }, (request, reply) => read({ id: request.params.id })(request, reply));
  }

  for (const kind of ['tag', 'author'] as const) {
    const { plural, label } = RESOURCES[kind];
    const envelopes = GHOST_ENVELOPES[kind === 'tag' ? 'tags' : 'authors'];
    const browse = schema({
      operationId: `ghostBrowse${label}s`,
      summary: `${label}s of public posts: filter (NQL), order, page, include=count.posts, fields`,
      querystring: GhostBrowseQuerySchema,
      response: answers(`A page of ${plural}`, envelopes.browse, 400, 422),
    });
    app.get(`/${plural}/`, { schema: browse }, async (request, reply) => {
      const q = request.query;
      const shape = shapeOf(q, ['count.posts'], plural);
      const order = orderSql(q.order, 'name asc', TERM_ORDER, TERM_TIE_BREAK, plural);
      const size = pageSize(q.limit, deps);
      const limit = size === 'all' ? undefined : size;
      const result = await browseTerms(
        reader,
        kind,
        { where: filterSql(q.filter, termFilters(kind)), order, limit, page: q.page, shape },
        ctx(),
      );
      cacheable(reply, await deps.changedAt(), [plural, ...result.keys]);
      return sendJson(
        reply,
        `{"${plural}":[${result.items.join(',')}],"meta":${JSON.stringify({ pagination: pagination(q.page, size, result.total) })}}`,
      );
    });
    const read =
      (by: { id: string } | { slug: string }) => async (request: { query: Parameters<typeof shapeOf>[0] }, reply: FastifyReply) => {
        const found = await readTerm(reader, kind, by, shapeOf(request.query, ['count.posts'], plural), ctx());
        if (!found) throw new GhostError('NotFoundError', `${label} not found.`);
        // Its count moves with the listings; its name with the term.
        cacheable(reply, await deps.changedAt(), [plural, `${kind}:${found.slug}`]);
        return sendJson(reply, `{"${plural}":[${found.json}]}`);
      };
    const bySlug = schema({
      operationId: `ghostRead${label}BySlug`,
      summary: `One ${kind} by slug`,
      params: GhostSlugParamsSchema,
      querystring: GhostReadQuerySchema,
      response: answers(`The ${kind}, as a one-element array`, envelopes.read, 404, 422),
    });
    app.get(`/${plural}/slug/:slug/`, { schema: bySlug }, (request, reply) => read({ slug: request.params.slug })(request, reply));
    const byId = schema({ ...bySlug, operationId: `ghostRead${label}`, summary: `One ${kind} by id`, params: GhostIdParamsSchema });
    app.get(`/${plural}/:id/`, { schema: byId }, (request, reply) => read({ id: request.params.id })(request, reply));
  }

  const settings = schema({
    operationId: 'ghostReadSettings',
    summary: 'The site: title, description, url, language, navigation',
    response: answers('The site settings', GhostSettingsResponseSchema),
  });
  app.get('/settings/', { schema: settings }, async (_request, reply) => {
    cacheable(reply, await deps.changedAt(), ['settings']);
    return sendJson(reply, JSON.stringify({ settings: settingsOf(deps.site), meta: {} }));
  });

  // What the official client knows and Quire has none of (no members, no paid tiers): empty
  // lists, so a frontend that asks does not crash on a 404.
  for (const plural of GHOST_EMPTY_LISTS) {
    const empty = schema({
      operationId: `ghostBrowse${plural[0]!.toUpperCase()}${plural.slice(1)}`,
      summary: `Always an empty list (Quire has no ${plural}), so clients that ask do not crash`,
      querystring: GhostBrowseQuerySchema,
      response: answers(`No ${plural}`, GHOST_EMPTY_ENVELOPES[plural], 422),
    });
    app.get(`/${plural}/`, { schema: empty }, async (request, reply) => {
      cacheable(reply, await deps.changedAt(), ['settings']);
      return sendJson(
        reply,
        JSON.stringify({ [plural]: [], meta: { pagination: pagination(request.query.page, pageSize(request.query.limit, deps), 0) } }),
      );
    });
  }
  // Not in the document: an operation that never succeeds (the ghost tag says it is there).
  app.get('/offers/:id/', { schema: { hide: true, params: GhostIdParamsSchema } }, async () => {
    throw new GhostError('NotFoundError', 'Offer not found.');
  });
};
