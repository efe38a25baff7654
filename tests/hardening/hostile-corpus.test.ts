// A hostile content folder: every file gets a clear error (file, field, why) or a safe
// result, nothing crashes the importer or the API, and a failing run leaves no data.
import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportFailedError } from '../../src/importer/problems.js';
import { startApp, type TestApp } from '../support/app.js';
import { article, contentDir, type ContentDir, importDir, post } from '../support/content.js';
import { validateAtom, validateJsonFeed, validateRss } from '../support/feeds.js';
import { expectSafeHtml } from '../support/html.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

const XSS_BODY = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '<a href="javascript:alert(3)">j</a> <a href="JAVASCRIPT:alert(4)">J</a> <a href=" javascript:alert(5)">s</a>',
  '<a href="&#106;avascript:alert(6)">entity</a> <a href="data:text/html;base64,PHNjcmlwdD4=">data</a>',
  '<svg><script>alert(7)</script></svg> <svg onload=alert(8)>',
  '<iframe src="https://evil.example"></iframe> <object data="x"></object> <embed src="x">',
  '<style>body{background:url(javascript:alert(9))}</style> <link rel=stylesheet href=x>',
  '<div style="background:url(javascript:alert(10))" onclick="alert(11)">d</div>',
  '<form action="https://evil.example"><input type="text" name="q"><button>go</button></form>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(12)>',
  '<details open ontoggle=alert(13)>x</details> <body onload=alert(14)>',
  '[md link](javascript:alert(15)) ![md img](javascript:alert(16)) <javascript:alert(17)>',
  '<base href="https://evil.example/"> <meta http-equiv="refresh" content="0;url=https://evil.example">',
].join('\n\n');

/** Each file, and what must come of it: a problem naming the key, or a post. */
const HOSTILE: Record<string, { text: string | Buffer; problem?: { field?: string; message: RegExp } }> = {
  'invalid-yaml.md': { text: '---\ntitle: [unclosed\ndate: 2024-01-01\n---\n', problem: { message: /invalid YAML/ } },
  'invalid-toml.md': { text: '+++\ntitle = \n+++\n', problem: { message: /invalid TOML/ } },
  'invalid-json.md': { text: '{ "title": "x", }\n', problem: { message: /invalid JSON/ } },
  'yaml-bomb.md': {
    text: `---\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\ntitle: t\ndate: 2024-01-01\n---\n`,
    problem: { message: /invalid YAML|alias/i },
  },
  'front-matter-only.md': { text: article({ title: 'Only front matter', slug: 'front-matter-only', date: '2024-01-01' }, '') },
  'empty.md': { text: '', problem: { message: /no front matter/ } },
  'binary.md': { text: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), problem: { message: /UTF-8|binary/ } },
  'latin1.md': { text: Buffer.from('---\ntitle: Caf\xe9\ndate: 2024-01-01\n---\n', 'latin1'), problem: { message: /UTF-8/ } },
  'ten-thousand-tags.md': {
    text: post('many-tags', { tags: Array.from({ length: 10_000 }, (_, i) => `tag ${i}`) }),
    problem: { field: 'tags', message: /10000 entries; at most 100/ },
  },
  'impossible-date.md': { text: article({ title: 'Date', date: '2024-13-45' }), problem: { field: 'date', message: /not a date/ } },
  'list-as-title.md': { text: article({ title: ['a', 'b'], date: '2024-01-01' }), problem: { field: 'title', message: /must be text/ } },
  'object-as-tags.md': {
    text: article({ title: 't', date: '2024-01-01', tags: { a: 1 } }),
    problem: { field: 'tags', message: /list of names/ },
  },
  'number-as-draft.md': {
    text: article({ title: 't', date: '2024-01-01', draft: 7 }),
    problem: { field: 'draft', message: /true or false/ },
  },
  'slug-traversal.md': { text: post('../../etc/passwd') },
  'slug-percent.md': { text: post('a%2Fb%00c') },
  'slug-nul.md': { text: '---\ntitle: t\ndate: 2024-01-01\nslug: "a\\0b"\n---\n', problem: { field: 'slug', message: /NUL character/ } },
  'nul-in-extra.md': {
    text: '{"title": "t", "date": "2024-01-01", "meta": {"k": "v\\u0000"}}\n',
    problem: { field: 'meta', message: /NUL/ },
  },
  'slug-emoji.md': { text: post('🚀🔥'), problem: { field: 'slug', message: /no letters or digits/ } },
  'emoji-title.md': { text: post('emoji-title', { title: 'Launch 🚀 day' }) },
  'long-slug.md': { text: post('x'.repeat(300)), problem: { field: 'slug', message: /longer than 200/ } },
  'xss.md': { text: post('xss', { title: '<script>alert("title")</script>', description: '<img src=x onerror=alert(1)>' }, XSS_BODY) },
  'deep-nesting.md': { text: post('deep', {}, `${'> '.repeat(5_000)}deep\n\n${'- '.repeat(3_000)}list\n\n${'['.repeat(10_000)}\n`) },
  'huge-line.md': { text: post('huge-line', {}, `${'word'.repeat(500_000)}\n`) },
  'duplicate-a.md': { text: post('twin') },
  // Two files on one slug both import: the second gets its date after it (a warning says so).
  'duplicate-b.md': { text: post('twin') },
};

let t: TestDatabase;
let content: ContentDir;
let api: TestApp;

beforeAll(async () => {
  t = await createTestDatabase();
  api = await startApp(t, undefined, { logger: { level: 'error' } });
  content = await contentDir();
  for (const [file, { text }] of Object.entries(HOSTILE)) await writeFile(path.join(content.dir, file), text);
  // A 10 MB article, and links leading out of the folder.
  await writeFile(
    path.join(content.dir, 'ten-megabytes.md'),
    post('ten-megabytes', {}, `${'A paragraph of words. '.repeat(50)}\n\n`.repeat(9_000)),
  );
  await symlink('/etc/passwd', path.join(content.dir, 'escape.md'));
  await symlink('../../../../../../../../etc/hostname', path.join(content.dir, 'escape-relative.md'));
}, 60_000);
afterAll(async () => {
  await api.app.close();
  await content.cleanup();
  await t.drop();
});

const expectedProblems = Object.entries(HOSTILE).filter(([, h]) => h.problem);

describe('a hostile content folder', () => {
  it('fails as a whole, naming every bad file (and the key, where there is one), and writes nothing', async () => {
    const error = (await importDir(t.db, content.dir).catch((e: unknown) => e)) as ImportFailedError;
    expect(error).toBeInstanceOf(ImportFailedError);
    const byFile = new Map(error.problems.map((p) => [p.file, p]));
    for (const [file, { problem }] of expectedProblems) {
      const found = byFile.get(file);
      expect(found, file).toBeDefined();
      expect(found!.message, file).toMatch(problem!.message);
      if (problem!.field) expect(found!.field, file).toBe(problem!.field);
    }
    expect([...byFile.keys()].sort()).toEqual(expectedProblems.map(([f]) => f).sort());
    expect(await t.db.post.count()).toBe(0);
    expect(await t.db.tag.count()).toBe(0);
  }, 120_000);

  it('imports the rest safely with --skip-invalid, following no link out of the folder', async () => {
    const error = (await importDir(t.db, content.dir, { skipInvalid: true }).catch((e: unknown) => e)) as ImportFailedError;
    const summary = error.summary!;
    expect(summary.status).toBe('partial');
    expect(summary.skipped).toEqual([
      { file: 'escape-relative.md', reason: 'a symbolic link leading outside the content folder, or to no file' },
      { file: 'escape.md', reason: 'a symbolic link leading outside the content folder, or to no file' },
    ]);
    const slugs = (await t.db.post.findMany({ select: { slug: true }, orderBy: { slug: 'asc' } })).map((p) => p.slug);
    expect(slugs).toEqual([
      'a-2fb-00c',
      'deep',
      'emoji-title',
      'etc-passwd',
      'front-matter-only',
      'huge-line',
      'ten-megabytes',
      'twin',
      'twin-2024-01-01',
      'xss',
    ]);
  }, 120_000);

  it('serves what it imported without a script, an event handler or a javascript: URL, anywhere', async () => {
    const post = (await api.http.get('/v1/posts/xss').expect(200)).body.data;
    expectSafeHtml(post.html);
    // Titles are text: JSON carries them as strings for the frontend to escape.
    expect(post.title).toBe('<script>alert("title")</script>');
    for (const [url, validate] of [
      ['/v1/feed.xml', validateRss],
      ['/v1/feed.atom', validateAtom],
      ['/v1/feed.json', validateJsonFeed],
    ] as const) {
      const res = await api.http.get(`${url}?limit=100`).expect(200);
      validate(res.text);
      if (url.endsWith('.json')) {
        for (const item of JSON.parse(res.text).items) expectSafeHtml(item.content_html ?? '');
      } else {
        // In XML, HTML and titles are escaped or in CDATA (text): no element outside is a script.
        expect(res.text.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '')).not.toMatch(/<script/);
        for (const [, html] of res.text.matchAll(/<content:encoded><!\[CDATA\[([\s\S]*?)\]\]>/g)) expectSafeHtml(html!);
      }
    }
    const search = (await api.http.get('/v1/search?q=alert').expect(200)).body.data;
    for (const item of search) expect(item.snippet).not.toMatch(/<(?!\/?mark>)/);
    const big = (await api.http.get('/v1/posts?fields=wordCount&tag=&q=').expect(400)).body;
    expect(big.type).toBe('/problems/invalid-parameter');
    const ten = (await api.http.get('/v1/posts/ten-megabytes').expect(200)).body.data;
    expect(ten.wordCount).toBe(9_000 * 200);
    expectSafeHtml(ten.html);
  });
});
