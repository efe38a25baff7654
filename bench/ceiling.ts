// The ceilings: servers that answer captured Quire responses from memory, with the same
// status, headers and bytes, and nothing else (no database, no validation, no cache lookup
// beyond one Map). Started by bench/http.ts, each in its own process.
//   fastify  a bare Fastify server: what Quire's cached path would cost if Fastify's routing
//            and reply were all it did
//   node     raw node:http: the floor of any Node server
// Usage: node bench/ceiling.ts <fastify|node> <responses.json> <port>
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import Fastify from 'fastify';

export interface Captured {
  url: string;
  status: number;
  headers: Record<string, string>;
  /** base64 */
  body: string;
}

/** Headers that belong to one connection or one moment, not to the response. */
const PER_CONNECTION = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

const [mode, file, port] = process.argv.slice(2);
const captured = JSON.parse(await readFile(file!, 'utf8')) as Captured[];
const responses = new Map(
  captured.map((c) => {
    const body = Buffer.from(c.body, 'base64'); // encoded once, as a best-case server would
    const headers = Object.fromEntries(Object.entries(c.headers).filter(([k]) => !PER_CONNECTION.has(k)));
    return [c.url, { status: c.status, headers: { ...headers, 'content-length': String(body.length) }, body }];
  }),
);

if (mode === 'node') {
  const server = http.createServer((req, res) => {
    const r = responses.get(req.url ?? '');
    if (!r) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(r.status, r.headers).end(r.body);
  });
  server.keepAliveTimeout = 72_000;
  await new Promise<void>((resolve) => server.listen(Number(port), '127.0.0.1', resolve));
} else if (mode === 'fastify') {
  const app = Fastify({ logger: false });
  app.get('/*', (request, reply) => {
    const r = responses.get(request.url);
    if (!r) return reply.code(404).send();
    return reply.code(r.status).headers(r.headers).send(r.body);
  });
  await app.listen({ host: '127.0.0.1', port: Number(port) });
} else {
  throw new Error(`mode must be fastify or node, not ${mode}`);
}
process.stdout.write('ready\n');
