// How the CLI talks: results on stdout, progress and problems on stderr.
import path from 'node:path';
import { type DocumentRef, type FileProblem, formatProblem, type ImportSummary, type Warning } from '../importer/report.js';

export const out = (line = '') => process.stdout.write(`${line}\n`);
export const err = (line = '') => process.stderr.write(`${line}\n`);

/** A path as the user would type it: relative below the working directory, else absolute. */
export function shown(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  return rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const refs = (list: DocumentRef[]) => list.map((p) => `${p.kind === 'page' ? 'page ' : ''}${p.lang}/${p.slug}`).join(', ');
const where = (w: Warning) => (w.line ? `${w.file}:${w.line}` : w.file);

export function printProblems(problems: FileProblem[]) {
  for (const p of problems) err(`  ${formatProblem(p)}`);
}

export function printSummary(source: string, s: ImportSummary) {
  const verb = s.dryRun ? 'would import' : 'imported';
  out(`${verb} ${source}: ${plural(s.files, 'file')} in ${s.durationMs} ms${s.dryRun ? ' (dry run: nothing written)' : ''}`);
  const rows: [string, number, DocumentRef[] | undefined][] = [
    ['created', s.created.length, s.dryRun ? s.created : undefined],
    ['updated', s.updated.length, s.dryRun ? s.updated : undefined],
    ['unchanged', s.unchanged, undefined],
    ['deleted', s.deleted.length, s.dryRun || s.deleted.length <= 20 ? s.deleted : undefined],
    ['skipped', s.skipped.length, undefined],
    ['failed', new Set(s.problems.map((p) => p.file)).size, undefined],
  ];
  for (const [label, n, list] of rows) out(`  ${label.padEnd(10)} ${n}${list?.length ? `  (${refs(list)})` : ''}`);
  if (s.missing.length) out(`  missing    ${s.missing.length}  in the database with no file; --prune deletes them: ${refs(s.missing)}`);
  if (s.media.files) out(`  media      ${plural(s.media.files, 'file')} used, ${s.media.stored} new, ${s.media.removed} removed`);
  if (s.warnings.length) {
    out(`${plural(s.warnings.length, 'warning')} (errors under --strict):`);
    for (const w of s.warnings) out(`  ${where(w)}: ${w.message}`);
  }
}
