// Shapes of the admin API: import runs and their summaries.
import { z } from 'zod';
import { FileProblemSchema, IMPORT_STATUSES, WarningSchema } from '../importer/report.js';

export { ImportSummarySchema } from '../importer/report.js';

export const ImportRunSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(IMPORT_STATUSES),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime(),
    source: z.string().describe('The folder imported, or "upload"'),
    trigger: z.string().describe('Who started it: cli:user@host or http:address'),
    options: z.record(z.string(), z.boolean()),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    deleted: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    errors: z.array(FileProblemSchema),
    warnings: z.array(WarningSchema),
  })
  .meta({ id: 'ImportRun' });
export type ImportRun = z.infer<typeof ImportRunSchema>;

const flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

export const ImportQuerySchema = z.strictObject({
  dryRun: flag.describe('Show the plan; write nothing'),
  prune: flag.describe('Delete posts whose file is gone (folder imports only)'),
  pruneAll: flag.describe('Prune even past QUIRE_PRUNE_MAX_PERCENT of the posts (all of them, if the folder is empty)'),
  skipInvalid: flag.describe('Import the valid files even when some are not'),
  strict: flag.describe('Broken internal links and colliding aliases are errors'),
});

/** The same options as a JSON body (a request with Content-Type: application/json). */
export const ImportBodySchema = z
  .strictObject({
    dryRun: z.boolean().optional(),
    prune: z.boolean().optional(),
    pruneAll: z.boolean().optional(),
    skipInvalid: z.boolean().optional(),
    strict: z.boolean().optional(),
  })
  .nullish()
  .meta({ id: 'ImportOptions', description: 'Options of a folder import, as JSON (or as query parameters)' });

/** An upload to import: Markdown and media files, each part's filename its path in the content folder. */
export const ImportUploadSchema = z
  .object({
    files: z
      .array(z.string().meta({ format: 'binary' }))
      .min(1)
      .describe("The files (one part each, repeated): each part's filename is its path, e.g. posts/hello.md or posts/img/cover.png"),
  })
  .meta({ id: 'ImportUpload', description: 'Files imported beside what the database holds' });
