// npm run bench:auth [-- N]: does a refused admin request's timing say anything about
// the token? Sends N requests (default 3,000) of each kind of wrong credential, one at a
// time and interleaved (so the machine's noise falls on all kinds alike), to one `quire
// serve` on loopback, and prints each kind's latency percentiles and its median as a ratio
// of the "no token" baseline. Ratios near 1.00 for every kind, the one-character-off token
// included, mean the refusal path does not depend on what was sent.
import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { freePort, ready, saveResults, scratchBlog, startQuire, stopAll } from './support.js';

const TOKEN = 'a-long-admin-token-for-the-timing-benchmark-0123456789';

const KINDS: Record<string, string | undefined> = {
  'no token': undefined,
  'wrong, short': 'Bearer x',
  'wrong, same length': `Bearer ${'z'.repeat(TOKEN.length)}`,
  'last character off': `Bearer ${TOKEN.slice(0, -1)}8`,
  'first character off': `Bearer b${TOKEN.slice(1)}`,
  'right plus one': `Bearer ${TOKEN}9`,
  'right, Basic scheme': `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`,
};

/** One GET on a kept-alive connection; resolves with its latency in microseconds. */
function timed(port: number, authorization: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = request(
      { host: '127.0.0.1', port, path: '/v1/admin/imports', headers: authorization ? { authorization } : {}, agent },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 401) reject(new Error(`expected 401, got ${res.statusCode}`));
          else resolve(Number(process.hrtime.bigint() - start) / 1000);
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main() {
  const n = Number(process.argv[2] ?? 3_000);
  const blog = await scratchBlog('bench_auth', 0);
  const children: ChildProcess[] = [];
  try {
    const port = await freePort();
    const server = startQuire(blog.dbUrl, port, { QUIRE_ADMIN_TOKEN: TOKEN, QUIRE_ADMIN_RATE_LIMIT: '0' });
    children.push(server);
    await ready(`http://127.0.0.1:${port}/readyz`, server);

    const names = Object.keys(KINDS);
    const times: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
    // Warm-up: JIT and the connection, measured by nobody.
    for (let i = 0; i < 500; i++) await timed(port, KINDS[names[i % names.length]!]);
    for (let i = 0; i < n; i++) {
      // A fresh order each round, so no kind always follows the same one.
      for (const name of [...names].sort(() => Math.random() - 0.5)) times[name]!.push(await timed(port, KINDS[name]));
    }

    const rows = names.map((name) => {
      const sorted = times[name]!.sort((a, b) => a - b);
      return { kind: name, p50: pct(sorted, 50), p90: pct(sorted, 90), p99: pct(sorted, 99) };
    });
    const base = rows[0]!.p50;
    console.log(`\n${n} refused requests of each kind, one at a time, interleaved; latency in µs\n`);
    console.log('kind                     p50     p90     p99   p50 ratio');
    for (const r of rows) {
      console.log(
        `${r.kind.padEnd(22)} ${r.p50.toFixed(0).padStart(5)} ${r.p90.toFixed(0).padStart(7)} ${r.p99.toFixed(0).padStart(7)}   ${(r.p50 / base).toFixed(2).padStart(9)}`,
      );
    }
    await saveResults('auth-timing', { requestsPerKind: n, rows: rows.map((r) => ({ ...r, ratio: Number((r.p50 / base).toFixed(3)) })) });
  } finally {
    agent.destroy();
    await stopAll(children);
    await blog.drop();
  }
}

await main();
