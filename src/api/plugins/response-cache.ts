// An in-process cache of whole public responses. Content changes only through imports (and
// scheduled posts going live), and each change names what it touched, so an entry stays
// until a change names one of its keys. A hit is answered from the HTTP server's own
// request handler, before Fastify routes it: headers are prebuilt per encoding, bodies
// compressed once, conditional GETs answered there too.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { Change } from '../../db/content-watch.js';

export interface CacheSettings {
  enabled: boolean;
  /** Bodies kept, at most, in bytes (least recently used go first). */
  maxBytes: number;
}

type Encoding = 'br' | 'gzip' | 'identity';

export interface CachedResponse {
  body: Buffer;
  /** Response headers to replay (content type, ETag, Last-Modified, Cache-Control, …). */
  headers: Record<string, string>;
  /** What it holds: a change naming one of these drops it. */
  keys: readonly string[];
  /** The route that made it (/v1/posts/:slug), for the metrics of its hits. */
  route?: string;
}

interface Entry extends CachedResponse {
  size: number;
  variants: Partial<Record<Encoding, { body: Buffer; headers: OutgoingHttpHeaders }>>;
}

const COMPRESS_ABOVE = 1024;

/** Text compresses; images, video, PDF and archives are compressed already. */
const COMPRESSIBLE = /^(text\/|application\/[\w.+-]*(json|xml|javascript)\b|image\/svg\+xml)/;

function encodingFor(accept: string | undefined, size: number, type: string | undefined): Encoding {
  if (!accept || size <= COMPRESS_ABOVE || !COMPRESSIBLE.test(type ?? '')) return 'identity';
  if (/\bbr\b/.test(accept)) return 'br';
  if (/\bgzip\b/.test(accept)) return 'gzip';
  return 'identity';
}

/** Whether If-None-Match names this ETag (weak comparison, as for GET). */
function matches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

export class ResponseCache {
  private entries = new Map<string, Entry>();
  private byKey = new Map<string, Set<string>>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly maxBytes: number,
    /** Headers every response carries (security, CORS for any origin). */
    private readonly common: Record<string, string> = {},
  ) {}

  get size() {
    return this.entries.size;
  }

  /** Bytes held: bodies, their URLs and their compressed copies. */
  get bytesHeld() {
    return this.bytes;
  }

  set(url: string, response: CachedResponse) {
    const size = response.body.length + url.length;
    if (size > this.maxBytes / 10) return; // one response may not crowd out the rest
    this.delete(url);
    this.entries.set(url, { ...response, size, variants: {} });
    for (const key of response.keys) {
      let urls = this.byKey.get(key);
      if (!urls) this.byKey.set(key, (urls = new Set()));
      urls.add(url);
    }
    this.bytes += size;
    for (const [old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(old);
    }
  }

  /** Drops what a content change touched. */
  invalidate(change: Change) {
    if (change === 'all') return this.clear();
    for (const key of change) for (const url of this.byKey.get(key) ?? []) this.delete(url);
  }

  clear() {
    this.entries.clear();
    this.byKey.clear();
    this.bytes = 0;
  }

  private delete(url: string) {
    const old = this.entries.get(url);
    if (!old) return;
    this.bytes -= old.size;
    this.entries.delete(url);
    for (const key of old.keys) {
      const urls = this.byKey.get(key);
      urls?.delete(url);
      if (urls?.size === 0) this.byKey.delete(key);
    }
  }

  private variant(entry: Entry, encoding: Encoding) {
    let v = entry.variants[encoding];
    if (!v) {
      const body =
        encoding === 'br'
          ? brotliCompressSync(entry.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } })
          : encoding === 'gzip'
            ? gzipSync(entry.body)
            : entry.body;
      const headers: OutgoingHttpHeaders = {
        ...this.common,
        ...entry.headers,
        'content-length': String(body.length),
        vary: entry.headers.vary ? `${entry.headers.vary}, accept-encoding` : 'accept-encoding',
        'x-cache': 'HIT',
        ...(encoding !== 'identity' && { 'content-encoding': encoding }),
      };
      v = entry.variants[encoding] = { body, headers };
      if (body !== entry.body) {
        entry.size += body.length;
        this.bytes += body.length;
      }
    }
    return v;
  }

  /**
   * Answers a GET or HEAD from the cache, writing straight to the socket's response, and
   * returns what it served; undefined when there is nothing cached for it (the request then
   * goes its usual way).
   */
  serve(req: IncomingMessage, res: ServerResponse, extraHeaders?: OutgoingHttpHeaders): CachedResponse | undefined {
    // A Range request wants part of a body: the route answers it (206).
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.headers.range) return undefined;
    const url = req.url ?? '';
    const entry = this.entries.get(url);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(url); // most recently used goes last
    this.entries.set(url, entry);
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const notModified = inm
      ? matches(inm, entry.headers.etag ?? '')
      : !!ims &&
        !!entry.headers['last-modified'] &&
        Math.floor(Date.parse(entry.headers['last-modified']) / 1000) <= Math.floor(Date.parse(ims) / 1000);
    const v = this.variant(entry, encodingFor(req.headers['accept-encoding'], entry.body.length, entry.headers['content-type']));
    if (notModified) {
      const { 'content-length': _, 'content-encoding': __, 'content-type': ___, ...rest } = v.headers;
      res.writeHead(304, { ...rest, ...extraHeaders });
      res.end();
    } else {
      res.writeHead(200, extraHeaders ? { ...v.headers, ...extraHeaders } : v.headers);
      res.end(req.method === 'HEAD' ? undefined : v.body);
    }
    return entry;
  }
}
