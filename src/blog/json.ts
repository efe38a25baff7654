// Responses built as JSON text by PostgreSQL, from the zod schema that documents them: the
// select list takes its keys, in order, from the schema, and a key the schema requires
// cannot be left out (checked when the query is first built). row_to_json writes compact
// JSON, so a read sends PostgreSQL's text as it is: no mapping, no serializing in Node.
import type { z } from 'zod';
import { join, raw, type Sql, sql } from '../db/sql.js';

type Exprs<S extends z.ZodObject> = { [K in keyof S['shape']]?: Sql };

const checked = new WeakSet<z.ZodObject>();

/** `expr AS "key", …` for each key of the schema that has an expression. */
export function fieldsOf<S extends z.ZodObject>(schema: S, exprs: Exprs<S>): Sql {
  const keys = Object.keys(schema.shape);
  if (!checked.has(schema)) {
    const missing = keys.filter((k) => !(k in exprs) && !(schema.shape[k] as z.ZodType).safeParse(undefined).success);
    if (missing.length) throw new Error(`the query for ${String(schema.meta()?.id)} has no expression for ${missing.join(', ')}`);
    checked.add(schema);
  }
  return join(
    keys.filter((k) => exprs[k] !== undefined).map((k) => sql`${exprs[k]!} AS ${raw(`"${k}"`)}`),
    ', ',
  );
}

/** A row of the schema's shape as one JSON object. */
export const jsonRow = <S extends z.ZodObject>(schema: S, exprs: Exprs<S>, from: Sql) =>
  sql`(SELECT row_to_json(j) FROM (SELECT ${fieldsOf(schema, exprs)} ${from}) j)`;

/**
 * Rows of the schema's shape as a JSON array (compact, unlike json_agg), in the order of
 * `from`, which ends with its ORDER BY (a sorted subquery feeds string_agg in order).
 */
export const jsonArray = <S extends z.ZodObject>(schema: S, exprs: Exprs<S>, from: Sql) =>
  sql`(SELECT coalesce('[' || string_agg(row_to_json(j)::text, ',') || ']', '[]')::json
       FROM (SELECT ${fieldsOf(schema, exprs)} ${from}) j)`;

/** A timestamp as the API writes dates: ISO 8601 in UTC with milliseconds. */
export const isoTime = (column: string) => raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
