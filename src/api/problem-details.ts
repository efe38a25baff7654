// Errors as RFC 9457 problem details: a stable machine-readable type, a human title, the
// specifics in detail and, for bad input, each failing parameter.
import { z } from 'zod';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const ProblemSchema = z
  .object({
    type: z.string().describe('Stable identifier of the kind of problem, e.g. /problems/not-found'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().describe('The request path that failed'),
    errors: z
      .array(
        z.object({
          in: z.enum(['query', 'path', 'header', 'body']),
          name: z.string().describe('The parameter at fault ("" for the whole part)'),
          reason: z.string(),
        }),
      )
      .optional()
      .describe('For invalid input: every parameter that failed, and why'),
  })
  .meta({
    id: 'Problem',
    examples: [
      {
        type: '/problems/invalid-parameter',
        title: 'Invalid request parameter',
        status: 400,
        detail: 'query parameter "limit" must be at most 100',
        instance: '/v1/posts',
        errors: [{ in: 'query', name: 'limit', reason: 'must be at most 100' }],
      },
    ],
  });

export type Problem = z.infer<typeof ProblemSchema>;
export type ParameterError = NonNullable<Problem['errors']>[number];

const TITLES = {
  'invalid-parameter': 'Invalid request parameter',
  unauthorized: 'Unauthorized',
  'import-failed': 'Import failed',
  'import-in-progress': 'Another import is running',
  'prune-refused': 'Prune refused',
  'empty-folder': 'Nothing to import',
  'too-many-requests': 'Too many requests',
  'not-found': 'Not found',
  'bad-request': 'Bad request',
  'method-not-allowed': 'Method not allowed',
  'unsupported-media-type': 'Unsupported media type',
  'payload-too-large': 'Payload too large',
  'headers-too-large': 'Request header fields too large',
  'range-not-satisfiable': 'Range not satisfiable',
  'image-not-resizable': 'Image cannot be resized',
  'service-unavailable': 'Service unavailable',
  'internal-error': 'Internal server error',
} as const;

export type ProblemCode = keyof typeof TITLES;

/** A problem a handler throws; the error handler turns it into the response. */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    detail: string,
    readonly errors?: ParameterError[],
    /** Extension members (RFC 9457 §3.2) the route's schema documents. */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail);
  }
}

export function notFound(detail: string): HttpProblem {
  return new HttpProblem(404, 'not-found', detail);
}

export function problem(status: number, code: ProblemCode, detail: string, instance: string, errors?: ParameterError[]): Problem {
  return { type: `/problems/${code}`, title: TITLES[code], status, detail, instance, ...(errors && { errors }) };
}

export const CODE_OF: Record<number, ProblemCode> = {
  400: 'invalid-parameter',
  401: 'unauthorized',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'import-in-progress',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  416: 'range-not-satisfiable',
  422: 'import-failed',
  429: 'too-many-requests',
  431: 'headers-too-large',
  500: 'internal-error',
  503: 'service-unavailable',
};

/** Response schemas a route documents for its errors. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => {
      const code = CODE_OF[s];
      const description = code ? TITLES[code] : 'Error';
      return [s, { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } }];
    }),
  );
}
