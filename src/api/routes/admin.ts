// /v1/admin: trigger an import over HTTP and list past runs. Registered only when an admin
// token is configured; every request must carry it as a bearer token.
import path from 'node:path';
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PageQuerySchema, pageOf, ok } from '../../blog/schemas.js';
import type { Db } from '../../db/client.js';
import { ImportBusyError } from '../../importer/apply.js';
import { ImportFailedError } from '../../importer/problems.js';
import { type ImporterSettings, runImport, type Upload } from '../../importer/run.js';
import { FileProblemSchema, ImportQuerySchema, ImportRunSchema, ImportSummarySchema } from '../admin.schemas.js';
import { paginate } from '../pagination.js';
import { requireBearer } from '../plugins/admin-auth.js';
import { uncacheable } from '../plugins/delivery.js';
import { HttpProblem, PROBLEM_CONTENT_TYPE, ProblemSchema, problemResponses } from '../problems.js';

export interface AdminDeps {
  token: string;
  contentDir: string;
  importer: ImporterSettings;
  /** Runs imports, when given: a client whose timeouts allow the wait for the import lock. */
  importDb?: Db;
}

const MAX_UPLOAD_FILES = 1000;
const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

const ImportFailedSchema = ProblemSchema.extend({
  files: z.array(FileProblemSchema).describe('Every problem of every file'),
  summary: ImportSummarySchema.describe('What the run saw; nothing was written'),
}).meta({ id: 'ImportFailedProblem' });

/** The uploaded files; a body that is not well-formed multipart is the client's error (400). */
async function readUploads(request: FastifyRequest): Promise<Upload[]> {
  const uploads: Upload[] = [];
  let total = 0;
  try {
    for await (const part of request.files()) {
      const file = safePath(part.filename);
      if (!file) {
        throw new HttpProblem(400, 'invalid-parameter', `"${part.filename}" is not a Markdown file path inside the content folder`, [
          { in: 'body', name: part.fieldname, reason: 'must be a relative path ending in .md, .markdown or .mdx' },
        ]);
      }
      const bytes = await part.toBuffer();
      total += bytes.length;
      if (total > MAX_UPLOAD_BYTES) {
        throw new HttpProblem(413, 'payload-too-large', `the upload is over ${MAX_UPLOAD_BYTES / 1024 / 1024} MB in all`);
      }
      uploads.push({ path: file, bytes });
    }
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (err instanceof HttpProblem || (status && status < 500)) throw err;
    throw new HttpProblem(400, 'bad-request', `the multipart body could not be read: ${(err as Error).message}`);
  }
  if (!uploads.length) throw new HttpProblem(400, 'invalid-parameter', 'the upload holds no file', [{ in: 'body', name: '', reason: 'no file part' }]);
  return uploads;
}

/** An uploaded file's name as a path inside the content folder, or a reason it is not one. */
function safePath(name: string): string | undefined {
  const p = path.posix.normalize(name.replace(/\\/g, '/'));
  if (!p || p.startsWith('/') || p.startsWith('..') || p.includes('\0') || p.split('/').some((s) => s.startsWith('.'))) {
    return undefined;
  }
  return /\.(md|markdown|mdx)$/i.test(p) ? p : undefined;
}

export const adminRoutes: FastifyPluginAsyncZod<{
  db: Db;
  admin: AdminDeps;
  onImported: () => Promise<void>;
  /** Requests a minute per client address; 0: none of their own. */
  rateLimit: number;
}> = async (app, { db, admin, onImported, rateLimit }) => {
  // Stricter than public reads: a token guessed a minute at a time is a token never guessed.
  // 0: no limit of their own; the public one, if any, still counts them.
  const limit: { rateLimit?: { max: number; timeWindow: string } } =
    rateLimit > 0 ? { rateLimit: { max: rateLimit, timeWindow: '1 minute' } } : {};
  requireBearer(app, admin.token);
  app.addHook('onRequest', async (_request, reply) => {
    uncacheable(reply);
  });
  await app.register(multipart, {
    // Keep "posts/hello.md" as sent: the folders are part of the file's place. safePath checks it.
    preservePath: true,
    limits: { fileSize: admin.importer.maxFileBytes ?? 20 * 1024 * 1024, files: MAX_UPLOAD_FILES, fields: 20 },
  });

  app.post(
    '/imports',
    {
      config: limit,
      schema: {
        operationId: 'createImport',
        summary: 'Import the content folder, or the Markdown files uploaded as multipart/form-data',
        description:
          'Without a body, re-imports the server\'s content folder. With multipart/form-data, imports ' +
          'the uploaded files (each part\'s filename is its path, e.g. posts/hello.md) beside what ' +
          'the database holds. 200 carries the run\'s summary (status "partial" when skipInvalid left ' +
          'files out); 422 lists every problem and means nothing was written.',
        tags: ['admin'],
        security: [{ adminToken: [] }],
        querystring: ImportQuerySchema,
        response: {
          200: ok('The run\'s summary', ImportSummarySchema),
          422: { description: 'Invalid files; nothing was written', content: { [PROBLEM_CONTENT_TYPE]: { schema: ImportFailedSchema } } },
          ...problemResponses(400, 401, 409, 413, 415),
        },
      },
    },
    async (request) => {
      const uploads = request.isMultipart() ? await readUploads(request) : undefined;
      const q = request.query;
      try {
        const summary = await runImport(admin.importDb ?? db, admin.importer, {
          dir: admin.contentDir,
          trigger: `http:${request.ip}`,
          dryRun: q.dryRun,
          prune: q.prune && !uploads,
          skipInvalid: q.skipInvalid,
          strict: q.strict,
          ...(uploads && { uploads }),
        });
        await onImported();
        return summary;
      } catch (err) {
        if (err instanceof ImportBusyError) throw new HttpProblem(409, 'import-in-progress', err.message);
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
        response: { 200: ok('A page of import runs', pageOf(ImportRunSchema)), ...problemResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const { page, limit } = request.query;
      const [rows, total] = await db.$transaction([
        db.importRun.findMany({ orderBy: { id: 'desc' }, skip: (page - 1) * limit, take: limit }),
        db.importRun.count(),
      ]);
      const items = rows.map((r) => ({
        ...r,
        startedAt: r.startedAt.toISOString(),
        finishedAt: r.finishedAt.toISOString(),
        options: r.options as Record<string, boolean>,
        errors: r.errors as z.infer<typeof FileProblemSchema>[],
        warnings: r.warnings as { file: string; line?: number; message: string }[],
      }));
      return paginate(request, reply, request.query, items, total);
    },
  );
};
