// Responses are written by fast-json-stringify, compiled once per route from the route's
// zod schema (z.toJSONSchema): Fastify's fast path, with the zod schema still the one
// source. The zod serializer would validate every object of every response instead.
import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { z } from 'zod';

type Json = Record<string, unknown>;

/** What fast-json-stringify does not use and complains about: record key schemas. */
function strip(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strip);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema as Json)
      .filter(([key]) => key !== 'propertyNames' && key !== '$schema')
      .map(([key, value]) => [key, strip(value)]),
  );
}

function zodOf(schema: unknown): z.ZodType | undefined {
  if (schema instanceof z.ZodType) return schema;
  const properties = (schema as { properties?: unknown }).properties;
  return properties instanceof z.ZodType ? properties : undefined;
}

export const serializerCompiler: FastifySerializerCompiler<unknown> = ({ schema }) => {
  // Responses documented without a body (304, 301) carry none to serialize.
  const zod = zodOf(schema);
  if (!zod) return (data) => JSON.stringify(data);
  // An empty registry: schemas inline, no $ref to ids the compiled serializer cannot follow.
  const json = z.toJSONSchema(zod, {
    io: 'output',
    target: 'draft-7',
    unrepresentable: 'any',
    metadata: z.registry(),
  });
  const stringify = fastJson(strip(json) as Parameters<typeof fastJson>[0]);
  return (data) => stringify(data);
};
