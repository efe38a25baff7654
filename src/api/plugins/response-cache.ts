// An in-process cache of whole public responses. Content changes only through imports
// (and scheduled posts going live), so a response stays right until the content watch's
// generation moves; then every entry is dropped. A hit answers from onRequest: no
// validation, no query, no serialization; compressed variants are kept beside the body.
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ContentWatch } from '../../db/content-watch.js';

export interface CacheSettings {
  enabled: boolean;
  /** Bodies kept, at most, in bytes (least recently used go first). */
  maxBytes: number;
}

interface Entry {
  generation: number;
  headers: Record<string, string>;
  body: Buffer;
  compressed: { br?: Buffer; gzip?: Buffer };
  size: number;
}

/** Headers a cached response is replayed with. */
const KEPT = ['content-type', 'etag', 'last-modified', 'cache-control', 'surrogate-key', 'link'];
const COMPRESS_ABOVE = 1024;

declare module 'fastify' {
  interface FastifyRequest {
    cacheGeneration?: number;
    cacheHit?: boolean;
  }
}

function encodingFor(request: FastifyRequest): 'br' | 'gzip' | undefined {
  const accept = request.headers['accept-encoding'] ?? '';
  if (/\bbr\b/.test(accept)) return 'br';
  if (/\bgzip\b/.test(accept)) return 'gzip';
  return undefined;
}

export class ResponseCache {
  private entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get size() {
    return this.entries.size;
  }

  get(key: string, generation: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.generation !== generation) {
      this.clear(); // one entry out of date means all are: the content moved on
      return undefined;
    }
    this.entries.delete(key); // most recently used goes last
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: Omit<Entry, 'size' | 'compressed'>) {
    const size = entry.body.length + key.length;
    if (size > this.maxBytes / 10) return; // one response may not crowd out the rest
    this.delete(key);
    this.entries.set(key, { ...entry, compressed: {}, size });
    this.bytes += size;
    for (const [k] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(k);
    }
  }

  compressed(entry: Entry, encoding: 'br' | 'gzip'): Buffer {
    let body = entry.compressed[encoding];
    if (!body) {
      body =
        encoding === 'br'
          ? brotliCompressSync(entry.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } })
          : gzipSync(entry.body);
      entry.compressed[encoding] = body;
      entry.size += body.length;
      this.bytes += body.length;
    }
    return body;
  }

  private delete(key: string) {
    const old = this.entries.get(key);
    if (!old) return;
    this.bytes -= old.size;
    this.entries.delete(key);
  }

  clear() {
    this.entries.clear();
    this.bytes = 0;
  }
}

/**
 * Answers from the cache when it can, in onRequest: past routing, validation, the query and
 * serialization. The ETag and 304 hooks still see the reply (the entry's ETag is set, so
 * none is computed again); compression finds its variant already made.
 */
export function serveFromCache(app: FastifyInstance, cache: ResponseCache, watch: ContentWatch): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    const generation = watch.generation();
    request.cacheGeneration = generation;
    const entry = cache.get(request.url, generation);
    if (!entry) return;
    request.cacheHit = true;
    reply.headers(entry.headers).header('x-cache', 'HIT');
    const encoding = entry.body.length > COMPRESS_ABOVE ? encodingFor(request) : undefined;
    if (encoding) {
      reply.header('content-encoding', encoding).header('vary', 'accept-encoding');
      return reply.send(cache.compressed(entry, encoding));
    }
    return reply.send(entry.body);
  });
}

/** Keeps public 200s (onSend: after the ETag is made, before compression). */
export function fillCache(app: FastifyInstance, cache: ResponseCache): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.cacheHit || request.cacheGeneration === undefined) return payload;
    // Public content only: the routes that mark themselves cacheable set Last-Modified.
    if (reply.statusCode !== 200 || !reply.hasHeader('last-modified') || typeof payload !== 'string') return payload;
    const headers: Record<string, string> = {};
    for (const name of KEPT) {
      const value = reply.getHeader(name);
      if (typeof value === 'string') headers[name] = value;
    }
    cache.set(request.url, { generation: request.cacheGeneration, headers, body: Buffer.from(payload) });
    reply.header('x-cache', 'MISS');
    return payload;
  });
}
