// One place turns every error into application/problem+json. 4xx say exactly what was
// wrong; 5xx details stay in the log.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Socket } from 'node:net';
import { dbFailureOf } from '../../db/errors.js';
import { CODE_OF, HttpProblem, type ParameterError, problem, PROBLEM_CONTENT_TYPE } from '../problems.js';

const PART: Record<string, ParameterError['in']> = {
  querystring: 'query',
  params: 'path',
  headers: 'header',
  body: 'body',
};

type ValidationIssue = { instancePath: string; message?: string; keyword: string; params?: { keys?: unknown } };

function parameterErrors(part: ParameterError['in'], issues: ValidationIssue[]): ParameterError[] {
  return issues.flatMap((issue) => {
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params?.keys)) {
      return (issue.params.keys as string[]).map((name) => ({ in: part, name, reason: 'is not a known parameter' }));
    }
    // The parameter as the client wrote it ("fields", not "fields.1": the item is in the reason).
    const [name = '', item] = issue.instancePath.replace(/^\//, '').split('/');
    const reason = issue.message ?? 'is invalid';
    return [{ in: part, name, reason: item !== undefined && /^\d+$/.test(item) ? `value ${Number(item) + 1}: ${reason}` : reason }];
  });
}

/**
 * The database cannot answer now: gone, unreachable, hung past the query timeout, refusing
 * this login, or not migrated. All are "try later" to a client, never its fault.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  return dbFailureOf(err) !== undefined;
}

function unavailableDetail(err: unknown): string {
  return dbFailureOf(err) === 'no-tables'
    ? 'database schema is not migrated: run quire migrate'
    : 'the database is unavailable; try again shortly';
}

function send(reply: FastifyReply, body: ReturnType<typeof problem>) {
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** Fastify's own refusals before routing (a bad URL, an over-long path segment), as problems. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const path = (request.url.split('?')[0] ?? request.url).slice(0, 300);
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void send(reply, problem(404, 'not-found', 'no route for a path segment that long (at most 200 characters)', path));
  } else {
    void send(reply, problem(400, 'bad-request', 'the URL is not valid: a path segment is not percent-encoded correctly', path));
  }
}

const RETRY_AFTER_S = '5';

/** Fastify's own 4xx messages, in words a client can act on. */
function plainMessage(err: FastifyError): string {
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return 'this route does not take that Content-Type: send application/json, or multipart/form-data where files are uploaded';
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'the request body is too large';
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'the body is empty: send a JSON object, or no Content-Type';
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) return 'the body is not valid JSON';
  return err.message;
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers too large, a broken
 * request line): a problem+json answer on the socket, then close.
 */
export function clientErrors(err: NodeJS.ErrnoException & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify(
    problem(
      status,
      tooLarge ? 'headers-too-large' : 'bad-request',
      tooLarge ? "the request's headers are too large (at most 16 KB in all)" : 'the request is not valid HTTP',
      '',
    ),
  );
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function registerProblems(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const instance = request.url.split('?')[0] ?? request.url;
    if (hasZodFastifySchemaValidationErrors(err)) {
      const part = PART[err.validationContext ?? ''] ?? 'query';
      const errors = parameterErrors(part, err.validation);
      const first = errors[0]!;
      const detail = `${part} parameter "${first.name}" ${first.reason}`;
      return send(reply, problem(400, 'invalid-parameter', detail, instance, errors));
    }
    if (err instanceof HttpProblem) {
      // Whatever said "unavailable" (the database, readiness), clients and balancers may retry.
      if (err.status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', RETRY_AFTER_S);
      return send(reply, { ...problem(err.status, err.code, err.message, instance, err.errors), ...err.extensions });
    }
    if (isDatabaseUnavailable(err)) {
      request.log.warn({ err }, 'database unavailable');
      reply.header('retry-after', RETRY_AFTER_S);
      return send(reply, problem(503, 'service-unavailable', unavailableDetail(err), instance));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return send(reply, problem(status, CODE_OF[status] ?? 'bad-request', plainMessage(err), instance));
    }
    request.log.error({ err }, 'unhandled error');
    return send(reply, problem(500, 'internal-error', 'something went wrong on our side; it has been logged', instance));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    return send(reply, problem(404, 'not-found', `no route for ${request.method} ${path}`, path));
  });
}
