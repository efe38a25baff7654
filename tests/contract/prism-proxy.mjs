// `prism proxy`, as its CLI builds it (prism-cli's createServer: the same operations, config,
// router, validators and server), with its forwarding step replaced. Prism's forwarder
// follows redirects (a client never sees the 301 it proxies) and parses every JSON-typed
// answer as JSON, which fails on a HEAD answer's empty body. This one passes the upstream
// answer on as it came, redirects and bodiless answers included, to Prism's validators.
// Run by Node.js 24 (Prism needs 24.18): node prism-proxy.mjs <document> <upstream> <port>
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(fileURLToPath(new URL('../../.ci/node24/node_modules/@stoplight/prism-cli/package.json', import.meta.url)));
const { createLogger } = require('@stoplight/prism-core');
const { getHttpOperationsFromSpec } = require('@stoplight/prism-http');
const { hopByHopHeaders } = require('@stoplight/prism-http/dist/forwarder/resources');
const { createServer } = require('@stoplight/prism-http-server');

const [document, upstream, port] = process.argv.slice(2);

/** Prism's own test of a JSON body (its parseResponseBody): JSON and any +json type. */
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/** The upstream answer to a request, in the shape Prism's forwarder gives its validators. */
async function send(input, baseUrl) {
  const url = new URL(input.url.path, baseUrl);
  for (const [name, value] of Object.entries(input.url.query ?? {})) {
    for (const v of [value].flat()) url.searchParams.append(name, v);
  }
  const headers = Object.fromEntries(Object.entries(input.headers).filter(([name]) => name !== 'host'));
  const body =
    input.body === null || input.body === undefined ? undefined : typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  const res = await fetch(url, { method: input.method.toUpperCase(), headers, body, redirect: 'manual' });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return {
    statusCode: res.status,
    headers: Object.fromEntries([...res.headers].filter(([name]) => !hopByHopHeaders.includes(name))),
    body: text && JSON_TYPE.test(type) ? JSON.parse(text) : text,
  };
}

// Prism's forward component: (request, upstream) -> logger -> TaskEither of the answer. With
// errors off (as here), Prism forwards every request, valid or not, and validates both ways.
const forward = (element, baseUrl) => () => () =>
  send(element.data, baseUrl).then(
    (right) => ({ _tag: 'Right', right }),
    (left) => ({ _tag: 'Left', left }),
  );

const logger = createLogger('CLI', { level: 'warn' });
const operations = await getHttpOperationsFromSpec(document);
const server = createServer(operations, {
  cors: false,
  config: {
    validateRequest: true,
    validateResponse: true,
    checkSecurity: true,
    errors: false,
    mock: { dynamic: false },
    isProxy: true,
    upstream: new URL(upstream),
    upstreamProxy: undefined,
  },
  components: { logger: logger.child({ name: 'HTTP SERVER' }), forward },
});
const address = await server.listen(Number(port), '127.0.0.1');
console.log(`Prism is listening on ${address}`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
