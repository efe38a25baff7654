// --dry-run, --prune, --skip-invalid, --strict, uploads, the lock, and progress.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { IMPORT_LOCK_KEY, ImportBusyError } from '../../src/importer/apply.js';
import { EmptyFolderError, ImportFailedError, PruneRefusedError } from '../../src/importer/errors.js';
import type { Progress } from '../../src/importer/run.js';
import { article, contentDir, type ContentDir, importDir, post } from '../support/content.js';
import { useTestDatabase } from '../support/postgres.js';
import { snapshot } from '../support/snapshot.js';

const t = useTestDatabase({ truncate: true });
let content: ContentDir | undefined;
let upload: ContentDir | undefined;

afterEach(async () => {
  await content?.cleanup();
  await upload?.cleanup();
  content = upload = undefined;
});

const slugs = (refs: { slug: string }[]) => refs.map((r) => r.slug).sort();
const failure = async (promise: Promise<unknown>) => {
  const e = await promise.catch((err: unknown) => err);
  expect(e).toBeInstanceOf(ImportFailedError);
  return e as ImportFailedError;
};

describe('--dry-run', () => {
  it('shows creates, updates, deletes and unchanged, and writes nothing, not even a run', async () => {
    content = await contentDir({ 'keep.md': post('keep'), 'edit.md': post('edit'), 'gone.md': post('gone') });
    await importDir(t.db, content.dir);
    await content.write('edit.md', post('edit', { title: 'Edited' }));
    await content.write('new.md', post('new'));
    await content.remove('gone.md');
    const before = await snapshot(t.db);
    const runs = await t.db.importRun.count();

    const plan = await importDir(t.db, content.dir, { dryRun: true, prune: true });
    expect(plan).toMatchObject({ dryRun: true, runId: null, unchanged: 1 });
    expect([slugs(plan.created), slugs(plan.updated), slugs(plan.deleted)]).toEqual([['new'], ['edit'], ['gone']]);
    expect(await snapshot(t.db)).toEqual(before);
    expect(await t.db.importRun.count()).toBe(runs);
  });

  it('still lists every problem, and records nothing', async () => {
    content = await contentDir({ 'bad.md': article({ title: 'x', date: 'next tuesday' }) });
    const e = await failure(importDir(t.db, content.dir, { dryRun: true }));
    expect(e.problems[0]).toMatchObject({ file: 'bad.md', field: 'date' });
    expect(await t.db.importRun.count()).toBe(0);
  });
});

describe('--prune', () => {
  it('deletes posts whose file is gone, and tags, categories and authors left without posts', async () => {
    content = await contentDir({
      'a.md': post('a', { tags: ['shared'], categories: ['C'] }),
      'b.md': post('b', { tags: ['shared', 'only-b'], categories: ['Only B'], author: 'Bea' }),
    });
    await importDir(t.db, content.dir);
    await content.remove('b.md');

    const summary = await importDir(t.db, content.dir, { prune: true });
    expect(slugs(summary.deleted)).toEqual(['b']);
    expect(await t.db.post.findMany({ select: { slug: true } })).toEqual([{ slug: 'a' }]);
    expect((await t.db.tag.findMany({ select: { slug: true } })).map((r) => r.slug)).toEqual(['shared']);
    expect((await t.db.category.findMany({ select: { slug: true } })).map((r) => r.slug)).toEqual(['c']);
    expect(await t.db.author.count()).toBe(0);
    expect((await t.db.importRun.findFirstOrThrow({ orderBy: { id: 'desc' } })).deleted).toBe(1);
  });
});

describe('the prune guard', () => {
  const four = { 'a.md': post('a'), 'b.md': post('b'), 'c.md': post('c'), 'd.md': post('d') };

  it('refuses a prune of more than QUIRE_PRUNE_MAX_PERCENT of the documents, dry run too, and writes nothing', async () => {
    content = await contentDir(four);
    await importDir(t.db, content.dir);
    for (const f of ['b.md', 'c.md', 'd.md']) await content.remove(f);
    const before = await snapshot(t.db);
    for (const dryRun of [true, false]) {
      const e = await importDir(t.db, content.dir, { prune: true, dryRun }).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(PruneRefusedError);
      expect((e as Error).message).toMatch(/delete 3 of 4 documents \(75%\).*50%.*--prune-all/);
    }
    expect(await snapshot(t.db)).toEqual(before);

    // Within the share it goes ahead; --prune-all takes the rest.
    const half = await importDir(t.db, content.dir, { prune: true }, { pruneMaxPercent: 75 });
    expect(slugs(half.deleted)).toEqual(['b', 'c', 'd']);
  });

  it('refuses to delete every document even under a 100% share, unless --prune-all', async () => {
    content = await contentDir(four);
    await importDir(t.db, content.dir);
    await content.clear();
    await content.write('other.md', post('other'));
    const e = await importDir(t.db, content.dir, { prune: true }, { pruneMaxPercent: 100 }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(PruneRefusedError);
    expect((e as Error).message).toMatch(/all of them/);
    expect(await t.db.post.count()).toBe(4);
    const all = await importDir(t.db, content.dir, { prune: true, pruneAll: true });
    expect([slugs(all.created), slugs(all.deleted)]).toEqual([['other'], ['a', 'b', 'c', 'd']]);
  });

  it('refuses a folder with no Markdown at all (a typo, an unmounted volume), prune or not', async () => {
    content = await contentDir(four);
    await importDir(t.db, content.dir);
    await content.clear();
    await content.write('notes.txt', 'not Markdown');
    const e = await importDir(t.db, content.dir, { prune: true, pruneAll: true }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(EmptyFolderError);
    expect((e as Error).message).toMatch(/no Markdown files in .*--allow-empty/);
    expect(await t.db.post.count()).toBe(4);
    const emptied = await importDir(t.db, content.dir, { prune: true, pruneAll: true, allowEmpty: true });
    expect(slugs(emptied.deleted)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('--skip-invalid', () => {
  it('imports the valid files, lists the others, fails the run as partial, and keeps their old posts', async () => {
    content = await contentDir({ 'a.md': post('a'), 'b.md': post('b') });
    await importDir(t.db, content.dir);
    await content.write('b.md', article({ title: 'B broken', date: 'never' }));
    await content.write('c.md', post('c'));

    const e = await failure(importDir(t.db, content.dir, { skipInvalid: true, prune: true }));
    expect(e.problems).toEqual([expect.objectContaining({ file: 'b.md', field: 'date' })]);
    expect(e.summary).toMatchObject({ status: 'partial', deleted: [], unchanged: 1 });
    expect(slugs(e.summary!.created)).toEqual(['c']);
    // b.md exists but is broken: its last good version stays, pruned or not.
    expect((await t.db.post.findMany({ select: { slug: true }, orderBy: { slug: 'asc' } })).map((r) => r.slug)).toEqual(['a', 'b', 'c']);
    expect(await t.db.importRun.findFirstOrThrow({ orderBy: { id: 'desc' } })).toMatchObject({ status: 'partial', failed: 1, created: 1 });
  });
});

describe('--skip-invalid with every file refused', () => {
  it('fails the run, says nothing was written, and writes nothing', async () => {
    content = await contentDir({ 'a.md': article({ title: 'A', date: 'never' }), 'b.md': article({ title: 'B', date: 'nope' }) });
    const e = await failure(importDir(t.db, content.dir, { skipInvalid: true }));
    expect(e.summary).toMatchObject({ status: 'failed', created: [] });
    expect(e.message).toMatch(/nothing was written/);
    expect(e.message).not.toMatch(/other files were imported/);
    expect(await t.db.post.count()).toBe(0);
    expect(await t.db.importRun.findFirstOrThrow({ orderBy: { id: 'desc' } })).toMatchObject({ status: 'failed', failed: 2, created: 0 });
    const dry = await failure(importDir(t.db, content.dir, { skipInvalid: true, dryRun: true }));
    expect(dry.summary).toMatchObject({ status: 'failed' });
  });
});

describe('--strict', () => {
  it('warns of broken links and colliding aliases by default, and fails on them when strict', async () => {
    content = await contentDir({
      'a.md': post('a', { aliases: ['/b/'] }, 'Intro.\n\nSee [nothing](/posts/nothing).\n'),
      'b.md': post('b'),
    });
    const lenient = await importDir(t.db, content.dir, { dryRun: true });
    expect(lenient.warnings).toEqual([
      { code: 'alias-collision', file: 'a.md', message: 'alias path /b/ is the path of b.md, which wins; the alias leads nowhere' },
      { code: 'broken-link', file: 'a.md', line: 11, message: 'link /posts/nothing points at no document' },
    ]);
    const e = await failure(importDir(t.db, content.dir, { strict: true }));
    expect(e.problems.map((p) => p.message)).toEqual([
      'alias path /b/ is the path of b.md, which wins; the alias leads nowhere',
      'link /posts/nothing points at no document',
    ]);
    expect(await t.db.post.count()).toBe(0);
  });
});

describe('uploads', () => {
  it('import just the uploaded files beside what the database holds', async () => {
    content = await contentDir({ 'a.md': post('a'), 'b.md': post('b') });
    await importDir(t.db, content.dir);
    upload = await contentDir({ 'posts/new.md': post('new', {}, '[a](/posts/a)'), 'b.md': post('b', { title: 'B via upload' }) });
    const summary = await importDir(t.db, upload.dir, { partial: true });
    expect([slugs(summary.created), slugs(summary.updated), summary.missing]).toEqual([['new'], ['b'], []]);
    expect(summary.warnings).toEqual([]);
    expect(await t.db.post.count()).toBe(3);
  });

  it("give an upload that claims another file's slug a slug of its own; the other keeps its", async () => {
    content = await contentDir({ 'a.md': post('a') });
    await importDir(t.db, content.dir);
    upload = await contentDir({ 'other.md': post('a', { date: '2025-02-03' }) });
    const summary = await importDir(t.db, upload.dir, { partial: true });
    expect(summary.created.map((c) => [c.sourcePath, c.slug, c.path])).toEqual([['other.md', 'a-2025-02-03', '/a-2025-02-03/']]);
    expect(summary.warnings).toEqual([
      expect.objectContaining({ code: 'slug-taken', file: 'other.md', message: expect.stringContaining('a.md') }),
    ]);
    expect((await t.db.post.findFirstOrThrow({ where: { sourcePath: 'a.md' } })).slug).toBe('a');
  });
});

describe('the import lock', () => {
  it('makes a second import fail clearly when the first holds it past the timeout', async () => {
    content = await contentDir({ 'a.md': post('a') });
    const holder = new pg.Client({ connectionString: t.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK_KEY]);
      const e = await importDir(t.db, content.dir, {}, { lockTimeoutMs: 300 }).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(ImportBusyError);
      expect((e as Error).message).toMatch(/another import is running/);
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    expect(await t.db.post.count()).toBe(0);
    expect((await importDir(t.db, content.dir)).created).toHaveLength(1);
  });
});

describe('progress', () => {
  it('reports reading, then writing', async () => {
    content = await contentDir(Object.fromEntries(Array.from({ length: 270 }, (_, i) => [`p${i}.md`, post(`p${i}`)])));
    const events: Progress[] = [];
    await importDir(t.db, content.dir, { onProgress: (p) => events.push(p) });
    expect(events.filter((e) => e.phase === 'read').at(-1)).toEqual({ phase: 'read', done: 270, total: 270 });
    expect(events.filter((e) => e.phase === 'write')).toEqual([
      { phase: 'write', done: 200, total: 270 },
      { phase: 'write', done: 270, total: 270 },
    ]);
  });
});
