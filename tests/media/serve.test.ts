// Serving imported media over real HTTP: the API's HTML and covers point at absolute media
// URLs that answer 200 with immutable caching; validators, ranges, HEAD, nosniff, and SVG
// under a policy that keeps its scripts from running. With and without the response cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReader } from '../../src/db/reader.js';
import { watchContent } from '../../src/db/content-watch.js';
import { startApp, TEST_API_URL, type TestApp } from '../support/app.js';
import { importDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { jpeg, png, sha256, SVG_WITH_SCRIPT } from './images.js';
import { makeSite, type Site } from './site.js';

let t: TestDatabase;
let site: Site;
const cleanups: (() => Promise<unknown>)[] = [];
const files: Record<string, Buffer> = {};
const url = (name: string) => `/v1/media/${sha256(files[name]!)}/${name}`;
const apps: Record<string, TestApp> = {};

beforeAll(async () => {
  t = await createTestDatabase();
  files['diagram.png'] = await png(1000, 500);
  files['photo.jpg'] = await jpeg(300, 200);
  files['logo.svg'] = SVG_WITH_SCRIPT;
  files['talk.pdf'] = Buffer.from(`%PDF-1.4\n${'0123456789'.repeat(300)}\n%%EOF\n`);
  files['cover.png'] = await png(1200, 630, [200, 200, 0]);
  site = await makeSite({
    'content/blog/2024/a-post/index.md': post(
      'a-post',
      { image: 'cover.png', image_alt: 'A yellow field' },
      '![diagram](diagram.png "The pipeline")\n\n![photo](/images/photo.jpg)\n\n![logo](logo.svg)\n\n' +
        '[the slides](talk.pdf) and ![elsewhere](https://cdn.example.org/x.png)\n',
    ),
    'content/blog/2024/a-post/diagram.png': files['diagram.png'],
    'content/blog/2024/a-post/logo.svg': files['logo.svg'],
    'content/blog/2024/a-post/talk.pdf': files['talk.pdf'],
    'content/blog/2024/a-post/cover.png': files['cover.png'],
    'static/images/photo.jpg': files['photo.jpg'],
  });
  await importDir(t.db, site.content);
  apps.plain = await startApp(t);
  const reader = createReader(t.url, { poolSize: 2 });
  const watch = await watchContent(reader, { listenUrl: t.url });
  apps.cached = await startApp(t, undefined, { watch });
  cleanups.push(
    () => apps.plain!.app.close(),
    () => apps.cached!.app.close(),
    () => watch.close(),
    () => reader.close(),
  );
});
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
  await site.cleanup();
  await t.drop();
});

/** supertest keeps binary bodies as Buffers only when told to. */
const bytes = (r: import('supertest').Test) =>
  r.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

describe('the API answer', () => {
  it('rewrites every local <img> to an absolute media URL with its size, srcset, lazy loading; external ones stay', async () => {
    const { body } = await apps.plain!.http.get('/v1/posts/a-post').expect(200);
    const html: string = body.data.html;
    const d = `${TEST_API_URL}${url('diagram.png')}`;
    expect(html).toContain(`src="${d}"`);
    expect(html).toMatch(/<img[^>]*src="[^"]*diagram\.png"[^>]*width="1000"[^>]*height="500"/);
    expect(html).toContain(
      `srcset="${d}?w=320&amp;format=webp 320w, ${d}?w=640&amp;format=webp 640w, ${d}?w=960&amp;format=webp 960w, ${d}?format=webp 1000w"`,
    );
    expect(html).toMatch(/<img[^>]*diagram\.png"[^>]*loading="lazy"[^>]*decoding="async"/);
    expect(html).toContain(`src="${TEST_API_URL}${url('photo.jpg')}"`);
    expect(html).toMatch(/<img[^>]*logo\.svg"[^>]*width="120"[^>]*height="80"/);
    expect(html).toContain(`href="${TEST_API_URL}${url('talk.pdf')}"`);
    expect(html).toContain('src="https://cdn.example.org/x.png"');
    expect(html).not.toMatch(/src="(diagram\.png|\/images\/photo\.jpg|logo\.svg)"/);
  });

  it('serves the cover as an object: absolute URL, size, alt, type, srcset and a placeholder', async () => {
    const { body } = await apps.plain!.http.get('/v1/posts/a-post').expect(200);
    const c = `${TEST_API_URL}${url('cover.png')}`;
    expect(body.data.image).toEqual({
      url: c,
      width: 1200,
      height: 630,
      alt: 'A yellow field',
      type: 'image/png',
      srcset: `${c}?w=320&format=webp 320w, ${c}?w=640&format=webp 640w, ${c}?w=960&format=webp 960w, ${c}?format=webp 1200w`,
      placeholder: expect.stringMatching(/^data:image\/png;base64,/),
    });
  });

  it('lists, feeds and the export carry the same absolute media URLs, never the stored placeholder origin', async () => {
    const d = `${TEST_API_URL}${url('diagram.png')}`;
    for (const path of ['/v1/posts?view=full', '/v1/feed.xml', '/v1/feed.atom', '/v1/feed.json', '/v1/export/posts']) {
      const { text } = await apps.plain!.http.get(path).buffer(true).expect(200);
      expect([path, text.includes(d) || text.includes(d.replace(/\//g, '\\/'))]).toEqual([path, true]);
      expect([path, text.includes('quire.invalid')]).toEqual([path, false]);
    }
    const list = await apps.plain!.http.get('/v1/posts').expect(200);
    expect(list.body.data[0].image).toMatchObject({ url: `${TEST_API_URL}${url('cover.png')}`, width: 1200 });
  });

  it('every media URL in the served HTML answers 200 with the type it claims', async () => {
    const { body } = await apps.plain!.http.get('/v1/posts/a-post').expect(200);
    const found = [
      ...(body.data.html as string).matchAll(/(?:src|href)="https:\/\/api\.example\.com([^"]+)"|(https:\/\/api\.example\.com[^ "]+) \d+w/g),
    ].map((m) => (m[1] ?? m[2]!.slice(TEST_API_URL.length)).replace(/&amp;/g, '&'));
    expect(found.length).toBeGreaterThanOrEqual(8);
    for (const path of found) {
      const res = await apps.plain!.http.get(path);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.headers['content-type']).toMatch(/^(image\/|application\/pdf)/);
    }
  });
});

describe.each(['plain', 'cached'])('serving the original (%s)', (kind) => {
  const http = () => apps[kind]!.http;

  it('sends the bytes with their type, immutable caching, an ETag and nosniff', async () => {
    for (let round = 0; round < 2; round++) {
      // The second round: a cache hit where there is a cache.
      const res = await bytes(http().get(url('diagram.png'))).expect(200);
      expect(Buffer.compare(res.body as Buffer, files['diagram.png']!)).toBe(0);
      expect(res.headers).toMatchObject({
        'content-type': 'image/png',
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        'accept-ranges': 'bytes',
      });
      expect(res.headers.etag).toContain(sha256(files['diagram.png']!));
      expect(res.headers['content-encoding']).toBeUndefined();
    }
  });

  it('answers If-None-Match with 304', async () => {
    const { headers } = await http().get(url('photo.jpg')).expect(200);
    const res = await http()
      .get(url('photo.jpg'))
      .set('if-none-match', headers.etag as string)
      .expect(304);
    expect(res.headers.etag).toBe(headers.etag);
    await http().get(url('photo.jpg')).set('if-none-match', '"something-else"').expect(200);
  });

  it('answers a Range with 206 and that part, and an impossible one with 416', async () => {
    const pdf = files['talk.pdf']!;
    const part = await bytes(http().get(url('talk.pdf')).set('range', 'bytes=100-199')).expect(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${pdf.length}`);
    expect(part.headers['content-type']).toBe('application/pdf');
    expect(Buffer.compare(part.body as Buffer, pdf.subarray(100, 200))).toBe(0);
    const tail = await bytes(http().get(url('talk.pdf')).set('range', 'bytes=-10')).expect(206);
    expect((tail.body as Buffer).toString()).toBe(pdf.subarray(-10).toString());
    // Several ranges would be a multipart answer: the whole file is a valid answer to them.
    const several = await bytes(http().get(url('talk.pdf')).set('range', 'bytes=0-1,10-11')).expect(200);
    expect((several.body as Buffer).length).toBe(pdf.length);
    // A part of a compressible file is that part of its bytes, never of a compressed body.
    const svg = await bytes(http().get(url('logo.svg')).set('range', 'bytes=0-3').set('accept-encoding', 'gzip, br')).expect(206);
    expect([svg.headers['content-encoding'], (svg.body as Buffer).toString()]).toEqual([undefined, '<svg']);
    const bad = await http()
      .get(url('talk.pdf'))
      .set('range', `bytes=${pdf.length + 10}-`)
      .expect(416);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.headers['content-range']).toBe(`bytes */${pdf.length}`);
  });

  it('answers HEAD with the headers and length, no body', async () => {
    const res = await http().head(url('diagram.png')).set('accept-encoding', 'identity').expect(200);
    expect(res.headers['content-length']).toBe(String(files['diagram.png']!.length));
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.text ?? '').toBe('');
  });

  it("serves SVG under a sandboxing CSP, so its script cannot run in the API's origin", async () => {
    const res = await bytes(http().get(url('logo.svg'))).expect(200);
    expect(res.headers['content-type']).toBe('image/svg+xml');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain('sandbox');
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect((res.body as Buffer).toString()).toContain('<script>');
  });

  it('is a 404 problem for an unknown hash, and a 400 for a malformed one', async () => {
    const missing = await http()
      .get(`/v1/media/${'0'.repeat(64)}/x.png`)
      .expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    const bad = await http().get('/v1/media/not-a-hash/x.png').expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ in: 'path', name: 'hash' })]);
  });
});
