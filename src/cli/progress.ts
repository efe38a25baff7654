// Import progress: a bar on a terminal, a line per phase otherwise (logs, CI).
import cliProgress from 'cli-progress';
import type { Progress } from '../importer/run.js';
import { err } from './output.js';

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
      const what = p.phase === 'write' ? 'writing' : p.phase === 'read' ? 'reading' : 'rendering';
      if (!tty || p.phase === 'write') err(p.phase === 'write' ? `${what}…` : `${what} ${p.total} files…`);
      else {
        bar = new cliProgress.SingleBar(
          { format: `${what.padEnd(9)} [{bar}] {value}/{total} files`, stream: process.stderr, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.total, 0);
      }
    }
    if (p.phase !== 'write') bar?.update(p.done);
  };
  return { onProgress, stop };
}
