// Shapes of the admin API: import runs and their summaries.
import { z } from 'zod';

const PostRefSchema = z
  .object({ slug: z.string(), lang: z.string(), sourcePath: z.string() })
  .meta({ id: 'PostRef', description: 'A post by its slug and language, and the file it comes from' });

export const FileProblemSchema = z
  .object({
    file: z.string().describe('Path relative to the content folder'),
    field: z.string().optional().describe('The front-matter key at fault'),
    line: z.number().int().optional().describe('1-based line in the file'),
    message: z.string(),
  })
  .meta({ id: 'FileProblem' });

const WarningSchema = z
  .object({ file: z.string(), line: z.number().int().optional(), message: z.string() })
  .meta({ id: 'ImportWarning', description: 'A broken internal link or a colliding alias (an error under strict)' });

export const ImportSummarySchema = z
  .object({
    runId: z.number().int().nullable().describe('The recorded run; null for a dry run'),
    status: z.enum(['succeeded', 'partial', 'failed']),
    dryRun: z.boolean(),
    files: z.number().int().describe('Files read'),
    created: z.array(PostRefSchema),
    updated: z.array(PostRefSchema),
    unchanged: z.number().int(),
    deleted: z.array(PostRefSchema),
    missing: z.array(PostRefSchema).describe('Posts whose file is gone, kept because prune was not asked'),
    skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
    problems: z.array(FileProblemSchema).describe('Why files failed (skipInvalid imported the others)'),
    warnings: z.array(WarningSchema),
    durationMs: z.number().int(),
  })
  .meta({ id: 'ImportSummary' });

export const ImportRunSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(['succeeded', 'partial', 'failed']),
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

const flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

export const ImportQuerySchema = z.strictObject({
  dryRun: flag.describe('Show the plan; write nothing'),
  prune: flag.describe('Delete posts whose file is gone (folder imports only)'),
  skipInvalid: flag.describe('Import the valid files even when some are not'),
  strict: flag.describe('Broken internal links and colliding aliases are errors'),
});
