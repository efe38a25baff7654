// wrk in its own process over a list of paths (bench/wrk/paths.lua), with its figures as one
// JSON line, and wrk's own CPU use from GNU time: the runner of every wrk benchmark
// (bench/http.ts, bench/media.ts).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './support.js';

const LUA = path.join(ROOT, 'bench', 'wrk', 'paths.lua');
const GNU_TIME = '/usr/bin/time';

export interface Measure {
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  /** MB/s of response bodies and headers. */
  mbPerSec: number;
  /** wrk's CPU time as a share of one thread's worth of the run (GNU time). */
  wrkCpu: number | null;
  /** X-Cache HIT and MISS answers, when counted (countCache). */
  hits: number;
  misses: number;
}

export interface WrkOptions {
  seconds: number;
  connections: number;
  threads: number;
  /** Count X-Cache answers (a Lua call per response: off for throughput runs). */
  countCache?: boolean;
}

export const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** wrk, installed from Debian's packages when it is missing and we may. */
export function ensureWrk(): void {
  if (!spawnSync('wrk', ['--version']).error) return;
  if (process.getuid?.() === 0) {
    console.log('wrk is missing: installing it (apt-get install wrk)…');
    const apt = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'wrk'], { stdio: 'inherit' });
    if (apt.status === 0 && !spawnSync('wrk', ['--version']).error) return;
  }
  throw new Error('this benchmark needs wrk, the HTTP load generator: sudo apt-get install wrk');
}

/** One wrk run over the paths in `pathsFile`, round-robin. */
export async function wrk(base: string, pathsFile: string, o: WrkOptions): Promise<Measure> {
  const args = [`-t${o.threads}`, `-c${o.connections}`, `-d${o.seconds}s`, '--timeout', '5s', '-s', LUA, base];
  const timed = existsSync(GNU_TIME);
  const child = spawn(timed ? GNU_TIME : 'wrk', timed ? ['-f', 'TIME %U %S', 'wrk', ...args] : args, {
    env: { ...process.env, WRK_PATHS: pathsFile, WRK_COUNT_CACHE: o.countCache ? '1' : '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = out.split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (code !== 0 || !line) throw new Error(`wrk failed (exit ${code}):\n${out}\n${err}`);
  const r = JSON.parse(line.slice('WRK_JSON '.length)) as Record<string, number>;
  const time = /TIME ([\d.]+) ([\d.]+)/.exec(err);
  const seconds = r.durationUs! / 1e6;
  return {
    reqPerSec: Math.round(r.requests! / seconds),
    p50: round(r.p50Us! / 1000, 2),
    p99: round(r.p99Us! / 1000, 2),
    errors: r.connectErrors! + r.readErrors! + r.writeErrors! + r.statusErrors! + r.timeouts!,
    mbPerSec: round(r.bytes! / seconds / 1e6, 1),
    wrkCpu: time ? round((Number(time[1]) + Number(time[2])) / seconds / o.threads, 2) : null,
    hits: r.hits ?? 0,
    misses: r.misses ?? 0,
  };
}
