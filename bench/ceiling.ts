// The ceiling: a bare Fastify server answering captured responses from memory, with no
// database, no validation and no serialization. Started by bench/http.ts.
// Usage: node --import tsx bench/ceiling.ts <responses.json> <port>
import { readFile } from 'node:fs/promises';
import Fastify from 'fastify';

interface Captured {
  path: string;
  type: string;
  body: string;
}

const [file, port] = process.argv.slice(2);
const responses = JSON.parse(await readFile(file!, 'utf8')) as Captured[];
const app = Fastify({ logger: false });
for (const r of responses) {
  const [path, query] = r.path.split('?');
  const body = Buffer.from(r.body); // encoded once, as a best-case server would
  app.get(path!, async (request, reply) => {
    // Same bytes for the URL the benchmark asks; the query is not parsed beyond a check.
    if ((request.url.split('?')[1] ?? '') !== (query ?? '')) return reply.code(404).send();
    return reply.type(r.type).send(body);
  });
}
await app.listen({ host: '127.0.0.1', port: Number(port) });
process.stdout.write('ready\n');
