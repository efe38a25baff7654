// Two processes: `quire serve` caching responses, and `quire import` changing content.
// After the import, the server serves the new content (told by NOTIFY).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, type RunningCli } from './support/cli.js';
import { contentDir, type ContentDir, post } from './support/content.js';
import { useTestDatabase } from './support/postgres.js';
import { waitFor } from './support/wait.js';

const t = useTestDatabase();
let content: ContentDir;
let server: RunningCli;
let base: string;

beforeAll(async () => {
  content = await contentDir({ 'a.md': post('a', { title: 'First version' }) });
  expect((await runCli(['import', content.dir], { DATABASE_URL: t.url })).code).toBe(0);
  server = startCli(['serve'], { DATABASE_URL: t.url, HOST: '127.0.0.1', PORT: '0' });
  [, base] = (await server.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/)) as [string, string];
}, 60_000);
afterAll(async () => {
  if (server.child.exitCode === null) await server.stop();
  await content.cleanup();
});

describe('a cached server and an import in another process', () => {
  it('serves the new content after the import', async () => {
    const get = async () => {
      const res = await fetch(`${base}/v1/posts/a`);
      return { cache: res.headers.get('x-cache'), title: ((await res.json()) as { data: { title: string } }).data.title };
    };
    expect(await get()).toEqual({ cache: 'MISS', title: 'First version' });
    expect(await get()).toEqual({ cache: 'HIT', title: 'First version' });

    await content.write('a.md', post('a', { title: 'Second version' }));
    expect((await runCli(['import', content.dir], { DATABASE_URL: t.url })).code).toBe(0);
    const after = await waitFor(async () => {
      const r = await get();
      return r.title === 'Second version' && r;
    });
    expect(after.cache).toBe('MISS');
    expect(await get()).toEqual({ cache: 'HIT', title: 'Second version' });
  });
});
