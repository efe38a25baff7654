// Ghost's errors, as its Content API sends them: `{ "errors": [{ message, context, type }] }`
// with Ghost's status for each type. Ghost's clients read `type` and `message` (the official
// one throws an Error named after the type); the layer never answers problem+json.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isDatabaseUnavailable } from '../api/plugins/problems.js';
import { HttpProblem } from '../api/problems.js';

export const GHOST_ERROR_STATUS = {
  BadRequestError: 400,
  UnauthorizedError: 401,
  NoPermissionError: 403,
  NotFoundError: 404,
  ValidationError: 422,
  TooManyRequestsError: 429,
  InternalServerError: 500,
  ServiceUnavailableError: 503,
} as const;

export type GhostErrorType = keyof typeof GHOST_ERROR_STATUS;

const TYPES = Object.keys(GHOST_ERROR_STATUS) as [GhostErrorType, ...GhostErrorType[]];

/** The body of every error the layer answers, as GhostError.body() writes it. */
export const GhostErrorsSchema = z
  .object({
    errors: z
      .array(
        z.object({
          message: z.string(),
          context: z.string().nullable().describe('What was wrong, e.g. the parameter at fault'),
          type: z.enum(TYPES).describe('Fixed by the status: the official client throws an Error named after it'),
          details: z.null(),
          property: z.null(),
          help: z.null(),
          code: z.null(),
          id: z.null(),
          ghostErrorCode: z.null(),
        }),
      )
      .length(1),
  })
  .meta({
    id: 'GhostErrors',
    description: "Ghost's error shape (application/json, not problem+json)",
    examples: [
      {
        errors: [
          {
            message: 'Unknown Content API Key',
            context: null,
            type: 'UnauthorizedError',
            details: null,
            property: null,
            help: null,
            code: null,
            id: null,
            ghostErrorCode: null,
          },
        ],
      },
    ],
  });
export type GhostErrors = z.infer<typeof GhostErrorsSchema>;

/** When each type is answered, for the OpenAPI document. */
const WHEN: Record<GhostErrorType, string> = {
  BadRequestError: 'A filter that does not parse, or that Quire does not support',
  UnauthorizedError: 'A key that is not configured',
  NoPermissionError: 'No key',
  NotFoundError: 'No such id, slug or route',
  ValidationError: 'A bad parameter (limit, page, order, formats, a slug or id); context names it',
  TooManyRequestsError: 'Too many requests from this address: Retry-After says when to try again',
  InternalServerError: "A failure on the server's side (logged; no details)",
  ServiceUnavailableError: 'The database cannot be reached: Retry-After says when to try again',
};

/** Response schemas, Ghost's shape, for the statuses a route documents (problemResponses' twin). */
export function ghostErrorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => {
      const type = TYPES.find((t) => GHOST_ERROR_STATUS[t] === status);
      if (!type) throw new Error(`no Ghost error type answers ${status}`);
      const retry = status === 429 || status === 503;
      return [
        status,
        {
          description: `${type}: ${WHEN[type]}`,
          content: { 'application/json': { schema: GhostErrorsSchema } },
          ...(retry && { headers: { 'retry-after': { type: 'string', description: 'Seconds to wait before trying again' } } }),
        },
      ];
    }),
  );
}

export class GhostError extends Error {
  override name = 'GhostError';
  constructor(
    readonly type: GhostErrorType,
    message: string,
    readonly context: string | null = null,
  ) {
    super(message);
  }

  get status(): number {
    return GHOST_ERROR_STATUS[this.type];
  }

  body(): GhostErrors {
    return {
      errors: [
        {
          message: this.message,
          context: this.context,
          type: this.type,
          details: null,
          property: null,
          help: null,
          code: null,
          id: null,
          ghostErrorCode: null,
        },
      ],
    };
  }
}

/** The layer's error handler: Ghost's shape for every error under /ghost/api/content/. */
export function ghostErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  let error: GhostError;
  if (err instanceof GhostError) error = err;
  else if (hasZodFastifySchemaValidationErrors(err)) {
    const issue = err.validation[0];
    const name = issue?.instancePath.replace(/^\//, '').split('/')[0] ?? '';
    const action = request.routeOptions.url?.includes(':') ? 'read' : 'list';
    error = new GhostError(
      'ValidationError',
      `Validation error, cannot ${action} ${resourceOf(request)}.`,
      `${name ? `"${name}" ` : ''}${issue?.message ?? 'is invalid'}`,
    );
  } else if (isDatabaseUnavailable(err)) {
    request.log.warn({ err }, 'database unavailable');
    reply.header('retry-after', '5');
    error = new GhostError('ServiceUnavailableError', 'The database is unavailable; try again shortly.');
  } else if (err instanceof HttpProblem || err.statusCode === 429) {
    // Quire's own refusals on the way (the rate limit), in Ghost's words.
    const status = err instanceof HttpProblem ? err.status : 429;
    if (status === 503) reply.header('retry-after', '5');
    error = new GhostError(
      status === 429 ? 'TooManyRequestsError' : status === 503 ? 'ServiceUnavailableError' : 'BadRequestError',
      err.message,
    );
  } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    error = new GhostError('BadRequestError', err.message);
  } else {
    request.log.error({ err }, 'unhandled error');
    error = new GhostError('InternalServerError', 'Something went wrong on our side; it has been logged.');
  }
  return reply.code(error.status).type('application/json; charset=utf-8').send(JSON.stringify(error.body()));
}

const resourceOf = (request: FastifyRequest) => /\/content\/([a-z]+)/.exec(request.url)?.[1] ?? 'resource';
