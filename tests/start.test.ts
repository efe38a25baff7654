// `quire start` (the container's command) never lets content keep the API down: a broken
// file is refused and named, the others are served; an import that fails as a whole leaves
// the last good content served. /readyz says what was refused.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCli, startCli } from './support/cli.js';
import { article, contentDir, type ContentDir, post } from './support/content.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';

let t: TestDatabase;
let content: ContentDir;
let server: RunningCli | undefined;

beforeAll(async () => {
  t = await createTestDatabase();
  content = await contentDir();
});
afterEach(async () => {
  if (server?.child.exitCode === null) await server.stop();
  server = undefined;
});
afterAll(async () => {
  await content.cleanup();
  await t.drop();
});

async function start(dir: string) {
  server = startCli(['start', '--no-progress'], { DATABASE_URL: t.url, HOST: '127.0.0.1', PORT: '0', QUIRE_CONTENT_DIR: dir });
  const [, base] = (await server.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/)) as [string, string];
  const get = async (url: string) => {
    const res = await fetch(`${base}${url}`);
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  return { get, running: server };
}

describe('quire start', () => {
  it('serves the valid posts when one file is broken, names it in the log and in /readyz', async () => {
    await content.write('good.md', post('good'));
    await content.write('broken.md', article({ title: '', slug: 'broken', date: '2024-01-01' }));
    const { get, running } = await start(content.dir);

    expect((await get('/v1/posts/good')).status).toBe(200);
    expect((await get('/v1/posts/broken')).status).toBe(404);
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      import: {
        status: 'partial',
        failed: 1,
        problems: [
          {
            file: 'broken.md',
            field: 'title',
            line: 2,
            message: 'is empty: write a title, or remove the key to take it from the file name',
          },
        ],
      },
    });
    await running.waitForErr(/broken\.md:2: title: is empty/);
    await running.waitForErr(/quire: 1 file\(s\) refused .*serving the others/);
  }, 60_000);

  it('serves the last good content when every file is refused, or the folder is missing', async () => {
    await content.clear();
    await content.write('good.md', post('good', { title: 'Last good' }));
    await (await start(content.dir)).running.stop();

    await content.clear();
    await content.write('broken.md', article({ title: 'Broken date', date: 'someday' }));
    let { get, running } = await start(content.dir);
    expect((await get('/v1/posts/good')).body.data.title).toBe('Last good');
    expect((await get('/readyz')).body.import).toMatchObject({ status: 'failed', failed: 1, reason: 'every file was refused' });
    await running.waitForErr(/the import at start failed \(every file was refused\); serving the content the database holds/);
    await running.stop();

    ({ get, running } = await start(`${content.dir}/nowhere`));
    expect((await get('/v1/posts/good')).body.data.title).toBe('Last good');
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.import).toMatchObject({ status: 'failed', reason: `content folder not found: ${content.dir}/nowhere` });
    const stopped = await running.stop();
    expect(stopped.code).toBe(0);
  }, 90_000);
});
