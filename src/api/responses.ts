// The whole contract of a route's responses for the OpenAPI document: the 200 with the
// headers it carries, the 304 a conditional GET gets, the 301 of an old slug, and every
// problem it can answer. Routes say which apply; this says what each looks like.
import { z } from 'zod';
import { problemResponses } from './problems.js';

// @fastify/swagger makes each header's JSON schema the header object's schema (and its description the header's).
const header = (description: string) => ({ type: 'string', description });

/** Headers of every public response a cache may keep. */
const CACHE_HEADERS = {
  etag: header('A weak validator of the body: send it back as If-None-Match'),
  'last-modified': header('When public content last changed'),
  'cache-control': header('public, max-age=…, s-maxage=…, stale-while-revalidate=… (no-store for previews)'),
  'surrogate-key': header('What the response holds (posts, post:<lang>/<slug>, tag:<slug>, …), for a CDN to purge by'),
};

const LINK = { link: header('RFC 8288 links to the first, previous, next and last pages') };

export interface Documented {
  /** A list: its 200 carries a Link header. */
  list?: boolean;
  /** An old slug or path: 301 to where it moved. */
  redirect?: boolean;
  /** Public and cacheable (the default): ETag, Last-Modified, 304. */
  cached?: boolean;
}

/** A 200 (`ok`), with the responses and headers that go with it, and the problems listed. */
export function documented<T extends { description: string; content: Record<string, { schema: z.ZodType }> }>(
  ok: T,
  options: Documented,
  ...problems: number[]
) {
  const cached = options.cached !== false;
  return {
    200: { ...ok, headers: { ...(cached && CACHE_HEADERS), ...(options.list && LINK) } },
    ...(cached && { 304: { description: 'Not modified: the ETag or date sent still holds', headers: CACHE_HEADERS } }),
    ...(options.redirect && {
      301: {
        description: 'An old slug or path: Location has where the document is now',
        headers: { location: header('The current URL of the document') },
      },
    }),
    ...problemResponses(...problems),
  };
}
