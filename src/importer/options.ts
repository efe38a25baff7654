// What an import can be asked to do, however it is started: the CLI's flags, the admin API's
// query parameters and JSON body, the console's forms. Declared once here; each of those
// derives its own form (a --flag, a "true"/"1" parameter, a JSON boolean) from it.
import { z } from 'zod';

export const IMPORT_OPTIONS = {
  dryRun: { flag: 'dry-run', help: 'show what would be created, updated, deleted; write nothing' },
  prune: {
    flag: 'prune',
    help: 'delete documents whose file is gone, and tags, categories and authors left with none (refused past QUIRE_PRUNE_MAX_PERCENT; folder imports only)',
  },
  pruneAll: { flag: 'prune-all', help: 'prune even when that deletes most or all of the documents' },
  allowEmpty: { flag: 'allow-empty', help: 'a folder with no Markdown is not an error' },
  skipInvalid: { flag: 'skip-invalid', help: 'import the valid files even when some are not' },
  strict: { flag: 'strict', help: 'broken internal links and colliding aliases are errors' },
} as const;

export type ImportOption = keyof typeof IMPORT_OPTIONS;
export const IMPORT_OPTION_NAMES = Object.keys(IMPORT_OPTIONS) as ImportOption[];

const shape = <T extends z.ZodType>(each: (help: string) => T) =>
  Object.fromEntries(IMPORT_OPTION_NAMES.map((k) => [k, each(IMPORT_OPTIONS[k].help)])) as Record<ImportOption, T>;

export const ImportOptionsSchema = z.strictObject(shape((help) => z.boolean().optional().describe(help)));
export type ImportOptions = z.infer<typeof ImportOptionsSchema>;

/** The same options as query parameters: true, false, 1 or 0. */
export const ImportOptionsQuerySchema = z.strictObject(
  shape((help) =>
    z
      .enum(['true', 'false', '1', '0'])
      .transform((v) => v === 'true' || v === '1')
      .optional()
      .describe(help),
  ),
);

/** Options from several sources (a query and a JSON body): any that says yes, says yes. */
export function mergeOptions(...sources: (ImportOptions | null | undefined)[]): Required<ImportOptions> {
  return Object.fromEntries(IMPORT_OPTION_NAMES.map((k) => [k, sources.some((s) => !!s?.[k])])) as Required<ImportOptions>;
}
