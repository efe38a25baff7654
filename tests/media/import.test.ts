// Importing the files documents use: found beside a page bundle or under the project's
// static folder, stored once by SHA-256 in the import's transaction, refused by name when
// missing (--strict), too large, corrupt or a pixel bomb, removed with their last document.
import { symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchContent } from '../../src/db/content-watch.js';
import { createReader } from '../../src/db/reader.js';
import { ImportFailedError } from '../../src/importer/errors.js';
import { startApp } from '../support/app.js';
import { DEFAULT_IMPORTER, importDir, post } from '../support/content.js';
import { useTestDatabase } from '../support/postgres.js';
import { waitFor } from '../support/wait.js';
import { CORRUPT_PNG, pixelBomb, png, sha256 } from './images.js';
import { makeSite, type Site } from './site.js';

const t = useTestDatabase({ truncate: true });
let site: Site | undefined;

afterEach(async () => {
  await site?.cleanup();
  site = undefined;
});

const stored = () => t.db.$queryRaw<{ hash: string; type: string; size: number; width: number | null; height: number | null }[]>`
  SELECT hash, type, size, width, height FROM "Media" ORDER BY hash`;
const users = () => t.db.$queryRaw<{ slug: string; hash: string }[]>`
  SELECT p.slug, pm.hash FROM "PostMedia" pm JOIN "Post" p ON p.id = pm."postId" ORDER BY 1, 2`;
const html = async (slug: string) => (await t.db.post.findFirstOrThrow({ where: { slug } })).html;
const failure = async (promise: Promise<unknown>) => {
  const e = await promise.catch((err: unknown) => err);
  expect(e).toBeInstanceOf(ImportFailedError);
  return e as ImportFailedError;
};
const nothingWritten = async () => {
  expect(await t.db.post.count()).toBe(0);
  expect(await stored()).toEqual([]);
};

describe('importing media', () => {
  it('says a Git LFS pointer is not the image (a checkout without its LFS files)', async () => {
    site = await makeSite({
      'content/a/index.md': post('a', {}, '![x](pic.png)\n'),
      'content/a/pic.png': 'version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 39427\n',
    });
    const e = await failure(importDir(t.db, site.content));
    expect(e.problems).toEqual([
      expect.objectContaining({ file: 'a/index.md', message: expect.stringMatching(/Git LFS pointer.*git lfs pull/) }),
    ]);
  });

  it("imports a page bundle's relative images and a site-absolute one from static/, hashed", async () => {
    const diagram = await png(800, 600);
    const logo = await png(64, 32, [250, 10, 10]);
    site = await makeSite({
      'content/blog/2024/some-post/index.md': post('some-post', {}, 'Intro.\n\n![diagram](diagram.png)\n\n![logo](/images/logo.png)\n'),
      'content/blog/2024/some-post/diagram.png': diagram,
      'static/images/logo.png': logo,
    });
    const summary = await importDir(t.db, site.content);
    expect(summary.media).toEqual({ files: 2, stored: 2, removed: 0 });
    expect(summary.warnings).toEqual([]);
    expect(await stored()).toEqual(
      [
        { hash: sha256(diagram), type: 'image/png', size: diagram.length, width: 800, height: 600 },
        { hash: sha256(logo), type: 'image/png', size: logo.length, width: 64, height: 32 },
      ].sort((a, b) => a.hash.localeCompare(b.hash)),
    );
    // The stored bytes are the file's.
    const [row] = await t.db.$queryRaw<{ bytes: Buffer }[]>`SELECT bytes FROM "Media" WHERE hash = ${sha256(diagram)}`;
    expect(Buffer.compare(Buffer.from(row!.bytes), diagram)).toBe(0);
    expect(await users()).toEqual(
      [
        { slug: 'some-post', hash: sha256(diagram) },
        { slug: 'some-post', hash: sha256(logo) },
      ].sort((a, b) => a.hash.localeCompare(b.hash)),
    );
  });

  it('stores the same bytes once however many documents use them, under any name', async () => {
    const shared = await png(100, 100);
    site = await makeSite({
      'content/a/index.md': post('a', {}, '![x](pic.png)\n'),
      'content/a/pic.png': shared,
      'content/b/index.md': post('b', {}, '![y](other-name.png)\n'),
      'content/b/other-name.png': shared,
    });
    const summary = await importDir(t.db, site.content);
    expect(summary.media).toMatchObject({ files: 1, stored: 1 });
    expect((await stored()).map((m) => m.hash)).toEqual([sha256(shared)]);
    expect(await users()).toEqual([
      { slug: 'a', hash: sha256(shared) },
      { slug: 'b', hash: sha256(shared) },
    ]);
    // Each document's URL keeps the name its author wrote.
    expect(await html('a')).toContain(`/v1/media/${sha256(shared)}/pic.png"`);
    expect(await html('b')).toContain(`/v1/media/${sha256(shared)}/other-name.png"`);
  });

  it('warns of a missing file with its file and line, and leaves the reference as written', async () => {
    site = await makeSite({ 'content/a/index.md': post('a', {}, 'Text.\n\n![gone](nowhere.png)\n') });
    const summary = await importDir(t.db, site.content);
    expect(summary.warnings).toEqual([expect.objectContaining({ code: 'missing-media', file: 'a/index.md', line: 9 })]);
    expect(summary.warnings[0]!.message).toContain('"nowhere.png"');
    expect(await html('a')).toContain('src="nowhere.png"');
    expect(await stored()).toEqual([]);
  });

  it('never reads a file outside the site: a symbolic link out of it or a path climbing past it', async () => {
    const outside = await makeSite({ 'secret.txt': 'not for the blog' });
    try {
      site = await makeSite({
        'content/a/index.md': post('a', {}, `[s](secret.txt)\n\n[up](../../../${path.basename(outside.root)}/secret.txt)\n`),
      });
      await symlink(path.join(outside.root, 'secret.txt'), path.join(site.root, 'content/a/secret.txt'));
      const summary = await importDir(t.db, site.content);
      expect(summary.warnings.map((w) => [w.code, w.line])).toEqual([
        ['missing-media', 7],
        ['missing-media', 9],
      ]);
      expect(await stored()).toEqual([]);
    } finally {
      await outside.cleanup();
    }
  });

  it('with --strict, a missing file is an error and nothing is written', async () => {
    site = await makeSite({
      'content/a/index.md': post('a', {}, '![here](here.png)\n\n![gone](nowhere.png)\n'),
      'content/a/here.png': await png(10, 10),
    });
    const e = await failure(importDir(t.db, site.content, { strict: true }));
    expect(e.problems).toEqual([expect.objectContaining({ file: 'a/index.md', line: 9 })]);
    expect(e.problems[0]!.message).toContain('nowhere.png');
    await nothingWritten();
  });

  it('refuses a file over the per-file limit, naming the file, the reference and the setting', async () => {
    site = await makeSite({
      'content/a/index.md': post('a', {}, '![big](big.png)\n'),
      'content/a/big.png': await png(400, 400),
    });
    const e = await failure(importDir(t.db, site.content, {}, { media: { ...DEFAULT_IMPORTER.media, maxFileBytes: 100 } }));
    expect(e.problems).toEqual([expect.objectContaining({ file: 'a/index.md', line: 7 })]);
    expect(e.problems[0]!.message).toMatch(/"big\.png".*QUIRE_MAX_MEDIA_MB/);
    await nothingWritten();
  });

  it('refuses an import whose new files go over the per-import limit, naming the setting', async () => {
    const one = await png(300, 300, [1, 2, 3]);
    const two = await png(300, 300, [4, 5, 6]);
    site = await makeSite({
      'content/a/index.md': post('a', {}, '![one](one.png)\n\n![two](two.png)\n'),
      'content/a/one.png': one,
      'content/a/two.png': two,
    });
    const limit = Math.max(one.length, two.length) + 10;
    const e = await failure(importDir(t.db, site.content, {}, { media: { ...DEFAULT_IMPORTER.media, maxImportBytes: limit } }));
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]!.message).toContain('QUIRE_MAX_IMPORT_MEDIA_MB');
    expect(e.problems[0]).toMatchObject({ file: 'a/index.md' });
    await nothingWritten();
  });

  it('refuses a corrupt image and a 50-megapixel pixel bomb with a clear error, never a crash', async () => {
    site = await makeSite({
      'content/a/index.md': post('a', {}, '![broken](broken.png)\n'),
      'content/a/broken.png': CORRUPT_PNG,
      'content/b/index.md': post('b', {}, '![bomb](bomb.png)\n'),
      'content/b/bomb.png': pixelBomb(7100, 7100),
    });
    const e = await failure(importDir(t.db, site.content));
    const byFile = Object.fromEntries(e.problems.map((p) => [p.file, p.message]));
    expect(byFile['a/index.md']).toMatch(/"broken\.png" is not a readable image/);
    expect(byFile['b/index.md']).toMatch(
      /"bomb\.png" is 7100×7100 \(50\.4 megapixels\), over the 40\.0 megapixels limit \(QUIRE_MAX_IMAGE_MEGAPIXELS\)/,
    );
    await nothingWritten();
  });

  it('a re-import with a changed image changes its URL; an unchanged one stores nothing', async () => {
    const before = await png(50, 50, [10, 10, 10]);
    site = await makeSite({ 'content/a/index.md': post('a', {}, '![p](p.png)\n'), 'content/a/p.png': before });
    await importDir(t.db, site.content);
    expect(await html('a')).toContain(`/v1/media/${sha256(before)}/p.png`);

    const again = await importDir(t.db, site.content);
    expect([again.unchanged, again.media]).toEqual([1, { files: 1, stored: 0, removed: 0 }]);

    const after = await png(50, 50, [20, 20, 20]);
    await site.write('content/a/p.png', after);
    const changed = await importDir(t.db, site.content);
    expect(changed.updated.map((d) => d.slug)).toEqual(['a']);
    expect(changed.media).toEqual({ files: 1, stored: 1, removed: 1 });
    const body = await html('a');
    expect(body).toContain(`/v1/media/${sha256(after)}/p.png`);
    expect(body).not.toContain(sha256(before));
    expect((await stored()).map((m) => m.hash)).toEqual([sha256(after)]);
  });

  it('an unchanged re-import does not read an image again: its size and time vouch for its hash', async () => {
    const pic = await png(60, 60, [7, 7, 7]);
    site = await makeSite({ 'content/a/index.md': post('a', {}, '![p](p.png)\n'), 'content/a/p.png': pic });
    // A whole second, which a file system stores exactly, to put back after a write.
    const file = path.join(site.root, 'content/a/p.png');
    const when = new Date('2024-01-01T00:00:00Z');
    await utimes(file, when, when);
    await importDir(t.db, site.content);
    // Other bytes of the same length, under the same modification time: a run that read the
    // file would see a new hash and store it; one that trusts its cache sees nothing new.
    await writeFile(file, Buffer.alloc(pic.length, 1));
    await utimes(file, when, when);
    const again = await importDir(t.db, site.content);
    expect([again.unchanged, again.media]).toEqual([1, { files: 1, stored: 0, removed: 0 }]);
    expect((await stored()).map((m) => m.hash)).toEqual([sha256(pic)]);
  });

  it('pruning the last document that used a file removes the file, not one still used', async () => {
    const shared = await png(20, 20, [1, 1, 1]);
    const own = await png(20, 20, [2, 2, 2]);
    site = await makeSite({
      'content/a/index.md': post('a', {}, '![s](/images/shared.png)\n\n![o](own.png)\n'),
      'content/a/own.png': own,
      'content/b.md': post('b', {}, '![s](/images/shared.png)\n'),
      'content/c.md': post('c'),
      'static/images/shared.png': shared,
    });
    await importDir(t.db, site.content);
    expect(await stored()).toHaveLength(2);
    await site.remove('content/a/index.md');
    const pruned = await importDir(t.db, site.content, { prune: true });
    expect(pruned.deleted.map((d) => d.slug)).toEqual(['a']);
    expect(pruned.media.removed).toBe(1);
    expect((await stored()).map((m) => m.hash)).toEqual([sha256(shared)]);
    await site.remove('content/b.md');
    await importDir(t.db, site.content, { prune: true });
    expect(await stored()).toEqual([]);
  });

  it('a pruned file is no longer served, even by a process that had it in its response cache', async () => {
    const pic = await png(30, 30, [3, 3, 3]);
    site = await makeSite({
      'content/a/index.md': post('a', {}, '![p](p.png)\n'),
      'content/a/p.png': pic,
      'content/b.md': post('b'),
      'content/c.md': post('c'),
    });
    await importDir(t.db, site.content);
    const reader = createReader(t.url, { poolSize: 2 });
    const watch = await watchContent(reader, { listenUrl: t.url });
    const { app, http } = await startApp(t, undefined, { watch });
    try {
      const url = `/v1/media/${sha256(pic)}/p.png`;
      await http.get(url).expect(200);
      expect((await http.get(url).expect(200)).headers['x-cache']).toBe('HIT');
      await site.remove('content/a/index.md');
      expect((await importDir(t.db, site.content, { prune: true })).media.removed).toBe(1);
      await waitFor(async () => (await http.get(url)).status === 404);
    } finally {
      await app.close();
      await watch.close();
      await reader.close();
    }
  });

  it('a cover image from front matter is imported and becomes an object with its size and preview', async () => {
    const cover = await png(1200, 630);
    site = await makeSite({ 'content/a/index.md': post('a', { image: 'cover.png' }), 'content/a/cover.png': cover });
    await importDir(t.db, site.content);
    const row = await t.db.post.findFirstOrThrow({ where: { slug: 'a' } });
    expect(row.cover).toMatchObject({ width: 1200, height: 630, type: 'image/png', alt: null });
    expect((row.cover as { placeholder: string }).placeholder).toMatch(/^data:image\/png;base64,/);
  });
});
