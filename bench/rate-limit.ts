// What a rate limit costs a request, kept in this process's memory or shared through Redis
// (@fastify/rate-limit's redis store: one Lua call per request), on a route that does no
// other work, so the limiter's cost is all there is to see. It decides docs/scaling.md's
// "rate limits across processes". Each variant's server runs in its own process.
//   npm i --no-save ioredis && node --import tsx bench/rate-limit.ts
// Redis: REDIS_SOCKET (a unix socket; default: a redis-server this script starts in /tmp).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { freePort, ready } from './support.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const self = fileURLToPath(import.meta.url);

async function server(variant: string, port: number, socket: string) {
  const app = Fastify();
  if (variant !== 'none') {
    // ioredis is not a dependency of Quire: this measurement decides whether it becomes one.
    const ioredis = 'ioredis';
    const redis =
      variant === 'redis' ? new ((await import(ioredis)) as { Redis: new (o: object) => object }).Redis({ path: socket }) : undefined;
    await app.register(rateLimit, { max: 1_000_000_000, timeWindow: '1 minute', ...(redis && { redis }) });
  }
  app.get('/x', async () => ({ ok: true }));
  await app.listen({ host: '127.0.0.1', port });
}

async function measure(variant: string, socket: string) {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', self, 'serve', variant, String(port), socket], {
    stdio: 'inherit',
  });
  try {
    await ready(`http://127.0.0.1:${port}/x`, child);
    const result = await autocannon({ url: `http://127.0.0.1:${port}/x`, connections: 10, duration: SECONDS });
    return {
      variant,
      rps: Math.round(result.requests.average),
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.non2xx + result.errors,
    };
  } finally {
    child.kill();
  }
}

if (process.argv[2] === 'serve') {
  await server(process.argv[3]!, Number(process.argv[4]), process.argv[5]!);
} else {
  let redis: ChildProcess | undefined;
  let dir: string | undefined;
  let socket = process.env.REDIS_SOCKET;
  if (!socket) {
    dir = await mkdtemp(path.join(os.tmpdir(), 'quire-redis-'));
    socket = path.join(dir, 'redis.sock');
    redis = spawn('redis-server', ['--port', '0', '--unixsocket', socket, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!existsSync(socket)) {
      if (Date.now() > deadline || redis.exitCode !== null) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  try {
    const rows = [];
    for (const variant of ['none', 'memory', 'redis']) rows.push(await measure(variant, socket));
    console.table(rows);
  } finally {
    redis?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
