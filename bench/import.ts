// npm run bench:import [-- N]: the importer against its floor.
//
// Generates N articles (default 10,000; see corpus.ts), then measures, each phase in its
// own process so each has its own peak memory:
//   floor      read, parse and render every file, no database (no importer can do less)
//   first      `quire import DIR` into an empty database, the compiled CLI as a user runs it
//   unchanged  the same command again, with nothing changed
// The import phases are timed from outside (wall time, start-up included) and their peak
// RSS read by bench/peak-rss.mjs as the process exits. It prints times, peak RSS and each
// phase's ratio to the floor, and writes them as JSON under bench/results/. Ratios are what
// to compare; absolute times depend on the machine. (npm run bench:import builds dist/ first.)
//
// The database is a scratch one on BENCH_DATABASE_URL's server (default: the local
// PostgreSQL at 127.0.0.1:5432), created and dropped by the run.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { applyMigrations } from '../src/db/migrations.js';
import { normalize } from '../src/importer/normalize.js';
import { render } from '../src/importer/render.js';
import type { ImportSummary } from '../src/importer/report.js';
import { DEFAULT_EXCLUDE, listFiles, readSource, statFile } from '../src/importer/source.js';
import { generateCorpus } from './corpus.js';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), '..');

interface PhaseResult {
  phase: string;
  ms: number;
  peakRssMb: number;
  detail: string;
}

const SETTINGS = loadConfig({}).importer;

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function floor(dir: string): Promise<PhaseResult> {
  const start = performance.now();
  const { files } = await listFiles(dir, { include: SETTINGS.include, exclude: DEFAULT_EXCLUDE });
  let posts = 0;
  // Reads 32 at a time, as the importer does: the floor is the best either can do.
  for (let i = 0; i < files.length; i += 32) {
    const reads = await Promise.all(
      files.slice(i, i + 32).map(async (f) => readSource(dir, f, (await statFile(path.join(dir, f)))!, Infinity)),
    );
    for (const read of reads) {
      if (!read.ok) continue;
      const n = normalize(read.file, { defaultLang: 'en' });
      if (n.kind !== 'doc') continue;
      render(n.markdown);
      posts++;
    }
  }
  return { phase: 'floor', ms: performance.now() - start, peakRssMb: peakRssMb(), detail: `${posts} posts rendered` };
}

/** `quire import DIR --json`, the compiled CLI in a process of its own, as a user runs it. */
function importPhase(phase: string, dir: string, url: string): PhaseResult {
  const rssFile = path.join(dir, '..', `peak-rss-${phase}`);
  const start = performance.now();
  const out = spawnSync(
    process.execPath,
    ['--import', path.join(ROOT, 'bench', 'peak-rss.mjs'), path.join(ROOT, 'bin', 'quire.js'), 'import', dir, '--json'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, DATABASE_URL: url, PEAK_RSS_FILE: rssFile },
    },
  );
  const ms = performance.now() - start;
  if (out.status !== 0) throw new Error(`quire import (${phase}) exited ${out.status}:\n${out.stderr}`);
  const s = JSON.parse(out.stdout) as ImportSummary;
  const detail = `created ${s.created.length}, updated ${s.updated.length}, unchanged ${s.unchanged}; the run itself ${s.durationMs} ms`;
  return { phase, ms, peakRssMb: Number(readFileSync(rssFile, 'utf8')), detail };
}

/** Child mode: the floor, in a process of its own; prints its result as JSON. */
async function child(dir: string) {
  process.stdout.write(`${JSON.stringify(await floor(dir))}\n`);
}

function runFloor(dir: string): PhaseResult {
  const out = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--phase', 'floor', dir], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (out.status !== 0) throw new Error(`the floor failed:\n${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as PhaseResult;
}

async function main() {
  const count = Number(process.argv[2] ?? 10_000);
  if (!Number.isInteger(count) || count < 1) throw new Error(`N must be a positive whole number, got ${process.argv[2]}`);
  const root = await mkdtemp(path.join(os.tmpdir(), 'quire-bench-'));
  const dir = path.join(root, 'content');
  const dbName = `quire_bench_${process.pid}`;
  const url = Object.assign(new URL(SERVER), { pathname: `/${dbName}` }).toString();
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  try {
    console.log(`generating ${count} articles in ${dir}…`);
    const stats = await generateCorpus(dir, count);
    await admin.query(`CREATE DATABASE "${dbName}"`);
    await applyMigrations(url);

    const results = [runFloor(dir), importPhase('first', dir, url), importPhase('unchanged', dir, url)];
    const base = results[0]!.ms;
    const rows = results.map((r) => ({ ...r, ms: Math.round(r.ms), ratio: Number((r.ms / base).toFixed(2)) }));
    console.log(`\nimport of ${count} articles (${JSON.stringify(stats.languages)} public by language)\n`);
    console.log('phase       time (ms)   × floor   peak RSS (MB)   detail');
    for (const r of rows) {
      console.log(
        `${r.phase.padEnd(10)} ${String(r.ms).padStart(10)} ${r.ratio.toFixed(2).padStart(9)} ${String(r.peakRssMb).padStart(15)}   ${r.detail}`,
      );
    }
    const resultsDir = path.join(ROOT, 'bench', 'results');
    await mkdir(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `import-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    const machine = { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30) };
    const commit = (() => {
      try {
        return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
      } catch {
        return null;
      }
    })();
    await writeFile(file, `${JSON.stringify({ articles: count, commit, machine, results: rows }, null, 2)}\n`);
    console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
    await admin.end();
    await rm(root, { recursive: true, force: true });
  }
}

const phaseAt = process.argv.indexOf('--phase');
if (phaseAt >= 0) await child(process.argv[phaseAt + 2]!);
else await main();
