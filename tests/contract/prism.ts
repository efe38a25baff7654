// Stoplight Prism as a validating proxy: every request goes through it to the API, and it
// checks both against the OpenAPI document (parameters, bodies, security; status, content
// type, headers and body of the response), reporting each violation in an `sl-violations`
// header. The test reads that header on every answer.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { node24, tool } from './node24.js';

const PROXY = fileURLToPath(new URL('./prism-proxy.mjs', import.meta.url));

export interface Violation {
  location: string[];
  severity: string;
  code?: string | number;
  message: string;
}

export interface Prism {
  url: string;
  /** What Prism printed (its log names each request and violation). */
  output(): string;
  close(): Promise<void>;
}

/** A free port on the loopback (Prism takes no port 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

/** Starts Prism's proxy (prism-proxy.mjs) from document to upstream; resolves once it listens. */
export async function startPrism(document: string, upstream: string): Promise<Prism> {
  const port = await freePort();
  tool('@stoplight/prism-cli/package.json');
  const child = spawn(node24(), [PROXY, document, upstream, String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // No telemetry call home on start (there is no network to reach anyway).
    env: { ...process.env, SCARF_ANALYTICS: 'false' },
  });
  let output = '';
  const listening = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Prism is listening')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`prism exited with ${code} before listening:\n${output}`)));
  });
  await listening;
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    close: async () => {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

/** The violations Prism found in one exchange (none: no header). */
export function violationsOf(headers: Headers): Violation[] {
  const raw = headers.get('sl-violations');
  if (!raw) return [];
  // Past 8 KB Prism cuts the list short, and says so in front of it.
  if (raw.startsWith('Too many violations!')) return [{ location: ['response'], severity: 'Error', message: raw.slice(0, 500) }];
  return JSON.parse(raw) as Violation[];
}
