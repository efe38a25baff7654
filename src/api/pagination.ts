// Page links for list responses: in the body (links) and as an RFC 8288 Link header.
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface Page {
  page: number;
  limit: number;
}

export function paginate<T>(request: FastifyRequest, reply: FastifyReply, query: Page & object, items: T[], total: number) {
  const totalPages = Math.max(1, Math.ceil(total / query.limit));
  const path = request.url.split('?')[0] ?? '';
  const urlFor = (page: number) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && key !== 'page') params.set(key, String(value));
    }
    params.set('page', String(page));
    return `${path}?${params.toString()}`;
  };
  const links = {
    self: urlFor(query.page),
    first: urlFor(1),
    last: urlFor(totalPages),
    prev: query.page > 1 ? urlFor(Math.min(query.page - 1, totalPages)) : null,
    next: query.page < totalPages ? urlFor(query.page + 1) : null,
  };
  const rels = Object.entries(links).filter(([rel, url]) => url && rel !== 'self');
  reply.header('link', rels.map(([rel, url]) => `<${url}>; rel="${rel}"`).join(', '));
  return { data: items, meta: { page: query.page, limit: query.limit, total, totalPages }, links };
}
