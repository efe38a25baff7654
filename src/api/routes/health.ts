// /healthz: the process answers. /readyz: its database answers, with the schema this
// version needs (for load balancers), and what the import at start refused.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ok } from '../../blog/schemas.js';
import type { Reader } from '../../db/reader.js';
import { sql } from '../../db/sql.js';
import { FileProblemSchema } from '../../importer/report.js';
import { uncacheable } from '../plugins/delivery.js';
import { HttpProblem, problemResponses } from '../problems.js';

const READY_TIMEOUT_MS = 2_000;

export const StartupImportSchema = z
  .object({
    status: z
      .enum(['succeeded', 'partial', 'failed'])
      .describe('partial: some files were refused, the others imported; failed: nothing imported, the content the database held is served'),
    finishedAt: z.iso.datetime(),
    failed: z.number().int().describe('Files refused'),
    problems: z.array(FileProblemSchema).describe('Why each refused file was refused'),
    reason: z.string().optional().describe('Why the import failed as a whole (e.g. the content folder is missing)'),
  })
  .meta({ id: 'StartupImport', description: 'What `quire start` imported before serving' });

export type StartupImport = z.infer<typeof StartupImportSchema>;

const ReadySchema = z.object({
  status: z.literal('ready'),
  import: StartupImportSchema.optional().describe('Under `quire start` only'),
});

export interface Readiness {
  /** Why the API cannot serve although the database answers (an unmigrated schema). */
  schemaProblem?: () => Promise<string | undefined>;
  startupImport?: StartupImport;
}

// Probes come often from one load balancer's address; the rate limit never counts them.
const unlimited = { rateLimit: false as const };

async function withinDeadline<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), READY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const healthRoutes: FastifyPluginAsyncZod<{ reader: Reader; readiness?: Readiness }> = async (app, { reader, readiness = {} }) => {
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
        summary: 'Readiness: the database answers and is migrated',
        description: 'Under `quire start`, `import` tells what the import at start did: files it refused do not make the API unready.',
        tags: ['operations'],
        response: { 200: ok('The database answers', ReadySchema), ...problemResponses(503) },
      },
    },
    async (request, reply) => {
      uncacheable(reply);
      let schemaProblem: string | undefined;
      try {
        await withinDeadline(reader.query(sql`SELECT 1`));
        schemaProblem = await withinDeadline(readiness.schemaProblem?.() ?? Promise.resolve(undefined));
      } catch (err) {
        request.log.warn({ err }, 'readiness check failed');
        throw new HttpProblem(503, 'service-unavailable', 'the database does not answer');
      }
      if (schemaProblem) throw new HttpProblem(503, 'service-unavailable', schemaProblem);
      return { status: 'ready' as const, ...(readiness.startupImport && { import: readiness.startupImport }) };
    },
  );
};
