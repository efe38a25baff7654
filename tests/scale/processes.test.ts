// Two real API processes on one database, as behind a load balancer: an import through the
// CLI (a third process) is served by both within a bound, and neither serves the older body
// once it has served the newer; a scheduled post goes live in both at its moment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, type RunningCli } from '../support/cli.js';
import { contentDir, type ContentDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { waitFor } from '../support/wait.js';

/** An import is served everywhere within this (NOTIFY, else the watch's 5 s poll). */
const SEEN_WITHIN_MS = 6_000;

let t: TestDatabase;
let content: ContentDir;
const servers: RunningCli[] = [];
const bases: string[] = [];

async function startServer(env: Record<string, string>) {
  const server = startCli(['serve'], { DATABASE_URL: t.url, HOST: '127.0.0.1', PORT: '0', QUIRE_METRICS: 'public', ...env });
  servers.push(server);
  const [, base] = (await server.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/)) as [string, string];
  return base;
}

beforeAll(async () => {
  t = await createTestDatabase();
  content = await contentDir({ 'a.md': post('a', { title: 'Version 1' }) });
  expect((await runCli(['import', content.dir], { DATABASE_URL: t.url })).code).toBe(0);
  bases.push(...(await Promise.all([startServer({}), startServer({})])));
}, 90_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => (s.child.exitCode === null ? s.stop() : Promise.resolve())));
  await content.cleanup();
  await t.drop();
});

const get = async (base: string, url: string) => {
  const res = await fetch(`${base}${url}`, { signal: AbortSignal.timeout(5_000) });
  return {
    status: res.status,
    cache: res.headers.get('x-cache'),
    body: (await res.json()) as { data: { title: string; slug: string }[] & { title: string } },
  };
};
const titleAt = async (base: string) => (await get(base, '/v1/posts/a')).body.data.title;

describe('two API processes on one database', () => {
  it('both serve an import made by a third process within the bound, and never the older body after', async () => {
    for (const base of bases) {
      expect(await titleAt(base)).toBe('Version 1');
      expect((await get(base, '/v1/posts/a')).cache).toBe('HIT');
    }
    for (const version of [2, 3]) {
      await content.write('a.md', post('a', { title: `Version ${version}` }));
      expect((await runCli(['import', content.dir], { DATABASE_URL: t.url })).code).toBe(0);
      const committed = performance.now();
      // Every answer of each process, in order, until both serve the new one.
      const seen = await Promise.all(
        bases.map(async (base) => {
          const titles: string[] = [];
          await waitFor(
            async () => {
              titles.push(await titleAt(base));
              return titles.at(-1) === `Version ${version}`;
            },
            SEEN_WITHIN_MS,
            10,
          );
          return { base, ms: performance.now() - committed, at: Date.now(), titles };
        }),
      );
      for (const { base, titles } of seen) {
        // Then only the new one, from the cache again.
        for (let i = 0; i < 10; i++) titles.push(await titleAt(base));
        const first = titles.indexOf(`Version ${version}`);
        expect(
          titles.slice(first).every((x) => x === `Version ${version}`),
          base,
        ).toBe(true);
        expect((await get(base, '/v1/posts/a')).cache).toBe('HIT');
        const metrics = await (await fetch(`${base}/metrics`)).text();
        expect(metrics).toMatch(new RegExp(`^quire_content_version ${version}$`, 'm'));
      }
      // From the run's record (written just before its commit) to the first new answer: an upper bound.
      const run = await t.db.importRun.findFirstOrThrow({ orderBy: { id: 'desc' } });
      const sinceRun = seen.map((s) => `${s.at - run.finishedAt.getTime()} ms`).join(' and ');
      console.info(
        `import ${version} served by both ${sinceRun} after its run was recorded; ${seen.map((s) => `${s.ms.toFixed(0)} ms`).join(' and ')} after the CLI exited`,
      );
    }
  }, 60_000);

  it('puts a scheduled post live in both at its moment, not before', async () => {
    for (const base of bases) expect((await get(base, '/v1/posts')).body.data.map((p) => p.slug)).toEqual(['a']);
    const moment = new Date(Date.now() + 8_000);
    await content.write('soon.md', post('soon', { date: moment.toISOString() }));
    expect((await runCli(['import', content.dir], { DATABASE_URL: t.url })).code).toBe(0);
    const slugsAt = async (base: string) => (await get(base, '/v1/posts')).body.data.map((p) => p.slug);
    // Each process's list (cached until then), polled across the moment. A list with the post
    // was answered at or after it (its response came after); one without, before it (asked
    // before). The same clock for both: this machine's. However slow the import was.
    const live = await Promise.all(
      bases.map(async (base) => {
        const seen: { asked: number; answered: number; live: boolean }[] = [];
        await waitFor(
          async () => {
            const asked = Date.now();
            const slugs = await slugsAt(base);
            seen.push({ asked, answered: Date.now(), live: slugs.includes('soon') });
            return seen.at(-1)!.live;
          },
          Math.max(0, moment.getTime() - Date.now()) + 15_000,
          20,
        );
        for (const s of seen) {
          if (s.live) expect(s.answered, base).toBeGreaterThanOrEqual(moment.getTime());
          else expect(s.asked, base).toBeLessThan(moment.getTime());
        }
        return { at: seen.at(-1)!.answered, before: seen.filter((s) => !s.live).length };
      }),
    );
    for (const base of bases) {
      expect((await get(base, '/v1/posts/soon')).status).toBe(200);
      expect(await slugsAt(base)).toEqual(['soon', 'a']);
    }
    console.info(
      `scheduled post listed ${live.map((l) => `${l.at - moment.getTime()} ms`).join(' and ')} after its moment (lists without it before: ${live.map((l) => l.before).join(' and ')})`,
    );
  }, 60_000);
});
