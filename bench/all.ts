// npm run bench [-- N]: every read benchmark, one after the other, each in its own process:
// bench/http.ts (N articles, default 10,000), bench/media.ts, bench/scale.ts (its own default).
// Each prints its table and writes its JSON under bench/results/; the first failure stops the rest.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './support.js';

const runs: [string, string[]][] = [
  ['http.ts', process.argv.slice(2)],
  ['media.ts', []],
  ['scale.ts', []],
];
for (const [script, args] of runs) {
  const { status } = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', script), ...args], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (status !== 0) {
    console.error(`bench/${script} failed (exit ${status})`);
    process.exit(status ?? 1);
  }
}
