// Tools that need a newer Node.js than the one running the tests (Prism: 24.18, Hey API's
// generator: 22.18) run on the Node.js 24 binary CI installs from npm, with them, in .ci/node24
// (locked by its own lock file). Nothing is downloaded at run time.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TOOLS = fileURLToPath(new URL('../../.ci/node24/node_modules/', import.meta.url));

/** An installed tool's file, or an error saying how to install it. */
export function tool(relative: string): string {
  const file = `${TOOLS}${relative}`;
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm ci --prefix .ci/node24\` (Node.js 24 and the contract tools)`);
  return file;
}

/** The Node.js 24 binary: this process's, when it is one already. */
export function node24(): string {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 24 || (major === 24 && minor >= 18) ? process.execPath : tool('node24/bin/node');
}
