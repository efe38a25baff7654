// Where the database is: the configured PostgreSQL, or the embedded PGlite under dataDir.
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DatabaseHandle {
  url: string;
  /** "postgres" for DATABASE_URL, "embedded" for a PGlite this process runs or shares. */
  kind: 'postgres' | 'embedded';
  close(): Promise<void>;
}

interface LockInfo {
  pid: number;
  url?: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(lockPath: string): Promise<LockInfo | null> {
  const text = await readFile(lockPath, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    return JSON.parse(text) as LockInfo;
  } catch {
    return { pid: 0 }; // half-written or garbage: treat as stale
  }
}

/**
 * PGlite's files may be opened by one process only. The first process to take the lock file
 * runs the embedded server and writes its URL there; a second process (an import while the
 * server runs) connects to that URL instead of opening the files again.
 */
export async function openEmbedded(dataDir: string): Promise<DatabaseHandle> {
  const dbDir = path.join(dataDir, 'pglite');
  const lockPath = path.join(dataDir, 'pglite.lock.json');
  for (let attempt = 0; attempt < 50; attempt++) {
    const handle = await open(lockPath, 'wx').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null; // dataDir missing: create it below
      if (err.code !== 'EEXIST') throw err;
      return undefined;
    });
    if (handle === null) {
      await mkdir(dataDir, { recursive: true });
      continue;
    }
    if (handle) {
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid } satisfies LockInfo));
        // PGlite (WebAssembly) is loaded only by the process that runs it.
        const { startEmbedded } = await import('./embedded.js');
        const server = await startEmbedded(dbDir);
        await handle.truncate(0);
        await handle.write(JSON.stringify({ pid: process.pid, url: server.url } satisfies LockInfo), 0);
        await handle.close();
        return {
          url: server.url,
          kind: 'embedded',
          async close() {
            await server.close();
            await rm(lockPath, { force: true });
          },
        };
      } catch (err) {
        await handle.close();
        await rm(lockPath, { force: true });
        throw err;
      }
    }
    const lock = await readLock(lockPath);
    if (lock && alive(lock.pid)) {
      if (lock.url) return { url: lock.url, kind: 'embedded', close: async () => {} };
      await sleep(100); // the owner is still starting its server
    } else {
      await rm(lockPath, { force: true }); // left by a process that died
    }
  }
  throw new Error(`could not open the embedded database in ${dbDir}: ${lockPath} stays locked`);
}

export async function openDatabase(config: { databaseUrl?: string; dataDir: string }): Promise<DatabaseHandle> {
  if (config.databaseUrl) return { url: config.databaseUrl, kind: 'postgres', close: async () => {} };
  return openEmbedded(config.dataDir);
}
