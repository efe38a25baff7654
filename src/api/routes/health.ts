// /healthz: the process answers. /readyz: and its database does too (for load balancers).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ok } from '../../blog/schemas.js';
import type { Reader } from '../../db/reader.js';
import { sql } from '../../db/sql.js';
import { uncacheable } from '../plugins/delivery.js';
import { HttpProblem, problemResponses } from '../problems.js';

const READY_TIMEOUT_MS = 2_000;

// Probes come often from one load balancer's address; the rate limit never counts them.
const unlimited = { rateLimit: false as const };

export const healthRoutes: FastifyPluginAsyncZod<{ reader: Reader }> = async (app, { reader }) => {
  app.get(
    '/healthz',
    {
      config: unlimited,
      schema: {
        operationId: 'health',
        summary: 'Liveness: the process is up',
        tags: ['operations'],
        response: { 200: ok('The process is up', z.object({ status: z.literal('ok') })) },
      },
    },
    async (_request, reply) => {
      uncacheable(reply);
      return { status: 'ok' as const };
    },
  );

  app.get(
    '/readyz',
    {
      config: unlimited,
      schema: {
        operationId: 'ready',
        summary: 'Readiness: the database answers',
        tags: ['operations'],
        response: { 200: ok('The database answers', z.object({ status: z.literal('ready') })), ...problemResponses(503) },
      },
    },
    async (request, reply) => {
      uncacheable(reply);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), READY_TIMEOUT_MS);
      });
      try {
        await Promise.race([reader.query(sql`SELECT 1`), timeout]);
      } catch (err) {
        request.log.warn({ err }, 'readiness check failed');
        throw new HttpProblem(503, 'service-unavailable', 'the database does not answer');
      } finally {
        clearTimeout(timer);
      }
      return { status: 'ready' as const };
    },
  );
};
