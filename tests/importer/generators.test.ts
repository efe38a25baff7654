// Each generator's own reading of a file is the spec (issue 19): files written as Hugo,
// Jekyll, Eleventy, Zola, Astro, Next.js and Docusaurus blogs write them, imported into a
// real database, read as their generator reads them.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contentDir, type ContentDir, importDir } from '../support/content.js';
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

const docOf = (sourcePath: string) => t.db.post.findFirstOrThrow({ where: { sourcePath } });

describe('dates', () => {
  it('reads YYYY/MM/DD as JavaScript\'s Date (and so a Next.js or Astro blog) does', async () => {
    content = await contentDir({
      'posts/first.mdx': '---\ntitle: First\ndate: 2024/12/05\n---\n\nText.\n',
      'posts/second.mdx': "---\ntitle: Second\ndate: '2024/1/7'\n---\n\nText.\n",
    });
    const s = await importDir(t.db, content.dir);
    expect(s.problems).toEqual([]);
    expect((await docOf('posts/first.mdx')).publishedAt?.toISOString()).toBe('2024-12-05T00:00:00.000Z');
    expect((await docOf('posts/second.mdx')).publishedAt?.toISOString()).toBe('2024-01-07T00:00:00.000Z');
  });
});

describe('front matter', () => {
  it('reads front matter after blank lines, as Hugo does, and reports lines of the file', async () => {
    content = await contentDir({
      'news/late/index.md': '\n\n---\ntitle: Late\ndate: 2024-03-01\ntitle: Later\n---\n\nText.\n',
    });
    const s = await importDir(t.db, content.dir);
    expect(s.problems).toEqual([]);
    expect((await docOf('news/late/index.md')).title).toBe('Later');
    expect(s.warnings).toContainEqual(expect.objectContaining({ code: 'duplicate-key', line: 6 }));
  });

  it('names the line of a YAML mistake and its key, and writes nothing', async () => {
    content = await contentDir({
      'ok.md': '---\ntitle: Fine\ndate: 2024-03-01\n---\nText.\n',
      'bad.md': '---\ntitle: "Unclosed\ndate: 2024-03-01\ntags: [a]\n---\nText.\n',
    });
    const e = await importDir(t.db, content.dir).catch((err: unknown) => err as { problems: unknown[] });
    expect(e.problems).toEqual([expect.objectContaining({ file: 'bad.md', line: 2, field: 'title', message: expect.stringMatching(/never closed/) })]);
    expect(await t.db.post.count()).toBe(0);
  });
});
