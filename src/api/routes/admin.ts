// /v1/admin: trigger an import over HTTP and list past runs. Registered only when an admin
// token is configured; every request must carry it as a bearer token.
import multipart from '@fastify/multipart';
import type { FastifyBaseLogger } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PageQuerySchema } from '../../blog/params.js';
import { list, ok } from '../../blog/schemas.js';
import type { Db } from '../../db/client.js';
import type { ImporterSettings } from '../../config.js';
import { ImportBusyError } from '../../importer/apply.js';
import { EmptyFolderError, ImportFailedError, PruneRefusedError } from '../../importer/problems.js';
import { FileProblemSchema, type ImportSummary, WarningSchema } from '../../importer/report.js';
import { runImport } from '../../importer/run.js';
import { webhookOutbox } from '../../webhooks/events.js';
import {
  ImportBodySchema,
  ImportQuerySchema,
  type ImportRun,
  ImportRunSchema,
  ImportSummarySchema,
  ImportUploadSchema,
} from '../admin.schemas.js';
import { sendList } from '../pagination.js';
import { requireBearer } from '../plugins/admin-auth.js';
import { readUploads, type Upload, uploadOptions, withUploadDir } from '../uploads.js';
import { uncacheable } from '../plugins/delivery.js';
import { documented } from '../responses.js';
import { type AdminRouteConfig, previewRoutes, type PreviewRouteDeps } from './previews.js';
import { HttpProblem, PROBLEM_CONTENT_TYPE, ProblemSchema, problemResponses } from '../problems.js';

export interface AdminDeps {
  token: string;
  contentDir: string;
  importer: ImporterSettings;
  webhookUrls: readonly string[];
  /** Runs imports, when given: a client whose timeouts allow the wait for the import lock. */
  importDb?: Db;
}

const ImportFailedSchema = ProblemSchema.extend({
  files: z.array(FileProblemSchema).describe('Every problem of every file'),
  summary: ImportSummarySchema.describe('What the run saw; nothing was written'),
}).meta({ id: 'ImportFailedProblem' });

// Run records as stored; warnings recorded before they had codes were links and aliases.
const StoredOptions = z.record(z.string(), z.boolean());
const StoredProblems = z.array(FileProblemSchema);
const StoredWarnings = z.array(
  z.preprocess(
    (w) =>
      w && typeof w === 'object' && !('code' in w)
        ? { ...w, code: /^alias/.test(String((w as { message?: unknown }).message)) ? 'alias-collision' : 'broken-link' }
        : w,
    WarningSchema,
  ),
);

const ImportRunListSchema = list('ImportRunList', ImportRunSchema, 'A page of import runs, newest first');

/** Past import runs, newest first, as the API shows them (the admin API and the console). */
export async function listImportRuns(db: Db, page: number, limit: number): Promise<{ items: ImportRun[]; total: number }> {
  const [rows, total] = await db.$transaction([
    db.importRun.findMany({ orderBy: { id: 'desc' }, skip: (page - 1) * limit, take: limit }),
    db.importRun.count(),
  ]);
  const items = rows.map((r) => ({
    ...r,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt.toISOString(),
    options: StoredOptions.parse(r.options),
    errors: StoredProblems.parse(r.errors),
    warnings: StoredWarnings.parse(r.warnings),
  }));
  return { items, total };
}

export type ImportOptions = Partial<Record<'dryRun' | 'prune' | 'pruneAll' | 'skipInvalid' | 'strict', boolean>>;

export interface ImportContext {
  db: Db;
  admin: AdminDeps;
  onImported: () => Promise<void>;
  /** Who asked: recorded with the run (http:address, console:address). */
  trigger: string;
  log: FastifyBaseLogger;
}

/**
 * Imports the content folder (or uploaded files) as the admin API does: the run's summary, or
 * an HttpProblem saying why not (409 busy, 422 with every file's problems). The console runs
 * imports through this too.
 */
export async function importContent(ctx: ImportContext, q: ImportOptions, uploads?: Upload[]): Promise<ImportSummary> {
  const { admin, db, onImported } = ctx;
  const onChange = webhookOutbox(admin.webhookUrls);
  const run = (dir: string) =>
    runImport(admin.importDb ?? db, admin.importer, {
      dir,
      trigger: ctx.trigger,
      dryRun: !!q.dryRun,
      prune: !uploads && !!(q.prune || q.pruneAll),
      pruneAll: !!q.pruneAll,
      skipInvalid: !!q.skipInvalid,
      strict: !!q.strict,
      ...(uploads && { partial: true, source: 'upload', mediaFrom: admin.contentDir }),
      ...(onChange && { onChange }),
      onWarning: (message) => ctx.log.warn(message),
    });
  try {
    const summary = await (uploads ? withUploadDir(uploads, run) : run(admin.contentDir));
    await onImported();
    return summary;
  } catch (err) {
    if (err instanceof ImportBusyError) throw new HttpProblem(409, 'import-in-progress', err.message);
    if (err instanceof PruneRefusedError) throw new HttpProblem(422, 'prune-refused', err.message);
    if (err instanceof EmptyFolderError) throw new HttpProblem(422, 'empty-folder', err.message);
    if (!(err instanceof ImportFailedError) || !err.summary) throw err;
    if (err.summary.status === 'partial') {
      await onImported();
      return err.summary;
    }
    throw new HttpProblem(422, 'import-failed', err.message.split('\n')[0]!, undefined, {
      files: err.problems,
      summary: err.summary,
    });
  }
}

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
      const q = { ...request.query };
      const body = uploads ? undefined : request.body;
      for (const key of ['dryRun', 'prune', 'pruneAll', 'skipInvalid', 'strict'] as const) q[key] = !!(q[key] || body?.[key]);
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
