// Import progress: a bar on a terminal, a line per phase otherwise (logs, CI).
import cliProgress from 'cli-progress';
import type { Progress } from '../importer/run.js';
import { err } from './output.js';

const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;

export function progressReporter(enabled: boolean): { onProgress: (p: Progress) => void; stop: () => void } {
  if (!enabled) return { onProgress: () => {}, stop: () => {} };
  const tty = process.stderr.isTTY;
  let bar: cliProgress.SingleBar | undefined;
  let phase: Progress['phase'] | undefined;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  const onProgress = (p: Progress) => {
    if (p.phase !== phase) {
      stop();
      phase = p.phase;
      // Only new or changed files are written: with none, no "writing" line says otherwise.
      if (!p.total) return;
      const what = p.phase === 'read' ? 'reading' : 'writing';
      if (!tty) err(`${what} ${files(p.total)}…`);
      else {
        bar = new cliProgress.SingleBar(
          { format: `${what.padEnd(9)} [{bar}] {value}/{total} files`, stream: process.stderr, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.total, 0);
      }
    }
    bar?.update(p.done);
  };
  return { onProgress, stop };
}
