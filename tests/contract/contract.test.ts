// The contract as a third party checks it: every route, driven through Stoplight Prism as a
// validating proxy built from the committed openapi/openapi.json. Prism checks each request
// (parameters, body, security) and each response (status, content type, headers, body)
// against the document; any violation fails the test. Requests meant to be refused must be
// ones the document itself forbids, so a client generated from it cannot build them.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReader } from '../../src/db/reader.js';
import { type ContentWatch, watchContent } from '../../src/db/content-watch.js';
import { startApp, type TestApp } from '../support/app.js';
import { BLOG } from '../support/blog.js';
import { type ContentDir, contentDir, importDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { type Prism, startPrism } from './prism.js';
import { Sweep } from './sweep.js';

const DOCUMENT = fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url));
const TOKEN = 'contract-admin-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };
/** A Ghost Content API key (QUIRE_GHOST_CONTENT_KEYS): the Ghost layer is on. */
const GHOST_KEY = 'c0ffee0123456789abcdef0123';

let t: TestDatabase;
let content: ContentDir;
let api: TestApp;
let watchReader: ReturnType<typeof createReader>;
let watch: ContentWatch;
let prism: Prism;
let sweep: Sweep;

beforeAll(async () => {
  t = await createTestDatabase();
  const photo = await sharp({ create: { width: 1000, height: 600, channels: 3, background: '#336699' } })
    .png()
    .toBuffer();
  content = await contentDir({
    ...BLOG,
    'photo.md': post(
      'photo-essay',
      { title: 'A photo essay', date: '2024-06-01', tags: ['Photos'], image: 'img/photo.png' },
      'Look:\n\n![A blue field](img/photo.png)\n',
    ),
    'pages/about.md': `---\ntitle: About\naliases: ['/about-us/']\n---\n\nWho we are.\n`,
    'pages/uses.md': `---\ntitle: Uses\n---\n\nWhat we use.\n`,
    'later.md': post('later', { title: 'Not yet', date: '2999-01-01' }),
  });
  await mkdir(path.join(content.dir, 'img'));
  await writeFile(path.join(content.dir, 'img/photo.png'), photo);
  await importDir(t.db, content.dir);
  watchReader = createReader(t.url, { poolSize: 2 });
  watch = await watchContent(watchReader, { listenUrl: t.url });
  api = await startApp(t, { token: TOKEN, contentDir: content.dir }, { watch, ghost: { keys: [GHOST_KEY], limitAll: true } });
  const { port } = api.app.server.address() as { port: number };
  prism = await startPrism(DOCUMENT, `http://127.0.0.1:${port}`);
  sweep = new Sweep(prism.url);
});

afterAll(async () => {
  if (process.env.PRISM_LOG) await writeFile(process.env.PRISM_LOG, prism?.output() ?? '');
  await prism?.close();
  await api?.app.close();
  await watch?.close();
  await watchReader?.close();
  await content?.cleanup();
  await t?.drop();
});

/** The body of a GET straight from the API, not through the proxy. */
async function direct(url: string, headers: Record<string, string> = {}): Promise<Buffer> {
  const { port } = api.app.server.address() as { port: number };
  const res = await fetch(`http://127.0.0.1:${port}${url}`, { headers });
  return Buffer.from(await res.arrayBuffer());
}

/** GETs a URL twice (a cache miss, then a hit), then asks again with its ETag (304) and as HEAD. */
async function cached(url: string) {
  const first = await sweep.json(url);
  await sweep.json(url);
  const etag = first.res.headers.get('etag');
  expect(etag, url).toBeTruthy();
  await sweep.send(url, { status: 304, headers: { 'if-none-match': etag! } });
  await sweep.send(url, { method: 'HEAD', status: 200 });
  return first.data;
}

describe('every route through a validating proxy (Prism) built from openapi/openapi.json', () => {
  it('posts: each filter, sort and view; page and cursor walks', async () => {
    await cached('/v1/posts');
    for (const filter of [
      'tag=javascript',
      'tag=javascript&tag=python',
      'tag=javascript,async',
      'tagAll=javascript,async',
      'tagNot=news',
      'category=tutorials',
      'categoryNot=news',
      'author=ada',
      'lang=fr',
      'from=2024-02-01',
      'to=2024-03-01',
      'from=2024-02-01T00:00:00Z&to=2024-04-01T12:00:00%2B02:00',
      'q=javascript',
      'q=%22event+loop%22',
      'view=full',
    ]) {
      await cached(`/v1/posts?${filter}`);
    }
    for (const sort of ['-publishedAt', 'publishedAt', '-updatedAt', 'updatedAt', 'title', '-title', 'relevance']) {
      await cached(`/v1/posts?sort=${sort}`);
    }
    // Page by page, following links.next.
    let next: string | null = '/v1/posts?limit=2';
    let pages = 0;
    while (next) {
      const { data } = await sweep.json(next);
      next = data.links.next;
      pages++;
    }
    expect(pages).toBe(4);
    // Cursor walks, in every order, following meta.nextCursor.
    for (const sort of ['-publishedAt', 'publishedAt', 'title', '-updatedAt']) {
      let cursor: string | null = '';
      const seen: string[] = [];
      while (cursor !== null) {
        const { data } = await sweep.json(`/v1/posts?limit=2&sort=${sort}&cursor=${encodeURIComponent(cursor)}`);
        seen.push(...data.data.map((p: { slug: string }) => p.slug));
        cursor = data.meta.nextCursor;
      }
      expect(seen).toHaveLength(7);
    }
  });

  it('search: ranked hits, filters, cursor', async () => {
    await cached('/v1/search?q=javascript');
    await cached('/v1/search?q=async&tag=python');
    await cached('/v1/search?q=javascript&sort=-publishedAt&limit=1&page=2');
    let cursor: string | null = '';
    while (cursor !== null) {
      const { data } = await sweep.json(`/v1/search?q=javascript&limit=1&cursor=${encodeURIComponent(cursor)}`);
      cursor = data.meta.nextCursor;
    }
  });

  it('one post: languages, text, old slug (301), preview, missing (404)', async () => {
    await cached('/v1/posts/js-intro');
    await cached('/v1/posts/js-intro?lang=fr');
    await cached('/v1/posts/js-intro?format=text');
    const photo = await cached('/v1/posts/photo-essay');
    expect(photo.data.image).toMatchObject({ width: 1000, height: 600 });
    const moved = await sweep.send('/v1/posts/python-async-old', { status: 301 });
    expect(moved.res.headers.get('location')).toBe('/v1/posts/py-async');
    await sweep.send('/v1/posts/no-such-post', { status: 404 });
    await sweep.send('/v1/posts/secret-draft', { status: 404 });
  });

  it('export: NDJSON of whole posts, summaries, chosen fields', async () => {
    for (const query of [
      '',
      '?view=summary',
      '?fields=title,url',
      '?fields=title&fields=tags&tag=javascript',
      '?lang=en&from=2024-02-01',
    ]) {
      const { res, body } = await sweep.send(`/v1/export/posts${query}`, { status: 200 });
      expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      for (const line of body.toString().trim().split('\n')) expect(JSON.parse(line)).toHaveProperty('slug');
    }
  });

  it('pages, and documents by path', async () => {
    await cached('/v1/pages');
    await cached('/v1/pages?lang=en&limit=1&page=2');
    const about = await cached('/v1/pages/about');
    await sweep.send('/v1/pages/nothing', { status: 404 });
    await cached('/v1/resolve?path=/py-async/');
    const resolved = await cached(`/v1/resolve?path=${encodeURIComponent(about.data.path as string)}`);
    expect(resolved.data).toMatchObject({ kind: 'page', slug: 'about' });
    const moved = await sweep.send('/v1/resolve?path=/2024/03/python-async-old/', { status: 301 });
    expect(moved.res.headers.get('location')).toBe('/v1/resolve?path=%2Fpy-async%2F');
    await sweep.send('/v1/resolve?path=/about-us/', { status: 301 });
    await sweep.send('/v1/resolve?path=/nowhere/', { status: 404 });
  });

  it('tags, categories, authors: lists, sorts, one, its posts, its feeds', async () => {
    for (const [kind, slug] of [
      ['tags', 'javascript'],
      ['categories', 'tutorials'],
      ['authors', 'ada'],
    ] as const) {
      await cached(`/v1/${kind}`);
      for (const sort of ['name', '-name', 'count', '-count']) await cached(`/v1/${kind}?sort=${sort}&limit=2`);
      await cached(`/v1/${kind}/${slug}`);
      await cached(`/v1/${kind}/${slug}/posts`);
      await cached(`/v1/${kind}/${slug}/posts?sort=title&limit=1&cursor=`);
      await sweep.send(`/v1/${kind}/nothing`, { status: 404 });
      await sweep.send(`/v1/${kind}/nothing/posts`, { status: 404 });
      for (const ext of ['xml', 'atom', 'json']) {
        await sweep.send(`/v1/${kind}/${slug}/feed.${ext}`, { status: 200 });
        await sweep.send(`/v1/${kind}/nothing/feed.${ext}`, { status: 404 });
      }
    }
  });

  it('feeds and the sitemap', async () => {
    for (const ext of ['xml', 'atom', 'json']) {
      const { res } = await sweep.send(`/v1/feed.${ext}`, { status: 200 });
      await sweep.send(`/v1/feed.${ext}`, { status: 304, headers: { 'if-none-match': res.headers.get('etag')! } });
      await sweep.send(`/v1/feed.${ext}?lang=en&limit=2`, { status: 200 });
    }
    const feed = await sweep.json('/v1/feed.json');
    expect(feed.data.version).toBe('https://jsonfeed.org/version/1');
    await sweep.send('/sitemap.xml', { status: 200 });
  });

  it('media: the file, resized copies, ranges', async () => {
    const { data } = await sweep.json('/v1/posts/photo-essay');
    const url = new URL(data.data.image.url as string);
    const path = url.pathname;
    // Prism hands bodies on as text, so bytes are checked straight from the API.
    const full = await sweep.send(path, { status: 200 });
    expect(full.res.headers.get('content-type')).toBe('image/png');
    expect(await sharp(await direct(path)).metadata()).toMatchObject({ width: 1000, height: 600 });
    await sweep.send(path, { status: 304, headers: { 'if-none-match': full.res.headers.get('etag')! } });
    await sweep.send(path, { method: 'HEAD', status: 200 });
    const small = await sweep.send(`${path}?w=320`, { status: 200 });
    expect(small.res.headers.get('content-type')).toBe('image/webp');
    expect(await sharp(await direct(`${path}?w=320`)).metadata()).toMatchObject({ width: 320, format: 'webp' });
    const avif = await sweep.send(`${path}?w=640&format=avif`, { status: 200 });
    expect(avif.res.headers.get('content-type')).toBe('image/avif');
    await sweep.send(`${path}?format=webp`, { status: 200 });
    const part = await sweep.send(path, { status: 206, headers: { range: 'bytes=0-99' } });
    expect(part.res.headers.get('content-range')).toMatch(/^bytes 0-99\/\d+$/);
    expect(await direct(path, { range: 'bytes=0-99' })).toHaveLength(100);
    await sweep.send(path, { status: 416, headers: { range: 'bytes=99999999-' } });
    await sweep.send(`/v1/media/${'0'.repeat(64)}/x.png`, { status: 404 });
    await sweep.send('/v1/media/not-a-hash/x.png', { status: 400, invalid: true });
    await sweep.send(`${path}?w=333`, { status: 400, invalid: true });
  });

  it('errors the document predicts: bad parameters (400), unknown routes (404)', async () => {
    for (const url of [
      '/v1/posts?limit=500',
      '/v1/posts?limit=0',
      '/v1/posts?page=x',
      '/v1/posts?sort=random',
      '/v1/posts?view=huge',
      '/v1/posts?from=yesterday',
      '/v1/search',
      '/v1/search?q=',
      '/v1/tags?sort=popular',
      '/v1/export/posts?fields=nope',
      '/v1/posts/js-intro?format=pdf',
      '/v1/resolve',
      '/v1/feed.xml?limit=1000',
    ]) {
      const { res, data } = await sweep.json(url, { status: 400, invalid: true });
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(data.errors.length).toBeGreaterThan(0);
    }
    // Refused for reasons the document cannot say or Prism does not check: a parameter the
    // route does not have (OpenAPI 3.1 cannot close a parameter list: the description says
    // unknown ones are refused), an empty value (Prism reads it as absent, so the schema's
    // minLength is not applied), a cursor the API did not give out.
    for (const url of ['/v1/posts?tags=javascript', '/v1/posts?tag=', '/v1/posts?cursor=not-a-cursor']) {
      const { data } = await sweep.json(url, { status: 400 });
      expect(data.errors[0].name).toBe(new URLSearchParams(url.split('?')[1]).keys().next().value);
    }
  });

  it('the Ghost layer: browse, read by id and slug, settings, empty lists, its parameters and errors', async () => {
    const ghost = (path: string) => `/ghost/api/content/${path}${path.includes('?') ? '&' : '?'}key=${GHOST_KEY}`;
    const posts = await cached(ghost('posts/?include=tags,authors,tiers&formats=html,plaintext&limit=all'));
    expect(posts.meta.pagination).toMatchObject({ limit: 'all', pages: 1 });
    const post = posts.posts[0];
    await cached(ghost(`posts/${post.id}/?include=tags`));
    await cached(ghost(`posts/slug/${post.slug}/?formats=plaintext`));
    await cached(ghost('posts/?fields=title,slug&include=tags'));
    await cached(
      ghost(
        `posts/?filter=${encodeURIComponent("tag:javascript+published_at:>'2024-01-01'")}&order=${encodeURIComponent('title asc')}&limit=1&page=2`,
      ),
    );
    await cached(ghost('posts/?fields=nonsense&limit=2'));
    await cached(ghost('posts/?page=99'));
    await cached(ghost('pages/?include=authors'));
    await cached(ghost('pages/slug/about/'));
    const tags = await cached(ghost('tags/?include=count.posts&order=count.posts%20desc'));
    await cached(ghost(`tags/${tags.tags[0].id}/?include=count.posts`));
    await cached(ghost('tags/slug/javascript/?fields=name,slug'));
    await cached(ghost('authors/?limit=1'));
    await cached(ghost('authors/slug/ada/?include=count.posts'));
    const settings = await cached(ghost('settings/'));
    expect(settings.settings.url).toMatch(/\/$/);
    for (const empty of ['tiers', 'newsletters', 'offers', 'recommendations']) await cached(ghost(`${empty}/`));
    // Errors, all in Ghost's shape: refused by the document (no key, limit or page out of
    // range) or only by the server (a key it does not know, a filter or format Quire does not
    // support, nothing by that slug or id).
    for (const [url, status, invalid] of [
      ['/ghost/api/content/posts/', 403, true],
      [ghost('posts/?limit=0'), 422, true],
      [ghost('tags/?page=0'), 422, true],
      [ghost('tiers/?limit=ten'), 422, true],
      ['/ghost/api/content/posts/?key=00000000000000000000000000', 401, false],
      [ghost('posts/?formats=mobiledoc'), 422, false],
      [ghost('posts/?order=sideways'), 422, false],
      [ghost('posts/?filter=nonsense:1'), 400, false],
      [ghost('posts/?filter=tag:('), 400, false],
      [ghost('posts/slug/nope/'), 404, false],
      [ghost('authors/5f0000000000000000000000/'), 404, false],
    ] as const) {
      const { res, data } = await sweep.json(url, { status, invalid });
      expect(res.headers.get('content-type'), url).toMatch(/^application\/json/);
      expect(data.errors[0].type, url).toEqual(expect.any(String));
    }
  });

  it('health', async () => {
    await sweep.json('/healthz');
    await sweep.json('/readyz');
  });

  it('admin: refused without the token; imports (JSON options, multipart upload), runs, previews', async () => {
    await sweep.send('/v1/admin/imports', { status: 401, invalid: true });
    // A wrong token is a well-formed request: only the server can refuse it.
    await sweep.send('/v1/admin/imports', { status: 401, headers: { authorization: 'Bearer wrong-token-wrong-token' } });
    await sweep.send('/v1/admin/imports', { method: 'POST', status: 401, invalid: true });
    const json = { ...AUTH, 'content-type': 'application/json' };
    const dry = await sweep.json('/v1/admin/imports', {
      method: 'POST',
      status: 200,
      headers: json,
      body: JSON.stringify({ dryRun: true }),
    });
    expect([dry.data.dryRun, dry.data.runId]).toEqual([true, null]);
    await sweep.json('/v1/admin/imports?dryRun=true', { method: 'POST', status: 200, headers: AUTH });
    await sweep.json('/v1/admin/imports', { method: 'POST', status: 200, headers: AUTH });
    await sweep.send('/v1/admin/imports', {
      method: 'POST',
      status: 415,
      invalid: true,
      headers: { ...AUTH, 'content-type': 'text/plain' },
      body: 'dryRun',
    });
    await sweep.send('/v1/admin/imports', {
      method: 'POST',
      status: 400,
      invalid: true,
      headers: json,
      body: JSON.stringify({ dryRun: 'yes' }),
    });
    const form = new FormData();
    form.append('files', new Blob([post('uploaded', { title: 'Uploaded', date: '2024-07-01' })]), 'posts/uploaded.md');
    const upload = await sweep.json('/v1/admin/imports', { method: 'POST', status: 200, headers: AUTH, body: form });
    expect(upload.data.created.map((d: { slug: string }) => d.slug)).toEqual(['uploaded']);
    const bad = new FormData();
    bad.append('files', new Blob(['---\ntitle: [unclosed\n---\n']), 'posts/broken.md');
    await sweep.json('/v1/admin/imports', { method: 'POST', status: 422, headers: AUTH, body: bad });
    const runs = await sweep.json('/v1/admin/imports?limit=2', { headers: AUTH, status: 200 });
    expect(runs.data.data.length).toBe(2);
    await sweep.send('/v1/admin/imports', { status: 404, invalid: true, headers: AUTH, method: 'PUT' });

    const preview = await sweep.json('/v1/admin/previews', {
      method: 'POST',
      status: 200,
      headers: json,
      body: JSON.stringify({ slug: 'secret-draft' }),
    });
    await sweep.json('/v1/admin/previews', { method: 'POST', status: 404, headers: json, body: JSON.stringify({ slug: 'nothing-here' }) });
    await sweep.send('/v1/admin/previews', {
      method: 'POST',
      status: 401,
      invalid: true,
      headers: { 'content-type': 'application/json' },
      body: '{"slug":"secret-draft"}',
    });
    const token = encodeURIComponent(preview.data.token as string);
    const draft = await sweep.json(`/v1/posts/secret-draft?preview=${token}`);
    expect(draft.res.headers.get('cache-control')).toBe('private, no-store');
    await sweep.send('/v1/posts/secret-draft?preview=p1.bad.token.x', { status: 404 });
    const page = await sweep.json('/v1/admin/previews', {
      method: 'POST',
      status: 200,
      headers: json,
      body: JSON.stringify({ slug: 'about', kind: 'page' }),
    });
    await sweep.json(`/v1/pages/about?preview=${encodeURIComponent(page.data.token as string)}`);
  });

  it('found no violation in any exchange', () => {
    const requests = sweep.exchanges.length;
    console.log(`Prism validated ${requests} requests and ${requests} responses against openapi/openapi.json`);
    expect(requests).toBeGreaterThan(300);
    expect(sweep.problems().join('\n')).toBe('');
  });
});

describe('the validator itself', () => {
  it('reports a body and a header the document says and the API does not send', async () => {
    const doc = JSON.parse(await readFile(DOCUMENT, 'utf8'));
    doc.components.schemas.PostSummary.required.push('neverSent');
    // (The envelope: an item may be a whole tag or, with fields=, any part of one.)
    doc.components.schemas.GhostTagsBrowse.required.push('neverSentByGhost');
    doc.paths['/v1/tags'].get.responses['200'].headers['x-never-sent'] = { required: true, schema: { type: 'string' } };
    const dir = await mkdtemp(path.join(tmpdir(), 'quire-contract-'));
    const wrong = path.join(dir, 'openapi.json');
    await writeFile(wrong, JSON.stringify(doc));
    const { port } = api.app.server.address() as { port: number };
    const strict = await startPrism(wrong, `http://127.0.0.1:${port}`);
    try {
      const check = new Sweep(strict.url);
      await check.send('/v1/posts?limit=1', { status: 200 });
      await check.send('/v1/tags', { status: 200 });
      await check.send(`/ghost/api/content/tags/?key=${GHOST_KEY}`, { status: 200 });
      const [posts, tags, ghostTags] = check.exchanges.map((e) => e.response.map((v) => v.message).join('\n'));
      expect(posts).toMatch(/neverSent/);
      expect(tags).toMatch(/x-never-sent/);
      expect(ghostTags).toMatch(/neverSentByGhost/);
    } finally {
      await strict.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
