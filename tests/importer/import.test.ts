import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client.js';
import { ImportFailedError } from '../../src/importer/problems.js';
import { runImport } from '../../src/importer/run.js';
import { article, contentDir, type ContentDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase, truncateAll } from '../support/postgres.js';

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

const SEED = new URL('../../content/async-programming-patterns.md', import.meta.url);
const run = (dir: string) => runImport(t.db, { dir, trigger: 'test' });

/** Every content row with its physical version (xmin): equal snapshots mean nothing was written. */
async function snapshot() {
  const q = (table: string) => t.db.$queryRawUnsafe(`SELECT xmin::text AS v, * FROM "${table}" ORDER BY 2, 3`);
  return {
    posts: await q('Post'),
    tags: await q('Tag'),
    categories: await q('Category'),
    postTags: await q('PostTag'),
    postCategories: await q('PostCategory'),
  };
}

describe('runImport', () => {
  it('loads the reference article with its category, tags in order, and rendered HTML', async () => {
    content = await contentDir({ 'async.md': await readFile(SEED, 'utf8') });
    const summary = await run(content.dir);
    expect(summary).toMatchObject({ created: ['async-programming-patterns'], updated: [], unchanged: [], files: 1 });

    const row = await t.db.post.findUniqueOrThrow({
      where: { slug: 'async-programming-patterns' },
      include: {
        tags: { orderBy: { position: 'asc' }, include: { tag: true } },
        categories: { include: { category: true } },
      },
    });
    expect(row.title).toBe('Mastering Async Programming Patterns');
    expect(row.publishedAt.toISOString()).toBe('2024-05-20T00:00:00.000Z');
    expect(row.tags.map((x) => x.tag.name)).toEqual(['async', 'concurrency', 'javascript', 'python']);
    expect(row.categories.map((x) => x.category.name)).toEqual(['Programming']);
    expect(row.html).toContain('<h2 id="python-async">Python Async</h2>');
    expect(row.sourcePath).toBe('async.md');
  });

  it('changes nothing when the same folder is imported twice', async () => {
    content = await contentDir({
      'a.md': post('a', { tags: ['x', 'y'], categories: ['C'] }),
      'b.md': post('b', { tags: ['y'] }),
    });
    await run(content.dir);
    const before = await snapshot();
    const second = await run(content.dir);
    expect(second).toMatchObject({ created: [], updated: [], unchanged: ['a', 'b'] });
    expect(await snapshot()).toEqual(before);
  });

  it('updates a changed file, its tags and their order, and leaves the others alone', async () => {
    content = await contentDir({ 'a.md': post('a', { tags: ['x', 'y'] }), 'b.md': post('b') });
    await run(content.dir);
    const b = await t.db.post.findUniqueOrThrow({ where: { slug: 'b' }, select: { modifiedAt: true } });

    await content.write('a.md', post('a', { title: 'New title', tags: ['z', 'x'] }));
    const summary = await run(content.dir);
    expect(summary).toMatchObject({ created: [], updated: ['a'], unchanged: ['b'] });

    const a = await t.db.post.findUniqueOrThrow({
      where: { slug: 'a' },
      include: { tags: { orderBy: { position: 'asc' }, include: { tag: true } } },
    });
    expect(a.title).toBe('New title');
    expect(a.tags.map((x) => x.tag.slug)).toEqual(['z', 'x']);
    expect(await t.db.post.findUniqueOrThrow({ where: { slug: 'b' }, select: { modifiedAt: true } })).toEqual(b);
  });

  it('fails on a broken article, names the file and field, and writes nothing', async () => {
    content = await contentDir({ 'good.md': post('good', { tags: ['x'] }) });
    await run(content.dir);
    const before = await snapshot();

    await content.write('good.md', post('good', { title: 'Changed', tags: ['new-tag'] }));
    await content.write('fresh.md', post('fresh'));
    await content.write('broken.md', article({ title: 'Broken', date: 'someday' }));
    const error = await run(content.dir).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ImportFailedError);
    expect((error as ImportFailedError).problems).toEqual([
      expect.objectContaining({ file: 'broken.md', field: 'date', line: 3 }),
    ]);
    expect((error as Error).message).toContain('broken.md:3: date:');
    expect(await snapshot()).toEqual(before);
  });

  it('lists every problem of every file before failing', async () => {
    content = await contentDir({
      'one.md': article({ date: '2024-01-01' }),
      'two.md': article({ title: 'T', date: '2024-01-01', slug: 'Not A Slug' }),
      'three.md': 'no front matter at all\n',
    });
    const error = (await run(content.dir).catch((e: unknown) => e)) as ImportFailedError;
    expect(error.problems.map((p) => [p.file, p.field ?? null])).toEqual([
      ['one.md', 'title'],
      ['three.md', null],
      ['two.md', 'slug'],
    ]);
  });

  it('refuses two files that claim one slug, naming both', async () => {
    content = await contentDir({ 'a.md': post('same'), 'b.md': post('same') });
    const error = (await run(content.dir).catch((e: unknown) => e)) as ImportFailedError;
    expect(error.problems).toEqual([
      expect.objectContaining({ file: 'b.md', field: 'slug', message: expect.stringContaining('a.md') }),
    ]);
    expect(await t.db.post.count()).toBe(0);
  });

  it('makes the slug from the file name when front matter has none', async () => {
    content = await contentDir({ 'notes/My First Post.md': article({ title: 'T', date: '2024-01-01' }) });
    expect((await run(content.dir)).created).toEqual(['my-first-post']);
  });

  it('treats spellings of one tag as one tag, named as first written', async () => {
    content = await contentDir({
      'a.md': post('a', { tags: ['JavaScript'], date: '2024-01-01' }),
      'b.md': post('b', { tags: 'javascript, Node.js' }),
    });
    await run(content.dir);
    const tags = await t.db.tag.findMany({ orderBy: { slug: 'asc' }, select: { slug: true, name: true } });
    expect(tags).toEqual([
      { slug: 'javascript', name: 'JavaScript' },
      { slug: 'node-js', name: 'Node.js' },
    ]);
  });

  it('reports posts whose file is gone without deleting them', async () => {
    content = await contentDir({ 'a.md': post('a'), 'b.md': post('b') });
    await run(content.dir);
    await content.remove('b.md');
    const summary = await run(content.dir);
    expect(summary.missing).toEqual(['b']);
    expect(await t.db.post.count()).toBe(2);
  });

  it('serializes two imports at once: the second waits, then finds nothing to do', async () => {
    const files = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`p${i}.md`, post(`p${i}`, { tags: [`t${i % 7}`] })]));
    content = await contentDir(files);
    // A second client: its own pool, as another process would have.
    const other = createDb(t.url, { poolSize: 2 });
    try {
      const results = await Promise.all([run(content.dir), runImport(other, { dir: content.dir, trigger: 'other' })]);
      const created = results.map((r) => r.created.length).sort();
      const unchanged = results.map((r) => r.unchanged.length).sort();
      expect(created).toEqual([0, 60]);
      expect(unchanged).toEqual([0, 60]);
      expect(await t.db.post.count()).toBe(60);
      expect(await t.db.tag.count()).toBe(7);
    } finally {
      await other.$disconnect();
    }
  });

  it('records each run, failed ones with their errors', async () => {
    content = await contentDir({ 'a.md': post('a') });
    await run(content.dir);
    await content.write('bad.md', article({ title: 'x' }));
    await run(content.dir).catch(() => {});
    const runs = await t.db.importRun.findMany({ orderBy: { id: 'asc' } });
    expect(runs.map((r) => [r.status, r.created, r.failed])).toEqual([
      ['succeeded', 1, 0],
      ['failed', 0, 1],
    ]);
    expect(runs[1]!.errors).toEqual([expect.objectContaining({ file: 'bad.md', field: 'date' })]);
  });

  it('rejects files that are not UTF-8 text', async () => {
    content = await contentDir({ 'a.md': post('a') });
    await writeFile(path.join(content.dir, 'latin1.md'), Buffer.from('---\ntitle: Caf\xe9\n---\n', 'latin1'));
    const error = (await run(content.dir).catch((e: unknown) => e)) as ImportFailedError;
    expect(error.problems).toEqual([{ file: 'latin1.md', message: 'is not valid UTF-8 text' }]);
  });
});
