// How responses travel: CORS, compression, security headers, and HTTP caching (ETag,
// Last-Modified, conditional GETs answered 304, Cache-Control for CDNs, surrogate keys
// so a CDN can purge just what an import changed).
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import etag from '@fastify/etag';
import helmet from 'helmet';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { constants as zlib } from 'node:zlib';
import type { ContentWatch } from '../../db/content-watch.js';
import { fillCache, type ResponseCache, serveFromCache } from './response-cache.js';

export interface DeliverySettings {
  /** Origins allowed by CORS; ["*"] for any. */
  corsOrigins: readonly string[];
  /** Seconds: max-age for browsers, s-maxage for shared caches, stale-while-revalidate. */
  cache: { maxAge: number; sMaxAge: number; staleWhileRevalidate: number };
}

export const DEFAULT_DELIVERY: DeliverySettings = {
  corsOrigins: ['*'],
  cache: { maxAge: 60, sMaxAge: 300, staleWhileRevalidate: 86_400 },
};

/**
 * Marks a response as public content: when it last changed, and the keys to purge it by.
 * Keys are percent-encoded (a slug may be 日本語), as a header carries ASCII only.
 */
export function cacheable(reply: FastifyReply, lastModified: Date, keys: Iterable<string>): void {
  reply.header('last-modified', lastModified.toUTCString());
  const all = [...new Set([...keys].map((k) => encodeURI(k)))];
  // CDNs cap the header (Fastly at 16 KB): past that, collection keys still purge it.
  let header = all.join(' ');
  if (header.length > 8_000) header = all.filter((k) => !k.includes(':')).join(' ');
  if (header) reply.header('surrogate-key', header);
}

/**
 * Helmet's headers, worked out once. Its middleware (and @fastify/helmet, which rebuilds it
 * on every request) recomputes the same static values per request: a third of a cached
 * response's cost. /docs sets its own policy for Swagger UI's assets. HSTS is apart: it is
 * sent only on responses that came over https (see below).
 */
function securityHeaders(): { always: Record<string, string>; hsts: string } {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet({
    // An API's responses are data, never documents to run: nothing may load or frame them.
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginEmbedderPolicy: false,
    // Headers for browsers and plugins of the past, which no API client reads.
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
    originAgentCluster: false,
  })({} as never, res as never, () => {});
  const { 'strict-transport-security': hsts = 'max-age=31536000; includeSubDomains', ...always } = headers;
  return { always, hsts };
}

/** A response no shared cache may keep (admin, health, errors). */
export const uncacheable = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

export async function registerDelivery(
  app: FastifyInstance,
  settings: DeliverySettings,
  cached?: { cache: ResponseCache; watch: ContentWatch },
): Promise<void> {
  const { maxAge, sMaxAge, staleWhileRevalidate } = settings.cache;
  const publicCache = `public, max-age=${maxAge}, s-maxage=${sMaxAge}, stale-while-revalidate=${staleWhileRevalidate}`;

  await app.register(cors, {
    origin: settings.corsOrigins.includes('*') ? '*' : [...settings.corsOrigins],
    methods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    exposedHeaders: ['etag', 'last-modified', 'link', 'location', 'retry-after'],
    maxAge: 86_400,
    // An OPTIONS request that is not a full preflight is answered 204, not a text/plain 400.
    strictPreflight: false,
  });
  const security = securityHeaders();
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(security.always);
    // Over plain http, HSTS is ignored by browsers at best; at worst (a proxy that later
    // adds TLS, a host name shared with other services) it pins https where none is served.
    // The protocol is the client's only through a trusted proxy (QUIRE_TRUST_PROXY).
    if (request.protocol === 'https') reply.header('strict-transport-security', security.hsts);
  });
  // Weak: the same content compressed two ways is still the same content.
  await app.register(etag, { weak: true });
  if (cached) serveFromCache(app, cached.cache, cached.watch);

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return payload;
    if (reply.statusCode >= 400 || reply.statusCode === 503) {
      reply.header('cache-control', 'no-store');
      return payload;
    }
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', publicCache);
    // If-None-Match wins when present (the etag plugin answers it); else If-Modified-Since.
    const since = request.headers['if-modified-since'];
    const modified = reply.getHeader('last-modified');
    if (reply.statusCode === 200 && !request.headers['if-none-match'] && since && typeof modified === 'string') {
      const sinceMs = Date.parse(since);
      if (!Number.isNaN(sinceMs) && Math.floor(Date.parse(modified) / 1000) <= Math.floor(sinceMs / 1000)) {
        reply.code(304);
        return '';
      }
    }
    return payload;
  });
  if (cached) fillCache(app, cached.cache);
  // onSend hooks run in the order they were added: the ETag, the 304 decision and the cache
  // above see the JSON itself; compression comes last.
  await app.register(compress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    // Quality 4: most of brotli's gain at a fraction of its default cost per response.
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
  });
}
