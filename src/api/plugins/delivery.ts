// How responses travel: CORS, compression, security headers, and HTTP caching (ETag,
// Last-Modified, conditional GETs answered 304, Cache-Control for CDNs, surrogate keys so
// a CDN can purge just what an import changed), and the in-process response cache.
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import etag from '@fastify/etag';
import helmet from 'helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { constants as zlib } from 'node:zlib';
import type { HttpSettings } from '../../config.js';
import type { ResponseCache } from './response-cache.js';

declare module 'fastify' {
  interface FastifyReply {
    /** Set by cacheable(): what the response holds, for the response cache. */
    cacheKeys?: readonly string[];
  }
}

const EXPOSED = 'etag, last-modified, link, location, retry-after, surrogate-key, x-cache, x-quire-stale, quire-read-from';

/**
 * Marks a response as public content: when it last changed, and the keys it holds. The keys
 * go out as Surrogate-Key (percent-encoded: a slug may be 日本語) so a CDN can purge by them,
 * and the response cache drops the response when a change names one.
 */
export function cacheable(reply: FastifyReply, lastModified: Date, keys: Iterable<string>): void {
  const all = [...new Set(keys)];
  reply.header('last-modified', lastModified.toUTCString());
  reply.cacheKeys = all;
  const encoded = all.map((k) => encodeURI(k));
  // CDNs cap the header (Fastly at 16 KB): past that, collection keys still purge it.
  let header = encoded.join(' ');
  if (header.length > 8_000) header = encoded.filter((k) => !k.includes(':')).join(' ');
  if (header) reply.header('surrogate-key', header);
}

/** A response no shared cache may keep (admin, health, errors, previews). */
export const uncacheable = (reply: FastifyReply, directive = 'no-store') => reply.header('cache-control', directive);

/**
 * Helmet's headers, worked out once. Its middleware recomputes the same static values per
 * request: a third of a cached response's cost. /docs sets its own policy for Swagger UI.
 */
export function securityHeaders(): Record<string, string> {
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
    // Sent by the server only over https (see registerDelivery): over plain HTTP it would
    // tell a browser to refuse the next plain request.
    strictTransportSecurity: false,
    // Headers for browsers and plugins of the past, which no API client reads.
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
    originAgentCluster: false,
  })({} as never, res as never, () => {});
  return headers;
}

export const HSTS = 'max-age=31536000; includeSubDomains';

/** CORS headers for a cached response, the same the CORS plugin sends on the way in. */
export function corsFor(settings: HttpSettings): (req: IncomingMessage) => OutgoingHttpHeaders | undefined {
  if (settings.corsOrigins.includes('*')) return () => undefined; // static: in the common headers
  const allowed = new Set(settings.corsOrigins);
  return (req) => {
    const origin = req.headers.origin;
    return origin && allowed.has(origin)
      ? { 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSED, vary: 'origin, accept-encoding' }
      : undefined;
  };
}

/** Headers every response carries, cached ones included. */
export function commonHeaders(settings: HttpSettings): Record<string, string> {
  return {
    ...securityHeaders(),
    ...(settings.corsOrigins.includes('*') && { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED }),
  };
}

export async function registerDelivery(
  app: FastifyInstance,
  settings: HttpSettings,
  cache?: ResponseCache,
  contentVersion?: () => number,
): Promise<void> {
  const { maxAge, sMaxAge, staleWhileRevalidate } = settings.cache;
  const publicCache = `public, max-age=${maxAge}, s-maxage=${sMaxAge}, stale-while-revalidate=${staleWhileRevalidate}`;

  await app.register(cors, {
    origin: settings.corsOrigins.includes('*') ? '*' : [...settings.corsOrigins],
    methods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    exposedHeaders: EXPOSED.split(', '),
    maxAge: 86_400,
    // An OPTIONS request that is not a full preflight is answered 204, not a text/plain 400.
    strictPreflight: false,
  });
  const security = securityHeaders();
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(security);
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
  });
  // Weak: the same content compressed two ways is still the same content.
  await app.register(etag, { weak: true });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return payload;
    if (reply.statusCode >= 400) {
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
  if (cache) fillCache(app, cache, contentVersion);
  // onSend hooks run in the order they were added: the ETag, the 304 decision and the cache
  // above see the uncompressed body; compression comes last.
  await app.register(compress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    // Quality 4: most of brotli's gain at a fraction of its default cost per response.
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
  });
}

/** Headers a cached response is replayed with. */
const KEPT = [
  'content-type',
  'etag',
  'last-modified',
  'cache-control',
  'surrogate-key',
  'link',
  'content-security-policy',
  'content-disposition',
  'accept-ranges',
];

/**
 * Keeps public 200s: the routes that mark themselves cacheable say what they hold. A response
 * read while a content change came in may hold the older content (a replica, or a read just
 * before the commit) after the change dropped its keys: it is served, never kept.
 */
function fillCache(app: FastifyInstance, cache: ResponseCache, contentVersion?: () => number): void {
  const versions = new WeakMap<FastifyRequest, number>();
  if (contentVersion) {
    app.addHook('onRequest', (request, _reply, done) => {
      versions.set(request, contentVersion());
      done();
    });
  }
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' || reply.statusCode !== 200 || !reply.cacheKeys) return payload;
    if (contentVersion && versions.get(request) !== contentVersion()) return payload;
    if (reply.getHeader('cache-control') !== undefined && String(reply.getHeader('cache-control')).includes('no-store')) return payload;
    const body = typeof payload === 'string' ? Buffer.from(payload) : Buffer.isBuffer(payload) ? payload : undefined;
    if (!body) return payload;
    const headers: Record<string, string> = {};
    for (const name of KEPT) {
      const value = reply.getHeader(name);
      if (typeof value === 'string') headers[name] = value;
    }
    cache.set(request.url, { body, headers, keys: reply.cacheKeys, ...(request.routeOptions.url && { route: request.routeOptions.url }) });
    reply.header('x-cache', 'MISS');
    return payload;
  });
}
