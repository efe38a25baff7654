// The OpenAPI 3.1 document, generated from the routes' zod schemas and served at /openapi.json.
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { problemResponses } from '../problems.js';

export const API_VERSION = '1.0.0';

type Document = ReturnType<typeof jsonSchemaTransformObject>;
type Json = { components?: { schemas?: Record<string, unknown> } };

/**
 * The zod transform lists every registered schema twice, as read (`XInput`) and as written
 * (`X`); a response-only shape's input twin is referenced by nothing. Drop what nothing uses.
 */
function withoutUnusedSchemas(transformed: Document): Document {
  const doc = transformed as Json;
  const schemas = { ...doc.components?.schemas };
  for (let changed = true; changed;) {
    changed = false;
    const text = JSON.stringify({ ...doc, components: { ...doc.components, schemas } });
    for (const name of Object.keys(schemas)) {
      if (!text.includes(`"#/components/schemas/${name}"`)) {
        delete schemas[name];
        changed = true;
      }
    }
  }
  return { ...doc, components: { ...doc.components, schemas } } as Document;
}

type Response = { description: string; content?: Record<string, unknown>; headers?: Record<string, unknown> };

/** What any route can answer: a request too large, a failure on the server's side, the database away. */
const ALWAYS = [413, 431, 500, 503];

declare module 'fastify' {
  interface FastifySchema {
    /**
     * The body as multipart/form-data, besides the JSON `body` (documented, not validated:
     * uploads are read as streams), with the Encoding Object of each of its parts.
     */
    multipartBody?: { schema: z.ZodType; encoding: Record<string, Record<string, unknown>> };
    /** false: the request may have no body at all (@fastify/swagger assumes one). */
    bodyRequired?: boolean;
  }
}

/**
 * What @fastify/swagger cannot say of a request body: that it is optional (it marks every
 * body required), and a second content type with its encoding. Carried to the operation
 * under this key (copied, as any x- key) and put in place by the onReady pass.
 */
const REQUEST_BODY = 'x-quire-request-body';
type RequestBodyExtras = { required: boolean; multipart?: { schema: unknown; encoding: Record<string, unknown> } };
type Operation = { requestBody?: { required?: boolean; content?: Record<string, unknown> }; [REQUEST_BODY]?: RequestBodyExtras };

/** A zod schema as the document has it, read (a request) or written (a response): a $ref to its component when it has an id. */
function jsonOf(input: Parameters<typeof jsonSchemaTransform>[0], schema: z.ZodType, as: 'request' | 'response'): unknown {
  if (as === 'request') return (jsonSchemaTransform({ ...input, schema: { body: schema } }).schema as { body: unknown }).body;
  return (jsonSchemaTransform({ ...input, schema: { response: { 200: schema } } }).schema as { response: Record<number, unknown> })
    .response[200];
}

/** A response without a body (304, 301, HEAD): @fastify/swagger leaves out `content` for type null. */
const NO_BODY = { type: 'null' };

type Transformed = ReturnType<typeof jsonSchemaTransform>;

/**
 * A GET route's HEAD twin: the same parameters and statuses with their headers, no bodies.
 * @fastify/swagger names it `<operationId>-head`; generated clients want an identifier.
 */
function headOperation(out: Transformed, schema: { operationId?: string; summary?: string }, all: Record<string, Response>): Transformed {
  const operationId = schema.operationId?.replace(/-head$/, 'Head');
  const responses = Object.fromEntries(
    Object.entries(all).map(([status, r]) => [
      status,
      { ...NO_BODY, description: r.description, ...(r.headers && { headers: r.headers }) },
    ]),
  );
  return { ...out, schema: { ...out.schema, operationId, summary: `${schema.summary ?? ''} (headers only)`.trim(), response: responses } };
}

/** A compatibility layer's part of the document: its tag and how its clients authenticate. */
export interface OpenApiLayer {
  tag: { name: string; description: string };
  securitySchemes: Record<string, Record<string, unknown>>;
}

/**
 * `publicRateLimit`: public routes have a rate limit (and can answer 429). `layers`: the
 * compatibility layers switched on (the Ghost Content API), each under its own tag.
 */
export async function registerOpenApi(app: FastifyInstance, publicRateLimit: boolean, layers: readonly OpenApiLayer[] = []): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Quire API',
        version: API_VERSION,
        description:
          'Read API of Quire, a Markdown-first headless blog. Posts, tags and categories come from ' +
          'Markdown files imported into PostgreSQL. Errors are RFC 9457 problem details ' +
          '(application/problem+json), except on a compatibility layer, which answers in the ' +
          'shape of the system it imitates (the Ghost Content API, under /ghost/).',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      // Relative: the document describes whichever server serves it.
      servers: [{ url: '/', description: 'This server' }],
      // Reading needs no credentials; admin operations name their bearer token.
      security: [],
      tags: [
        { name: 'posts', description: 'Published articles' },
        { name: 'taxonomies', description: 'Tags and categories' },
        { name: 'feeds', description: 'RSS, Atom and JSON Feed; sitemap.xml' },
        { name: 'operations', description: 'Health and readiness probes' },
        { name: 'admin', description: 'Imports (need QUIRE_ADMIN_TOKEN as a bearer token)' },
        ...layers.map((l) => l.tag),
      ],
      components: {
        securitySchemes: {
          adminToken: { type: 'http', scheme: 'bearer', description: 'QUIRE_ADMIN_TOKEN' },
          ...Object.fromEntries(layers.flatMap((l) => Object.entries(l.securitySchemes))),
        },
      },
    },
    // Fastify answers HEAD on every GET route: the document says so, for clients and
    // validating proxies alike.
    exposeHeadRoutes: true,
    transform: (input) => {
      const { multipartBody, bodyRequired, ...routeSchema } = input.schema;
      input = { ...input, schema: routeSchema };
      const response = input.schema.response as Record<string, Response> | undefined;
      if (!response || input.schema.hide) return jsonSchemaTransform(input);
      // Every route the rate limit covers can answer 429; say so once, here, for all of them.
      const own = (input.route.config as { rateLimit?: unknown } | undefined)?.rateLimit;
      const limited = own !== false && (own !== undefined || publicRateLimit);
      // A route may word these itself (the Ghost layer answers them in Ghost's shape); the
      // problem document is the default. 429 only where the rate limit applies.
      const always = [...(limited ? [429] : []), ...ALWAYS];
      const { 429: _unlimited, ...unlimited } = response;
      const all: Record<string, Response> = {
        ...(limited ? response : unlimited),
        ...Object.fromEntries(always.map((status) => [status, response[status] ?? problemResponses(status)[status]!])),
      };
      if (input.route.method === 'HEAD')
        return headOperation(jsonSchemaTransform({ ...input, schema: { ...input.schema, response: {} } }), input.schema, all);
      // The zod transform knows bodies only: headers, and responses with no body (304, 301),
      // go around it and back into its result.
      const withBody = Object.fromEntries(Object.entries(all).filter(([, r]) => r.content));
      const out = jsonSchemaTransform({ ...input, schema: { ...input.schema, response: withBody } });
      const transformed = out.schema as { response: Record<string, Response>; [REQUEST_BODY]?: RequestBodyExtras };
      for (const [status, r] of Object.entries(all)) {
        transformed.response[status] = {
          ...(r.content ? transformed.response[status] : NO_BODY),
          description: r.description,
          ...(r.headers && { headers: r.headers }),
        };
        // A sequence (NDJSON) is text, each line one item: OpenAPI 3.2 has itemSchema for it; in
        // 3.1 the string's contentSchema names the item's schema (an annotation: validators
        // check the text as text, and clients find the item's type by name).
        for (const [type, media] of Object.entries(r.content ?? {})) {
          const item = (media as { itemSchema?: z.ZodType }).itemSchema;
          const out = transformed.response[status].content![type] as { schema: Record<string, unknown> };
          if (item) out.schema = { ...out.schema, contentMediaType: type, contentSchema: jsonOf(input, item, 'response') };
        }
      }
      if (multipartBody || bodyRequired === false) {
        transformed[REQUEST_BODY] = {
          required: bodyRequired !== false,
          ...(multipartBody && { multipart: { schema: jsonOf(input, multipartBody.schema, 'request'), encoding: multipartBody.encoding } }),
        };
      }
      return out;
    },
    transformObject: (doc) => withoutUnusedSchemas(jsonSchemaTransformObject(doc)),
  });
  // Once, in the document @fastify/swagger keeps (made by its own onReady hook, before this).
  app.addHook('onReady', async () => {
    for (const path of Object.values(app.swagger().paths ?? {})) {
      for (const operation of Object.values(path as Record<string, Operation>)) {
        const extras = operation[REQUEST_BODY];
        if (!extras) continue;
        delete operation[REQUEST_BODY];
        const body = (operation.requestBody ??= {});
        body.required = extras.required;
        if (extras.multipart) body.content = { ...body.content, 'multipart/form-data': extras.multipart };
      }
    }
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
