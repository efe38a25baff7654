// Shapes of the admin API: import runs and their summaries.
import { z } from 'zod';
import { ImportOptionsQuerySchema, ImportOptionsSchema } from '../importer/options.js';

export { ImportSummarySchema } from '../importer/report.js';

export { ImportRunSchema, type ImportRun } from '../importer/run-history.js';

export const ImportQuerySchema = ImportOptionsQuerySchema;

/** The same options as a JSON body (a request with Content-Type: application/json). */
export const ImportBodySchema = ImportOptionsSchema.nullish().meta({
  id: 'ImportOptions',
  description: 'Options of a folder import, as JSON (or as query parameters)',
});

/** An upload to import: Markdown and media files, each part's filename its path in the content folder. */
export const ImportUploadSchema = z
  .object({
    files: z
      .array(z.string().meta({ format: 'binary' }))
      .min(1)
      .describe("The files (one part each, repeated): each part's filename is its path, e.g. posts/hello.md or posts/img/cover.png"),
  })
  .meta({ id: 'ImportUpload', description: 'Files imported beside what the database holds' });
