// Ghost's request parameters: their schemas (the route schemas and the document), and how
// include, fields, formats and order, each a comma-separated list, are read. A value Ghost would refuse is a 422 ValidationError naming it.
import { z } from 'zod';
import { text } from '../../blog/schemas.js';
import { join, raw, type Sql } from '../../db/sql.js';
import { GhostError } from './errors.js';

const items = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

export interface Shape {
  include: Set<string>;
  /** Only these fields (fields=), or all. */
  fields: Set<string> | undefined;
  formats: Set<string>;
}

/**
 * What a response holds: includes (`allowed` per resource), fields, formats (html by default).
 * An include Ghost does not know is dropped, as Ghost drops it (frontends ask for includes
 * of other Ghost versions); a format it does not know is refused, as Ghost refuses it.
 */
export function shapeOf(
  query: { include?: string | undefined; fields?: string | undefined; formats?: string | undefined },
  allowed: readonly string[],
  resource: string,
): Shape {
  const include = new Set(items(query.include).filter((i) => allowed.includes(i)));
  const formats = new Set(items(query.formats));
  for (const f of formats) {
    if (f !== 'html' && f !== 'plaintext')
      throw new GhostError(
        'ValidationError',
        `Validation error, cannot read ${resource}.`,
        `format "${f}" is not one of: html, plaintext (Quire has no mobiledoc or lexical)`,
      );
  }
  if (!formats.size) formats.add('html');
  const fields = items(query.fields);
  return { include, fields: fields.length ? new Set(fields) : undefined, formats };
}

/** The SQL expression of each field a list can be ordered by (NULLs come last either way). */
export type OrderFields = Record<string, Sql>;

/** "published_at desc, title asc" to ORDER BY, with `tieBreak` last so pages never overlap. */
export function orderSql(order: string | undefined, fallback: string, fields: OrderFields, tieBreak: Sql, resource: string): Sql {
  const parts = items(order?.trim() ? order : fallback).map((part) => {
    const [field = '', dir = 'asc', ...rest] = part.split(/\s+/);
    const expr = fields[field];
    const direction = dir.toLowerCase();
    if (!expr || rest.length || (direction !== 'asc' && direction !== 'desc')) {
      throw new GhostError(
        'ValidationError',
        `Validation error, cannot list ${resource}.`,
        `order "${part}": order by ${Object.keys(fields).join(', ')}, each asc or desc`,
      );
    }
    return join([expr, raw(`${direction.toUpperCase()} NULLS LAST`)], ' ');
  });
  return join([...parts, tieBreak], ', ');
}

export const GHOST_MAX_LIMIT = 100;
const DEFAULT_LIMIT = 15;

/** The query parameters of a browse. Unknown ones are ignored, as Ghost does (the key is checked before, in routes.ts). */
const param = (max: number) => text().max(max, `must be at most ${max} characters`).optional();

export const GhostBrowseQuerySchema = z.object({
  include: param(200).describe(
    'Comma-separated. Posts and pages: tags, authors, tiers; tags and authors: count.posts. Others are dropped, as Ghost drops them',
  ),
  fields: param(2000).describe('Comma-separated: only these fields (plus what include adds); unknown names are ignored'),
  formats: param(200).describe('Posts and pages: html (the default), plaintext, or both, comma-separated; anything else is a 422'),
  // Frontends filter by a few dozen ids or slugs at most; this bounds the SQL a request makes.
  filter: param(8000).describe(
    "NQL, as Ghost parses it, for the fields docs/ghost.md lists, e.g. tag:javascript+published_at:>'2024-01-01'. One Quire does not support is a 400 naming it",
  ),
  order: param(500).describe(
    'Comma-separated "field asc|desc". Posts and pages: published_at, created_at, updated_at, title, slug, featured, reading_time, id; tags and authors: name, slug, count.posts',
  ),
  // Past 100, Ghost 6 sends 100 and the pages that follow; so it does for "all", unless
  // QUIRE_GHOST_LIMIT_ALL=on (docs/ghost.md).
  limit: z
    .union([
      z.literal('all'),
      z.coerce.number({ error: 'must be a whole number or all' }).int('must be a whole number or all').min(1, 'must be at least 1'),
    ])
    .default(DEFAULT_LIMIT)
    .transform((l) => (l === 'all' ? l : Math.min(l, GHOST_MAX_LIMIT)))
    .describe(
      `Items per page: 1 or more (above ${GHOST_MAX_LIMIT}, ${GHOST_MAX_LIMIT}); all is ${GHOST_MAX_LIMIT} as in Ghost 6, or every item where the server allows it (QUIRE_GHOST_LIMIT_ALL)`,
    ),
  page: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1_000_000)
    .default(1)
    .describe('1-based; past the end, an empty list'),
});
export type GhostBrowseQuery = z.infer<typeof GhostBrowseQuerySchema>;

export const GhostReadQuerySchema = GhostBrowseQuerySchema.pick({ include: true, fields: true, formats: true });
export type GhostReadQuery = z.infer<typeof GhostReadQuerySchema>;

// A path segment over 200 characters matches no route (app.ts's maxParamLength).
export const GhostIdParamsSchema = z.object({
  id: text().max(200).describe('A Ghost id (24 hex characters); any other finds nothing, a 404'),
});
export const GhostSlugParamsSchema = z.object({ slug: text().max(200) });
