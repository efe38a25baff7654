// What an import run reports, one zod schema per shape: the importer fills them, the CLI
// prints them, the admin API serves them and the OpenAPI document describes them.
import { z } from 'zod';

export const FileProblemSchema = z
  .object({
    file: z.string().describe('Path relative to the content folder'),
    field: z.string().optional().describe('The front-matter key at fault'),
    line: z.number().int().optional().describe('1-based line in the file'),
    message: z.string().describe('What is wrong, and how to fix it'),
  })
  .meta({ id: 'FileProblem' });
export type FileProblem = z.infer<typeof FileProblemSchema>;

export const WARNING_CODES = [
  'duplicate-key',
  'title-from-file-name',
  'slug-taken',
  'shortcode',
  'broken-link',
  'alias-collision',
  'missing-media',
  'undated-page',
  'removed-html',
  'approximated',
  'invalid-value',
] as const;

export const WarningSchema = z
  .object({
    code: z.enum(WARNING_CODES).describe('The kind of warning, stable for tools'),
    file: z.string(),
    line: z.number().int().optional(),
    message: z.string(),
  })
  .meta({ id: 'ImportWarning', description: 'Something an author may want to fix (an error under strict)' });
export type Warning = z.infer<typeof WarningSchema>;

export const DocumentRefSchema = z
  .object({
    kind: z.enum(['post', 'page']),
    slug: z.string(),
    lang: z.string(),
    path: z.string().describe('Its URL path on the site'),
    sourcePath: z.string(),
  })
  .meta({ id: 'DocumentRef', description: 'A post or page by its slug, language and path, and the file it comes from' });
export type DocumentRef = z.infer<typeof DocumentRefSchema>;

export const SkippedFileSchema = z.object({ file: z.string(), reason: z.string() }).meta({ id: 'SkippedFile' });

export const IMPORT_STATUSES = ['succeeded', 'partial', 'failed'] as const;

export const ImportSummarySchema = z
  .object({
    runId: z.number().int().nullable().describe('The recorded run; null for a dry run'),
    status: z.enum(IMPORT_STATUSES),
    dryRun: z.boolean(),
    files: z.number().int().describe('Markdown files found'),
    created: z.array(DocumentRefSchema),
    updated: z.array(DocumentRefSchema),
    unchanged: z.number().int(),
    deleted: z.array(DocumentRefSchema),
    missing: z.array(DocumentRefSchema).describe('Documents whose file is gone, kept because prune was not asked'),
    skipped: z.array(SkippedFileSchema),
    problems: z.array(FileProblemSchema).describe('Why files failed (skipInvalid imported the others)'),
    warnings: z.array(WarningSchema),
    media: z
      .object({
        files: z.number().int().describe('Files the documents use'),
        stored: z.number().int().describe('New ones stored by this run'),
        removed: z.number().int(),
      })
      .describe('Images and other files beside the documents'),
    durationMs: z.number().int(),
  })
  .meta({ id: 'ImportSummary' });
export type ImportSummary = z.infer<typeof ImportSummarySchema>;

export function formatProblem(p: FileProblem): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file;
  return p.field ? `${where}: ${p.field}: ${p.message}` : `${where}: ${p.message}`;
}
