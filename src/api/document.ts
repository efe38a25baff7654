// The OpenAPI document as the server generates it, without a running server or a database:
// every route, admin ones included (they exist whenever a token is configured).
import type { Config } from '../config.js';
import { createDb } from '../db/client.js';
import { appDeps } from '../server.js';
import { buildApp } from './app.js';

export async function openApiDocument(config: Config): Promise<string> {
  // Building the app makes no database connection; the client is never queried here.
  const db = createDb('postgresql://localhost/unused');
  const app = await buildApp({ ...appDeps({ ...config, adminToken: 'x'.repeat(32) }, db), logger: false });
  const doc = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  return doc;
}
