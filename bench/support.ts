// What the HTTP benchmarks share: a generated blog in a scratch database, ports, starting
// Quire servers and waiting for them, a process's memory from /proc, and the results file.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { createDb } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrations.js';
import { runImport } from '../src/importer/run.js';
import { generateCorpus } from './corpus.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once `url` answers 200; fails if the process exits first or after 60 s. */
export async function ready(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready after 60 s`);
}

async function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1];
  return kb ? Number(kb) : null;
}

/** Peak resident memory of a process so far (Linux), in MB. */
export async function peakRssMb(pid: number): Promise<number | null> {
  const kb = await statusKb(pid, 'VmHWM');
  return kb === null ? null : Math.round(kb / 1024);
}

/** Resident memory of a process now (Linux), in MB. */
export async function rssMb(pid: number): Promise<number | null> {
  const kb = await statusKb(pid, 'VmRSS');
  return kb === null ? null : Math.round(kb / 1024);
}

/** `quire serve` on 127.0.0.1:port, logging only warnings. */
export function startQuire(url: string, port: number, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    cwd: ROOT,
    // One client sending thousands of requests a second: the per-address limit is off here.
    env: { ...process.env, DATABASE_URL: url, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', QUIRE_RATE_LIMIT: '0', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface ScratchBlog {
  dir: string;
  dbUrl: string;
  importMs: number;
  drop(): Promise<void>;
}

/** A generated blog of `count` articles imported into a database of its own. */
export async function scratchBlog(name: string, count: number): Promise<ScratchBlog> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `quire-${name}-`));
  const dbName = `quire_${name}_${process.pid}`;
  const dbUrl = Object.assign(new URL(SERVER), { pathname: `/${dbName}` }).toString();
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: SERVER });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const drop = async () => {
    await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await generateCorpus(dir, count);
    await admin(`CREATE DATABASE "${dbName}"`);
    await applyMigrations(dbUrl);
    const db = createDb(dbUrl);
    const start = performance.now();
    try {
      await runImport(db, loadConfig({}).importer, { dir, trigger: 'bench' });
    } finally {
      await db.$disconnect();
    }
    return { dir, dbUrl, importMs: Math.round(performance.now() - start), drop };
  } catch (err) {
    await drop();
    throw err;
  }
}

/** Stops the servers a benchmark started and waits for them to exit. */
export async function stopAll(children: ChildProcess[]): Promise<void> {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.filter((c) => c.exitCode === null).map((c) => new Promise((r) => c.once('exit', r))));
}

/** The commit measured, for the results file. */
export function commitId(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

/** Writes a benchmark's figures as JSON under bench/results/, and says where. */
export async function saveResults(kind: string, data: Record<string, unknown>): Promise<void> {
  const resultsDir = path.join(ROOT, 'bench', 'results');
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${kind}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const machine = { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model };
  await writeFile(file, `${JSON.stringify({ commit: commitId(), machine, ...data }, null, 2)}\n`);
  console.log(`written to ${path.relative(process.cwd(), file)}`);
}
