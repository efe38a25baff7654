// Why an import stops: invalid files (each named with file, line, field and reason), a
// folder with nothing to import, or a prune that would delete most of the blog.
import { type FileProblem, formatProblem, type ImportSummary } from './report.js';

/**
 * Thrown when any file is invalid. Without --skip-invalid the run wrote nothing; with it,
 * the valid files were imported and `summary.status` is "partial".
 */
export class ImportFailedError extends Error {
  override name = 'ImportFailedError';
  constructor(
    readonly problems: FileProblem[],
    readonly summary?: ImportSummary,
  ) {
    const wrote = summary?.dryRun
      ? 'a dry run: nothing was written'
      : summary?.status === 'partial'
        ? 'the other files were imported'
        : 'nothing was written';
    super(
      `import failed: ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${new Set(problems.map((p) => p.file)).size} file(s), ${wrote}\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
    );
  }
}

/** A folder with no Markdown: most often a wrong path or an empty volume. */
export class EmptyFolderError extends Error {
  override name = 'EmptyFolderError';
  constructor(readonly dir: string) {
    super(`no Markdown files in ${dir}: check the path (or pass --allow-empty to import an empty folder)`);
  }
}

/** --prune would delete all, or more than the allowed share, of the documents. */
export class PruneRefusedError extends Error {
  override name = 'PruneRefusedError';
  constructor(
    readonly deleting: number,
    readonly total: number,
    readonly maxPercent: number,
  ) {
    const share = Math.round((deleting / Math.max(1, total)) * 100);
    super(
      `--prune would delete ${deleting} of ${total} documents (${share}%), ` +
        `${deleting === total ? 'all of them' : `more than the ${maxPercent}% QUIRE_PRUNE_MAX_PERCENT allows`}: ` +
        'nothing was written. Check that the folder is the right one and is complete; to delete them anyway, pass --prune-all',
    );
  }
}
