// The OpenAPI 3.1 document, generated from the routes' zod schemas and served at /openapi.json.
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
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
  for (let changed = true; changed; ) {
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

/** `publicRateLimit`: public routes have a rate limit (and can answer 429). */
export async function registerOpenApi(app: FastifyInstance, publicRateLimit: boolean): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Quire API',
        version: API_VERSION,
        description:
          'Read API of Quire, a Markdown-first headless blog. Posts, tags and categories come from ' +
          'Markdown files imported into PostgreSQL. Errors are RFC 9457 problem details ' +
          '(application/problem+json).',
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
      ],
      components: {
        securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'QUIRE_ADMIN_TOKEN' } },
      },
    },
    transform: (input) => {
      const response = input.schema.response as Record<string, Response> | undefined;
      if (!response || input.schema.hide) return jsonSchemaTransform(input);
      // Every route the rate limit covers can answer 429; say so once, here, for all of them.
      const own = (input.route.config as { rateLimit?: unknown } | undefined)?.rateLimit;
      const limited = own !== false && (own !== undefined || publicRateLimit);
      const all: Record<string, Response> = { ...response, ...(limited && problemResponses(429)), ...problemResponses(...ALWAYS) };
      // The zod transform knows bodies only: headers, and responses with no body (304, 301),
      // go around it and back into its result.
      const withBody = Object.fromEntries(Object.entries(all).filter(([, r]) => r.content));
      const out = jsonSchemaTransform({ ...input, schema: { ...input.schema, response: withBody } });
      const transformed = out.schema as { response: Record<string, Response> };
      for (const [status, r] of Object.entries(all)) {
        transformed.response[status] = { ...transformed.response[status], description: r.description, ...(r.headers && { headers: r.headers }) };
      }
      return out;
    },
    transformObject: (doc) => withoutUnusedSchemas(jsonSchemaTransformObject(doc)),
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
