// A throwaway PostgreSQL cluster (initdb + pg_ctl on a spare port) that a test may stop
// and start at will, never disturbing the shared server the other tests use.
import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The server's programs: PG_BINDIR, or pg_config's answer. */
async function binDir(): Promise<string> {
  if (process.env.PG_BINDIR) return process.env.PG_BINDIR;
  try {
    return (await run('pg_config', ['--bindir'])).stdout.trim();
  } catch {
    throw new Error("the fault tests need PostgreSQL's server programs (initdb, pg_ctl): set PG_BINDIR or put pg_config on PATH");
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Cluster {
  port: number;
  /** postgresql://postgres@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  start(): Promise<void>;
  /** pg_ctl stop -m fast: sessions are ended, as when an operator stops the server. */
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

export interface ClusterOptions {
  /** A fixed port (else a free one): TEST_CLUSTER_PORT_BASE keeps a run's clusters on its own. */
  port?: number;
  /** A hot standby of this cluster (pg_basebackup -R: it streams from it), not a new one. */
  replicaOf?: Cluster;
}

/** The n-th fixed port from TEST_CLUSTER_PORT_BASE, or undefined (a free one is taken). */
export const clusterPort = (n: number) => (process.env.TEST_CLUSTER_PORT_BASE ? Number(process.env.TEST_CLUSTER_PORT_BASE) + n : undefined);

export async function createCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const bin = await binDir();
  const dir = await mkdtemp(path.join(tmpdir(), 'quire-pg-'));
  const data = path.join(dir, 'data');
  // initdb refuses to run as root; the cluster then belongs to the postgres user.
  const asRoot = process.getuid?.() === 0;
  const as = async (program: string, args: string[]) => {
    const file = path.join(bin, program);
    return asRoot ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, args);
  };
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const uid = Number(stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    await chown(dir, uid, gid);
  }
  if (opts.replicaOf) {
    const from = opts.replicaOf;
    await as('pg_basebackup', [
      '-D',
      data,
      '-h',
      '127.0.0.1',
      '-p',
      String(from.port),
      '-U',
      'postgres',
      '-R',
      '-X',
      'stream',
      '--checkpoint=fast',
      '--no-sync',
    ]);
  } else {
    await as('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  }
  const port = opts.port ?? (await freePort());
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
  const cluster: Cluster = {
    port,
    url: (database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    async start() {
      await as('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start']);
    },
    async stop() {
      await as('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
    },
    async destroy() {
      await as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}
