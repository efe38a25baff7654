// The layer's part of the OpenAPI document: its tag, its key as a security scheme, and what
// each route answers (the 200 and 304 of /v1's caching, Ghost's errors). The shapes are
// schemas.ts's and errors.ts's, the ones the queries and the error handler build from.
import type { FastifySchema } from 'fastify';
import type { z } from 'zod';
import type { OpenApiLayer } from '../api/plugins/openapi.js';
import { documented } from '../api/responses.js';
import { ghostErrorResponses } from './errors.js';

/** The layer's part of the OpenAPI document (app.ts passes it on when the layer is on). */
export const GHOST_OPENAPI: OpenApiLayer = {
  tag: {
    name: 'ghost',
    description:
      "Ghost's Content API, read-only (with QUIRE_GHOST_CONTENT_KEYS; docs/ghost.md). Ghost's shapes and " +
      "Ghost's error shape ({ errors: [{ message, type, ... }] }, application/json), not problem+json. The same " +
      'routes answer under /ghost/api/v2/content/, v3, v4 and canary for older clients; they are not listed, nor ' +
      "offers/{id}/, always a 404 NotFoundError. Paths end with a slash, as Ghost's clients call them (both forms are answered). " +
      'Requests the server refuses before any route (a malformed URL, a path segment over 200 characters, headers over 16 KB) ' +
      'get its problem document (application/problem+json).',
  },
  securitySchemes: {
    ghostContentKey: {
      type: 'apiKey',
      in: 'query',
      name: 'key',
      description: 'A Content API key: one of QUIRE_GHOST_CONTENT_KEYS (26 hex characters)',
    },
  },
};

/** A Ghost route's answers: the 200 and 304 of /v1's caching, and Ghost's errors. */
export const answers = (description: string, schema: z.ZodType, ...errors: number[]) => ({
  ...documented({ description, content: { 'application/json': { schema } } }, {}),
  ...ghostErrorResponses(...errors, 401, 403, 429, 500, 503),
});

/** A route's schema as the document gives it; `hide` at the versioned prefixes (the same routes again). */
export const operation =
  (hide: boolean) =>
  <S extends FastifySchema>(schema: S & { operationId: string; summary: string }) => ({
    ...schema,
    hide,
    tags: ['ghost'],
    security: [{ ghostContentKey: [] }],
  });
