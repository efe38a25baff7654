// What the importer reports about a file: where (file, field, line) and why.
import type { ImportSummary } from './run.js';

export interface FileProblem {
  /** Path relative to the content folder. */
  file: string;
  /** The front-matter key at fault, when there is one. */
  field?: string;
  /** 1-based line in the file, when known. */
  line?: number;
  message: string;
}

export function formatProblem(p: FileProblem): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file;
  return p.field ? `${where}: ${p.field}: ${p.message}` : `${where}: ${p.message}`;
}

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
    const wrote = summary?.status === 'partial' ? 'the other files were imported' : 'nothing was written';
    super(
      `import failed: ${problems.length} problem${problems.length === 1 ? '' : 's'}, ${wrote}\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
    );
  }
}
