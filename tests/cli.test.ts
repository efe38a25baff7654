// `quire` against PostgreSQL (DATABASE_URL): exit codes and what the user reads.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { article, contentDir, type ContentDir, post } from './support/content.js';
import { runCli } from './support/cli.js';
import { createTestDatabase, type TestDatabase, truncateAll } from './support/postgres.js';

let t: TestDatabase;
let content: ContentDir | undefined;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});
afterEach(async () => {
  await content?.cleanup();
  content = undefined;
  await truncateAll(t.db);
});

const quire = (...args: string[]) => runCli(args, { DATABASE_URL: t.url });

describe('quire import', () => {
  it('prints a summary, and reports everything unchanged the second time', async () => {
    content = await contentDir({ 'a.md': post('a'), 'b.md': post('b') });
    const first = await quire('import', content.dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/2 files[\s\S]*created\s+2[\s\S]*updated\s+0[\s\S]*unchanged\s+0[\s\S]*failed\s+0/);
    const second = await quire('import', content.dir);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/created\s+0[\s\S]*updated\s+0[\s\S]*unchanged\s+2/);
  });

  it('exits 1 naming the file, line and field of a broken article, and writes nothing', async () => {
    content = await contentDir({ 'ok.md': post('ok'), 'broken.md': article({ title: 'B', date: 'soon' }) });
    const result = await quire('import', content.dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('broken.md:3: date: is not a date');
    expect(result.stderr).toContain('nothing was written');
    expect(await t.db.post.count()).toBe(0);
  });

  it('exits 2 for a content folder that does not exist', async () => {
    const result = await quire('import', '/nonexistent/quire-content');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('content folder not found: /nonexistent/quire-content');
  });
});

describe('quire', () => {
  it('exits 2 on an unknown command and 0 on help', async () => {
    const unknown = await quire('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const help = await quire('help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: quire <command>');
  });

  it('exits 2 naming a bad environment variable', async () => {
    const result = await runCli(['migrate'], { DATABASE_URL: 'mysql://nope' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/DATABASE_URL: must be a postgres/);
  });

  it('migrate reports an up-to-date database', async () => {
    const result = await quire('migrate');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('database schema is up to date');
  });
});
