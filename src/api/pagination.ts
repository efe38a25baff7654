// The list envelope { data, meta, links }, and page links as an RFC 8288 Link header too.
// Links keep the request's own parameters as the client wrote them, changing only page or
// cursor. Items arrive as JSON text (made by PostgreSQL): the envelope is written around them.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ListLinks, ListMeta } from '../blog/schemas.js';

export interface Paging {
  page: number;
  limit: number;
  cursor?: string | undefined;
}

function linksFor(request: FastifyRequest, paging: Paging, total: number, nextCursor: string | null): { links: ListLinks; meta: ListMeta } {
  const [path = '', search = ''] = request.url.split('?');
  const own = new URLSearchParams(search);
  const urlFor = (change: Record<string, string | number | undefined>) => {
    const params = new URLSearchParams(own);
    for (const [key, value] of Object.entries(change)) {
      if (value === undefined) params.delete(key);
      else params.set(key, String(value));
    }
    const qs = params.toString();
    return qs ? `${path}?${qs}` : path;
  };
  if (paging.cursor !== undefined) {
    return {
      links: { self: urlFor({}), first: urlFor({ cursor: '' }), next: nextCursor ? urlFor({ cursor: nextCursor, page: undefined }) : null },
      meta: { limit: paging.limit, total, nextCursor },
    };
  }
  const totalPages = Math.max(1, Math.ceil(total / paging.limit));
  const at = (page: number) => urlFor({ page });
  return {
    links: {
      self: urlFor({}),
      first: at(1),
      last: at(totalPages),
      prev: paging.page > 1 ? at(Math.min(paging.page - 1, totalPages)) : null,
      next: paging.page < totalPages ? at(paging.page + 1) : null,
    },
    meta: { page: paging.page, limit: paging.limit, total, totalPages },
  };
}

/** Sends a page of items (each JSON text) in the list envelope. */
export function sendList(
  request: FastifyRequest,
  reply: FastifyReply,
  paging: Paging,
  page: { items: string[]; total: number; nextCursor?: string | null },
) {
  const { links, meta } = linksFor(request, paging, page.total, page.nextCursor ?? null);
  const rels = Object.entries(links).filter(([rel, url]) => url && rel !== 'self');
  reply.header('link', rels.map(([rel, url]) => `<${url}>; rel="${rel}"`).join(', '));
  return reply
    .type('application/json; charset=utf-8')
    .send(`{"data":[${page.items.join(',')}],"meta":${JSON.stringify(meta)},"links":${JSON.stringify(links)}}`);
}

/** Sends one item (JSON text) as { data }. */
export const sendOne = (reply: FastifyReply, json: string) => reply.type('application/json; charset=utf-8').send(`{"data":${json}}`);
