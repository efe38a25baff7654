// A security probe's requests, replayed: a Ghost filter that stalled the database, uploads
// whose names hurt the file system, an upload with nothing to import, a media name chosen by
// the link, and bulk requests past what one process serves at once. Each gets a 4xx in its
// surface's own shape (or a 503 with Retry-After) and leaves nothing behind.
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulkSlots } from '../../src/api/bulk-slots.js';
import { UPLOAD_LIMITS } from '../../src/api/uploads.js';
import { FILTER_LIMITS } from '../../src/ghost/nql.js';
import { startApp, type TestApp } from '../support/app.js';
import { loadBlog } from '../support/blog.js';
import type { ContentDir } from '../support/content.js';
import { multipart } from '../support/multipart.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

const TOKEN = 'probe-admin-token-0123456789';
const KEY = 'abcdef0123456789abcdef0123';

let t: TestDatabase;
let content: ContentDir;
let api: TestApp;

beforeAll(async () => {
  t = await createTestDatabase();
  ({ content } = await loadBlog(t.db));
  api = await startApp(t, { token: TOKEN, contentDir: content.dir }, { ghost: { keys: [KEY], limitAll: false } });
});
afterAll(async () => {
  await api.app.close();
  await content.cleanup();
  await t.drop();
});

const ghost = (path: string, params: Record<string, string>) => api.http.get(`/ghost/api/content/${path}`).query({ key: KEY, ...params });
const andOf = (field: string, n: number) => Array.from({ length: n }, (_, i) => `${field}:tag-${i}`).join('+');

describe('Ghost filters have a bounded cost', () => {
  it("refuses 200 ANDed tags at once with a 400 in Ghost's shape, naming the limit", async () => {
    const started = performance.now();
    const res = await ghost('posts/', { filter: andOf('tag', 200) }).expect(400);
    // Refused before any query: a generous bound that a query planning 200 joins would miss.
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.errors[0]).toMatchObject({
      type: 'BadRequestError',
      message: `Filter too large: 200 tag and author conditions, at most ${FILTER_LIMITS.relations}`,
    });
  });

  it('takes a filter at every limit, and refuses one past each', async () => {
    const { relations, conditions, values, depth } = FILTER_LIMITS;
    const ok = [
      andOf('tag', relations),
      [andOf('tag', relations), ...Array.from({ length: conditions - relations }, (_, i) => `slug:-s${i}x`)].join('+'),
      `slug:[${Array.from({ length: values }, (_, i) => `s${i}x`).join(',')}]`,
      `${'(tag:aa+'.repeat(depth)}tag:bb${')'.repeat(depth)}`,
    ];
    for (const filter of ok) expect((await ghost('posts/', { filter })).status, filter.slice(0, 60)).toBe(200);
    const past = [
      [andOf('tag', relations + 1), 'tag and author conditions'],
      [Array.from({ length: conditions + 1 }, (_, i) => `slug:-s${i}x`).join('+'), 'conditions'],
      [`slug:[${Array.from({ length: values + 1 }, (_, i) => `s${i}x`).join(',')}]`, 'values'],
      [`${'(tag:aa+'.repeat(depth + 1)}tag:bb${')'.repeat(depth + 1)}`, 'levels of nested groups'],
    ];
    for (const [filter, what] of past) {
      const res = await ghost('posts/', { filter: filter! }).expect(400);
      expect(res.body.errors[0].message).toMatch(new RegExp(`^Filter too large: \\d+ ${what}, at most \\d+$`));
    }
  });

  it('finds the same posts through the slug arrays as through the terms', async () => {
    const any = await ghost('posts/', { filter: 'tag:[javascript,python]', fields: 'slug', limit: '100' }).expect(200);
    const all = await ghost('posts/', { filter: 'tag:javascript+tag:async', fields: 'slug', limit: '100' }).expect(200);
    const none = await ghost('posts/', { filter: 'tag:-javascript', fields: 'slug', limit: '100' }).expect(200);
    const v1 = async (q: string) =>
      (await api.http.get(`/v1/posts?lang=en&limit=100&${q}`).expect(200)).body.data.map((p: { slug: string }) => p.slug).sort();
    const slugs = (res: { body: { posts: { slug: string }[] } }) => res.body.posts.map((p) => p.slug).sort();
    expect(slugs(any)).toEqual(await v1('tag=javascript,python'));
    expect(slugs(all)).toEqual(await v1('tagAll=javascript,async'));
    expect(slugs(none)).toEqual(await v1('tagNot=javascript'));
    expect(slugs(any).length).toBeGreaterThan(slugs(all).length);
    expect(slugs(all).length).toBeGreaterThan(0);
  });

  it("answers limit=all with Ghost 6's 100 and the pages after it, unless the server allows all", async () => {
    const res = await ghost('posts/', { limit: 'all', fields: 'slug' }).expect(200);
    expect(res.body.meta.pagination).toMatchObject({ page: 1, limit: 100 });
  });
});

describe('uploads are bounded before anything is written', () => {
  const uploadDirs = async () => (await readdir(tmpdir())).filter((d) => d.startsWith('quire-upload-')).length;
  const upload = (files: [string, string][]) => {
    const { type, body } = multipart(files.map(([name, text]) => ({ name, text })));
    return api.http.post('/v1/admin/imports').set('authorization', `Bearer ${TOKEN}`).type(type).send(body);
  };
  const md = '---\ntitle: Probe\ndate: 2024-01-01\n---\nText.\n';

  it.each([
    ['a name over 255 bytes', [[`${'é'.repeat(128)}.md`, md]], 'bytes'],
    ['a path deeper than the limit', [[`${'d/'.repeat(UPLOAD_LIMITS.depth + 1)}x.md`, md]], 'folders deep'],
    ['2,000 nested folders', [[`${'a/'.repeat(2000)}x.md`, md]], 'folders deep'],
    [
      'more folders than the limit in all',
      Array.from({ length: 70 }, (_, i) => [`${Array.from({ length: 15 }, (_, j) => `f${i}-${j}`).join('/')}/x.md`, md]),
      'folders',
    ],
    ['no Markdown file', [['cover.png', 'not really a png']], 'no Markdown file'],
  ] as [string, [string, string][], string][])('refuses %s with a 400 problem, writing nothing', async (_what, files, says) => {
    const before = await uploadDirs();
    const posts = await t.db.post.count();
    const runs = await t.db.importRun.count();
    const res = await upload(files).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe('/problems/invalid-parameter');
    expect(res.body.detail).toContain(says);
    expect(res.body.errors[0]).toMatchObject({ in: 'body' });
    expect(await uploadDirs()).toBe(before);
    expect(await t.db.post.count()).toBe(posts);
    expect(await t.db.importRun.count()).toBe(runs);
  });
});

describe('media', () => {
  it('names a file by its stored name, whatever name the link gives', async () => {
    await t.db.media.create({
      data: { hash: 'a'.repeat(64), name: 'diagram.svg', type: 'image/svg+xml', size: 4, bytes: Buffer.from('<svg') },
    });
    try {
      const res = await api.http.get(`/v1/media/${'a'.repeat(64)}/invoice-please-pay.exe`).expect(200);
      expect(res.headers['content-disposition']).toBe('inline; filename="diagram.svg"; filename*=UTF-8\'\'diagram.svg');
    } finally {
      await t.db.media.delete({ where: { hash: 'a'.repeat(64) } });
    }
  });
});

describe('bulk requests', () => {
  it('hold a slot each while they run, and give it back however they end', () => {
    const slots = new BulkSlots(2);
    const first = slots.take('exports');
    slots.take('exports');
    expect(() => slots.take('exports')).toThrow(/2 exports are being served/);
    first();
    first(); // twice is once
    const third = slots.take('exports');
    expect(() => slots.take('exports')).toThrow();
    third();
  });

  it("are refused past the slots with a 503 and Retry-After, in each surface's shape", async () => {
    const busy = await startApp(t, undefined, { ghost: { keys: [KEY], limitAll: true }, bulk: new BulkSlots(0) });
    try {
      const exported = await busy.http.get('/v1/export/posts').expect(503);
      expect(exported.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(exported.headers['retry-after']).toBeDefined();
      const all = await busy.http.get('/ghost/api/content/posts/').query({ key: KEY, limit: 'all' }).expect(503);
      expect(all.body.errors[0].type).toBe('ServiceUnavailableError');
      expect(all.headers['retry-after']).toBeDefined();
      // A page is not a bulk request.
      await busy.http.get('/ghost/api/content/posts/').query({ key: KEY, limit: '100' }).expect(200);
    } finally {
      await busy.app.close();
    }
  });

  it('give their slot back when done: one slot serves exports one after another', async () => {
    const one = await startApp(t, undefined, { bulk: new BulkSlots(1) });
    try {
      for (let i = 0; i < 4; i++) {
        const res = await one.http.get('/v1/export/posts?fields=title').expect(200);
        expect(res.text.trim().split('\n').length).toBeGreaterThan(1);
      }
    } finally {
      await one.app.close();
    }
  });
});
