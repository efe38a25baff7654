// `quire` against PostgreSQL (DATABASE_URL): exit codes and what the user reads.
import { afterEach, describe, expect, it } from 'vitest';
import { article, contentDir, type ContentDir, post } from './support/content.js';
import { runCli, startCli } from './support/cli.js';
import pg from 'pg';
import { IMPORT_LOCK_KEY } from '../src/importer/apply.js';
import { useTestDatabase } from './support/postgres.js';

const t = useTestDatabase({ truncate: true });
let content: ContentDir | undefined;

afterEach(async () => {
  await content?.cleanup();
  content = undefined;
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

  it('prints the summary as JSON with --json, and progress lines on stderr otherwise', async () => {
    content = await contentDir({ 'a.md': post('a'), 'b.md': post('b') });
    const json = await quire('import', content.dir, '--json');
    expect(json.code).toBe(0);
    const summary = JSON.parse(json.stdout);
    expect(summary).toMatchObject({ status: 'succeeded', files: 2, unchanged: 0 });
    expect(summary.created.map((c: { slug: string }) => c.slug)).toEqual(['a', 'b']);
    await content.write('c.md', post('c'));
    const plain = await quire('import', content.dir);
    expect(plain.stderr).toContain('reading 3 files…');
    expect(plain.stderr).toContain('writing 1 file…');
  });

  it('says "1 file", and no "writing" when nothing is to be written', async () => {
    content = await contentDir({ 'a.md': post('a') });
    const first = await quire('import', content.dir);
    expect(first.stderr).toContain('reading 1 file…');
    expect(first.stderr).not.toContain('1 files');
    const again = await quire('import', content.dir);
    expect(again.stdout).toMatch(/unchanged\s+1/);
    expect(again.stderr).not.toMatch(/writing/);
  });

  it('shows the plan with --dry-run and writes nothing', async () => {
    content = await contentDir({ 'a.md': post('a') });
    const result = await quire('import', content.dir, '--dry-run');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('would import');
    expect(result.stdout).toMatch(/created\s+1\s+\(en\/a\)/);
    expect(await t.db.post.count()).toBe(0);
  });

  it('deletes posts whose file is gone with --prune, and only reports them without', async () => {
    content = await contentDir({ 'a.md': post('a'), 'b.md': post('b') });
    await quire('import', content.dir);
    await content.remove('b.md');
    const kept = await quire('import', content.dir);
    expect(kept.stdout).toMatch(/missing\s+1.*--prune deletes them: en\/b/);
    const pruned = await quire('import', content.dir, '--prune');
    expect(pruned.stdout).toMatch(/deleted\s+1/);
    expect(await t.db.post.count()).toBe(1);
  });

  it('imports the valid files with --skip-invalid, and still exits 1', async () => {
    content = await contentDir({ 'a.md': post('a'), 'bad.md': article({ title: 'x', date: 'someday' }) });
    const result = await quire('import', content.dir, '--skip-invalid');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the other files were imported');
    expect(result.stderr).toContain('bad.md:3: date: is not a date');
    expect(await t.db.post.count()).toBe(1);
  });

  it('fails on a broken internal link with --strict, and warns without', async () => {
    content = await contentDir({ 'a.md': post('a', {}, 'See [x](/posts/missing).\n') });
    const warned = await quire('import', content.dir, '--dry-run');
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/1 warning[\s\S]*a\.md:\d+: link \/posts\/missing points at no document/);
    const strict = await quire('import', content.dir, '--strict');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/a\.md:\d+: link \/posts\/missing points at no document/);
  });

  it('exits 4 when another import holds the lock past QUIRE_IMPORT_LOCK_TIMEOUT', async () => {
    content = await contentDir({ 'a.md': post('a') });
    const holder = new pg.Client({ connectionString: t.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK_KEY]);
      const result = await runCli(['import', content.dir], { DATABASE_URL: t.url, QUIRE_IMPORT_LOCK_TIMEOUT: '0.3' });
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/another import is running/);
    } finally {
      await holder.end();
    }
  });

  it('imports again when a file is saved, with --watch', async () => {
    content = await contentDir({ 'a.md': post('a') });
    const watcher = startCli(['import', content.dir, '--watch', '--no-progress'], { DATABASE_URL: t.url });
    try {
      await watcher.waitFor(/created\s+1/);
      await watcher.waitForErr(/watching/);
      await content.write('b.md', post('b'));
      await watcher.waitFor(/created\s+1[\s\S]*created\s+1/);
      expect(await t.db.post.count()).toBe(2);
    } finally {
      const result = await watcher.stop('SIGTERM');
      expect(result.code).toBe(0);
    }
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
