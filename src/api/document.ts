// The OpenAPI document as the server generates it, without a running server or a database:
// every route, admin ones and the Ghost layer included (they exist whenever configured).
import type { Config } from '../config.js';
import { createDb } from '../db/client.js';
import { createReader } from '../db/reader.js';
import { appDeps } from '../server.js';
import { buildApp } from './app.js';

export async function openApiDocument(config: Config): Promise<string> {
  // Building the app makes no database connection; the clients are never queried here.
  const url = 'postgresql://localhost/unused';
  const [db, reader] = [createDb(url), createReader(url)];
  // Every route, admin ones and preview links included (they exist whenever a token is set),
  // and the Ghost layer (whenever a content key is).
  const all = {
    ...config,
    adminToken: 'x'.repeat(32),
    previews: config.previews ?? { secret: 'x'.repeat(32), ttlMs: 60_000 },
    ghost: config.ghost ?? { keys: ['0'.repeat(26)], limitAll: false },
  };
  const app = await buildApp({ ...appDeps(all, db, { reader, writer: reader }), logger: false });
  const doc = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  await reader.close();
  return doc;
}
