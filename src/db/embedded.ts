// The embedded default: PGlite (PostgreSQL compiled to WebAssembly) served over the
// PostgreSQL wire protocol on loopback, so the app, the importer and the schema engine talk
// to it through the same pg driver they use for a real server.
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts PGlite on `dataDir` (or in memory when it is undefined) behind a socket server on a
 * free loopback port. The server multiplexes connections onto PGlite's single session and
 * keeps a transaction's statements together, so a small pg pool is safe.
 */
export async function startEmbedded(dataDir: string | undefined, maxConnections = 10): Promise<EmbeddedDatabase> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  try {
    await server.start();
  } catch (err) {
    await db.close();
    throw err;
  }
  return {
    url: `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}
