// Ghost's list parameters other than filter: include, fields, formats and order, each a
// comma-separated list. A value Ghost would refuse is a 422 ValidationError naming it.
import { join, raw, type Sql } from '../db/sql.js';
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
