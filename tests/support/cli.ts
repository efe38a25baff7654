// The real `quire` command, run from source in a child process.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARGS = ['--import', 'tsx', 'src/cli.ts'];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a user would have: no DATABASE_URL unless the test gives one. */
function envWith(env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _, ...rest } = process.env;
  return { ...rest, LOG_LEVEL: 'info', ...env };
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...ARGS, ...args], { cwd: ROOT, env: envWith(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface RunningCli {
  child: ChildProcess;
  /** Resolves with the first match of `pattern` in stdout; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** The same on stderr. */
  waitForErr(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Sends `signal` (SIGTERM by default) and resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
  /** Resolves when the process has exited, by itself or not. */
  exited: Promise<CliResult>;
}

export function startCli(args: string[], env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, [...ARGS, ...args], { cwd: ROOT, env: envWith(env) });
  const text = { stdout: '', stderr: '' };
  const exited = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, ...text })));
  child.stderr.on('data', (d: Buffer) => (text.stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (text.stdout += d.toString()));
  const waitOn = (stream: 'stdout' | 'stderr') => (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = text[stream].match(pattern);
        if (m) {
          child[stream].off('data', check);
          resolve(m);
        }
      };
      child[stream].on('data', check);
      check();
      void exited.then((r) => reject(new Error(`exited (${r.code}) before ${pattern}:\n${r.stdout}\n${r.stderr}`)));
    });
  return {
    child,
    exited,
    waitFor: waitOn('stdout'),
    waitForErr: waitOn('stderr'),
    stop: (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}
