// /v1/admin: trigger an import over HTTP (api/imports.ts runs it) and list past runs. Registered only when an admin
// token is configured; every request must carry it as a bearer token.
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PageQuerySchema } from '../../blog/params.js';
import type { Db } from '../../db/client.js';
import { list, ok } from '../../blog/schemas.js';
import { FileProblemSchema } from '../../importer/report.js';
import { mergeOptions } from '../../importer/options.js';
import { listImportRuns } from '../../importer/run-history.js';
import { ImportBodySchema, ImportQuerySchema, ImportRunSchema, ImportSummarySchema, ImportUploadSchema } from '../admin.schemas.js';
import { sendList } from '../pagination.js';
import { requireBearer } from '../plugins/admin-auth.js';
import { type AdminDeps, importContent } from '../imports.js';
import { readUploads, uploadOptions } from '../uploads.js';
import { uncacheable } from '../plugins/delivery.js';
import { documented } from '../responses.js';
import { type AdminRouteConfig, previewRoutes, type PreviewRouteDeps } from './previews.js';
import { PROBLEM_CONTENT_TYPE, ProblemSchema, problemResponses } from '../problem-details.js';

const ImportFailedSchema = ProblemSchema.extend({
  files: z.array(FileProblemSchema).describe('Every problem of every file'),
  summary: ImportSummarySchema.describe('What the run saw; nothing was written'),
}).meta({ id: 'ImportFailedProblem' });

const ImportRunListSchema = list('ImportRunList', ImportRunSchema, 'A page of import runs, newest first');

/** The admin routes' own rate limit (a route's config): requests a minute, or none for 0. */
export const adminLimit = (perMinute: number): AdminRouteConfig =>
  perMinute > 0 ? { rateLimit: { max: perMinute, timeWindow: '1 minute' } } : {};

export const adminRoutes: FastifyPluginAsyncZod<{
  db: Db;
  admin: AdminDeps;
  onImported: () => Promise<void>;
  /** Requests a minute per client address; 0: none of their own. */
  rateLimit: number;
  /** Preview links, when a secret is configured. */
  previews: Omit<PreviewRouteDeps, 'db'> | undefined;
}> = async (app, { db, admin, onImported, rateLimit, previews }) => {
  // Stricter than public reads: a token guessed a minute at a time is a token never guessed.
  // 0: no limit of their own; the public one, if any, still counts them.
  const limit = adminLimit(rateLimit);
  requireBearer(app, admin.token);
  // JSON or multipart only: a body of any other type is refused (415), never read as nothing.
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', async (_request, reply) => {
    uncacheable(reply);
  });
  if (previews) await app.register(previewRoutes, { db, ...previews, limit });
  await app.register(multipart, uploadOptions(admin.importer));

  app.post(
    '/imports',
    {
      config: limit,
      schema: {
        operationId: 'createImport',
        summary: 'Import the content folder, or the Markdown files uploaded as multipart/form-data',
        description:
          "Without a body (or with a JSON body of options), re-imports the server's content folder. With " +
          "multipart/form-data, imports the uploaded files (each part's filename is its path, e.g. posts/hello.md) beside what " +
          'the database holds. 200 carries the run\'s summary (status "partial" when skipInvalid left ' +
          'files out); 422 lists every problem and means nothing was written.',
        tags: ['admin'],
        security: [{ adminToken: [] }],
        querystring: ImportQuerySchema,
        body: ImportBodySchema,
        // Each file its own part, all named files (a form's repeated field).
        multipartBody: { schema: ImportUploadSchema, encoding: { files: { style: 'form', explode: true, allowReserved: true } } },
        bodyRequired: false,
        response: {
          200: ok("The run's summary", ImportSummarySchema),
          422: { description: 'Invalid files; nothing was written', content: { [PROBLEM_CONTENT_TYPE]: { schema: ImportFailedSchema } } },
          ...problemResponses(400, 401, 409, 413, 415),
        },
      },
    },
    async (request) => {
      const uploads = request.isMultipart() ? await readUploads(request) : undefined;
      // Options come as query parameters or, for a JSON request, in its body: either says yes.
      const q = mergeOptions(request.query, uploads ? undefined : request.body);
      return importContent({ db, admin, onImported, trigger: `http:${request.ip}`, log: request.log }, q, uploads);
    },
  );

  app.get(
    '/imports',
    {
      config: limit,
      schema: {
        operationId: 'listImports',
        summary: 'Past import runs, newest first',
        tags: ['admin'],
        security: [{ adminToken: [] }],
        querystring: PageQuerySchema,
        response: documented(ok('A page of import runs', ImportRunListSchema), { cached: false, list: true }, 400, 401),
      },
    },
    async (request, reply) => {
      const { page, limit } = request.query;
      const { items, total } = await listImportRuns(db, page, limit);
      return sendList(request, reply, request.query, { items: items.map((i) => JSON.stringify(i)), total });
    },
  );
};
