// Page links for list responses: in the body (links) and as an RFC 8288 Link header. Links
// keep the request's own parameters as the client wrote them, changing only page or cursor.
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface Page {
  page: number;
  limit: number;
  cursor?: string;
}

type Links = { self: string; first: string; last?: string; prev?: string | null; next: string | null };
type Meta = { page?: number; limit: number; total: number; totalPages?: number; nextCursor?: string | null };

/** The list envelope: { data, meta, links }, by page or, when the query has a cursor, by cursor. */
export function paginate<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  query: Page & object,
  items: T[],
  total: number,
  nextCursor: string | null = null,
) {
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
  let links: Links;
  let meta: Meta;
  if (query.cursor !== undefined) {
    links = {
      self: urlFor({}),
      first: urlFor({ cursor: undefined }),
      next: nextCursor ? urlFor({ cursor: nextCursor }) : null,
    };
    meta = { limit: query.limit, total, nextCursor };
  } else {
    const totalPages = Math.max(1, Math.ceil(total / query.limit));
    const at = (page: number) => urlFor({ page });
    links = {
      self: urlFor({}),
      first: at(1),
      last: at(totalPages),
      prev: query.page > 1 ? at(Math.min(query.page - 1, totalPages)) : null,
      next: query.page < totalPages ? at(query.page + 1) : null,
    };
    meta = { page: query.page, limit: query.limit, total, totalPages, ...(nextCursor && { nextCursor }) };
  }
  const rels = Object.entries(links).filter(([rel, url]) => url && rel !== 'self');
  reply.header('link', rels.map(([rel, url]) => `<${url}>; rel="${rel}"`).join(', '));
  return { data: items, meta, links };
}
