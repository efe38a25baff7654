// Ghost's filter language (NQL) to SQL. @tryghost/nql-lang, Ghost's own parser, turns the
// text into a Mongo-style query ({ $and: [{ tag: 'news' }, { featured: true }] }); this
// turns that into SQL conditions over the fields each resource allows. Anything it does
// not know (a field, an operator, a value of the wrong type) is a 400 naming it, never a
// condition dropped and a list silently wider than asked.
import { parse } from '@tryghost/nql-lang';
import { join, raw, type Sql, sql } from '../db/sql.js';
import { GhostError } from './errors.js';

/** How a filter field is read: a scalar of a type, or "has a related term" (many-to-many). */
export type FilterField = { kind: 'text' | 'bool' | 'date'; expr: Sql } | { kind: 'relation'; carrying: (slugs: string[]) => Sql };
// carrying(slugs): the condition "carries any of these" (an array test, no subquery).

export type FilterFields = Record<string, FilterField>;

type Query = Record<string, unknown>;

const COMPARE: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

/**
 * What one filter may ask of the database (docs/ghost.md, "Limits"). Content keys are public,
 * so anyone can send a filter: each tag or author condition is a subquery the planner joins,
 * and their planning grows faster than their number (200 of them ran for 40 s). Frontends
 * use a handful; these bounds keep the largest filter allowed under 100 ms at 10,000 posts
 * (measured by tests/hardening/budget.test.ts and `npm run bench:budget`).
 */
export const FILTER_LIMITS = {
  /** Conditions on a relation (tag, author). */
  relations: 8,
  /** Conditions (field:value), in all. */
  conditions: 20,
  /** Values in all: [a,b,c] counts 3. */
  values: 100,
  /** Groups inside groups: (a+(b,(c+d))) is 3 deep. */
  depth: 4,
} as const;

/** The SQL condition for a filter, or undefined for none. */
export function filterSql(filter: string | undefined, fields: FilterFields): Sql | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  let query: Query;
  try {
    query = parse(filter);
  } catch (err) {
    throw new GhostError('BadRequestError', 'Error parsing filter', (err as Error).message.split('\n')[0] ?? null);
  }
  withinLimits(query, fields);
  return condition(query, fields);
}

/** Counts what the filter asks for and refuses it, naming the limit, past any of FILTER_LIMITS. */
function withinLimits(query: Query, fields: FilterFields): void {
  const seen = { conditions: 0, relations: 0, values: 0, depth: 0 };
  const walk = (q: Query, depth: number) => {
    seen.depth = Math.max(seen.depth, depth);
    for (const [key, value] of Object.entries(q)) {
      if (key === '$and' || key === '$or') {
        for (const item of value as Query[]) walk(item, depth + 1);
        continue;
      }
      seen.conditions++;
      if (fields[key]?.kind === 'relation') seen.relations++;
      const operand: unknown =
        value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof RegExp)
          ? Object.values(value)[0]
          : value;
      seen.values += Array.isArray(operand) ? operand.length : 1;
    }
  };
  // The top level's own $and/$or is depth 1: a flat a+b+c is one group.
  walk(query, 0);
  const what: Record<keyof typeof FILTER_LIMITS, string> = {
    conditions: 'conditions',
    relations: 'tag and author conditions',
    values: 'values',
    depth: 'levels of nested groups',
  };
  for (const limit of Object.keys(FILTER_LIMITS) as (keyof typeof FILTER_LIMITS)[]) {
    if (seen[limit] > FILTER_LIMITS[limit]) {
      throw new GhostError(
        'BadRequestError',
        `Filter too large: ${seen[limit]} ${what[limit]}, at most ${FILTER_LIMITS[limit]}`,
        'Quire bounds what one filter may cost (docs/ghost.md, Limits): split it into several requests, or use [a,b] for several values of one field',
      );
    }
  }
}

function condition(query: Query, fields: FilterFields): Sql {
  const parts = Object.entries(query).map(([key, value]) => {
    if (key === '$and' || key === '$or') {
      const items = (value as Query[]).map((q) => condition(q, fields));
      return sql`(${join(items, key === '$and' ? ' AND ' : ' OR ')})`;
    }
    if (key.startsWith('$')) throw unsupported(`operator ${key}`);
    const field = fields[key];
    if (!field) throw unsupported(`field "${key}"`, `supported fields: ${Object.keys(fields).join(', ')}`);
    return field.kind === 'relation' ? relation(key, field.carrying, value) : scalar(key, field, value);
  });
  return parts.length === 1 ? parts[0]! : sql`(${join(parts, ' AND ')})`;
}

function unsupported(what: string, context?: string): GhostError {
  return new GhostError('BadRequestError', `Unsupported filter: ${what}`, context ?? 'Quire supports a subset of NQL: see docs/ghost.md');
}

/** { op: value } or a bare value (equality). */
function operation(value: unknown): [string, unknown] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof RegExp)) {
    const entries = Object.entries(value);
    if (entries.length !== 1) throw unsupported('a combined operator');
    return entries[0]!;
  }
  return ['$eq', value];
}

function relation(name: string, carrying: (slugs: string[]) => Sql, value: unknown): Sql {
  const [op, operand] = operation(value);
  const slugs = (v: unknown) =>
    (Array.isArray(v) ? (v as unknown[]) : [v]).map((s) => {
      if (typeof s !== 'string' && typeof s !== 'number')
        throw unsupported(`value ${JSON.stringify(s)} for "${name}"`, `"${name}" takes slugs`);
      return String(s);
    });
  switch (op) {
    case '$eq':
    case '$in':
      return carrying(slugs(operand));
    case '$ne':
    case '$nin':
      return sql`NOT ${carrying(slugs(operand))}`;
    default:
      throw unsupported(`operator ${op} on "${name}"`, `"${name}" takes a slug, [a,b], -slug or -[a,b]`);
  }
}

function scalar(name: string, field: { kind: 'text' | 'bool' | 'date'; expr: Sql }, value: unknown): Sql {
  const [op, operand] = operation(value);
  const { expr } = field;
  const cast = raw(field.kind === 'text' ? 'text' : field.kind === 'bool' ? 'boolean' : 'timestamptz');
  const one = (v: unknown) => typed(name, field.kind, v);
  const many = (v: unknown) => (Array.isArray(v) ? v : [v]).map(one);
  if ((op === '$eq' || op === '$ne') && operand === null) return op === '$eq' ? sql`${expr} IS NULL` : sql`${expr} IS NOT NULL`;
  switch (op) {
    case '$eq':
      return sql`${expr} = ${one(operand)}::${cast}`;
    case '$ne':
      return sql`${expr} IS DISTINCT FROM ${one(operand)}::${cast}`;
    case '$in':
      return sql`${expr} = ANY(${many(operand)}::${cast}[])`;
    case '$nin':
      return sql`coalesce(${expr} <> ALL(${many(operand)}::${cast}[]), true)`;
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      if (field.kind === 'bool') break;
      return sql`${expr} ${raw(COMPARE[op]!)} ${one(operand)}::${cast}`;
    case '$regex':
    case '$not':
      if (field.kind !== 'text' || !(operand instanceof RegExp)) break;
      // nql-lang escapes the text into a JavaScript pattern (case-insensitive) that reads the
      // same as a PostgreSQL regular expression: ~ contains, ~^ starts with, ~$ ends with.
      return op === '$regex' ? sql`${expr} ~* ${operand.source}` : sql`NOT coalesce(${expr} ~* ${operand.source}, false)`;
  }
  throw unsupported(`operator ${op === '$regex' || op === '$not' ? '~' : op} on "${name}"`);
}

/** A value of the field's type, or a 400 saying what was expected. */
function typed(name: string, kind: 'text' | 'bool' | 'date', v: unknown): string | boolean | Date {
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
    throw unsupported(`value ${JSON.stringify(v)} for "${name}"`);
  // nql-lang reads an unquoted run of digits as a number: past 2^53 its digits are lost.
  if (typeof v === 'number' && !Number.isSafeInteger(v)) {
    throw new GhostError(
      'BadRequestError',
      `Unsupported filter: a value for "${name}" too long to read as a number`,
      "quote it: field:'000123'",
    );
  }
  if (kind === 'text') return String(v);
  if (kind === 'bool') {
    if (typeof v === 'boolean') return v;
    throw new GhostError('BadRequestError', `Unsupported filter: "${name}" takes true or false`, `got ${JSON.stringify(v)}`);
  }
  // nql-lang gives dates as written ('2024-01-01', '2024-01-01T10:00:00Z') or, for relative
  // ones (now-30d), as "YYYY-MM-DD HH:mm:ss" in UTC.
  const text = String(v);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? `${text}T00:00:00Z`
    : /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)
      ? `${text.replace(' ', 'T')}Z`
      : text;
  const date = new Date(iso);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) {
    throw new GhostError('BadRequestError', `Unsupported filter: "${name}" takes a date such as '2024-01-01'`, `got ${JSON.stringify(v)}`);
  }
  return date;
}
