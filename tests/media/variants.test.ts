// Resized copies: only the configured widths, never wider than the image, WebP or AVIF,
// made once on first request (however many ask at once) and kept; refused clearly for what
// is not a raster image or has too many pixels to decode.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReader, type Reader } from '../../src/db/reader.js';
import { BusyError, mediaFacts, VariantMaker } from '../../src/media/store.js';
import { startApp, TEST_CONFIG, type TestApp } from '../support/app.js';
import { importDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { png, sha256, SVG_WITH_SCRIPT } from './images.js';
import { makeSite, type Site } from './site.js';

let t: TestDatabase;
let site: Site;
let api: TestApp;
let reader: Reader;
const files: Record<string, Buffer> = {};
const url = (name: string) => `/v1/media/${sha256(files[name]!)}/${name}`;
const variantRows = (hash: string) => t.db.$queryRaw<{ width: number; format: string; actualWidth: number }[]>`
  SELECT width, format, "actualWidth" FROM "MediaVariant" WHERE hash = ${hash} ORDER BY width, format`;

beforeAll(async () => {
  t = await createTestDatabase();
  files['wide.png'] = await png(1000, 500);
  files['small.png'] = await png(200, 100, [0, 0, 0]);
  files['race.png'] = await png(1000, 700, [90, 90, 90]);
  files['logo.svg'] = SVG_WITH_SCRIPT;
  files['notes.pdf'] = Buffer.from('%PDF-1.4\n%%EOF\n');
  site = await makeSite({
    'content/a/index.md': post(
      'a',
      {},
      Object.keys(files)
        .map((n) => `![${n}](${n})`)
        .join('\n\n') + '\n',
    ),
    ...Object.fromEntries(Object.entries(files).map(([n, b]) => [`content/a/${n}`, b])),
  });
  await importDir(t.db, site.content);
  api = await startApp(t);
  reader = createReader(t.url, { poolSize: 2 });
});
afterAll(async () => {
  await api.app.close();
  await reader.close();
  await site.cleanup();
  await t.drop();
});

const image = async (path: string) => {
  const res = await api.http
    .get(path)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
  return { res, meta: res.status === 200 ? await sharp(res.body as Buffer).metadata() : undefined };
};

describe('GET /v1/media/:hash/:name?w=&format=', () => {
  it('makes a copy of an allowed width in WebP, immutable, with its own ETag', async () => {
    const { res, meta } = await image(`${url('wide.png')}?w=320&format=webp`);
    expect(res.status).toBe(200);
    expect([meta!.format, meta!.width, meta!.height]).toEqual(['webp', 320, 160]);
    expect(res.headers).toMatchObject({
      'content-type': 'image/webp',
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
    const original = await api.http.head(url('wide.png')).expect(200);
    expect(res.headers.etag).toBeTruthy();
    expect(res.headers.etag).not.toBe(original.headers.etag);
    await api.http
      .get(`${url('wide.png')}?w=320&format=webp`)
      .set('if-none-match', res.headers.etag as string)
      .expect(304);
  });

  it("makes AVIF copies, at a width or at the image's own", async () => {
    const sized = await image(`${url('wide.png')}?w=640&format=avif`);
    expect(sized.res.headers['content-type']).toBe('image/avif');
    // libheif reads AVIF: sharp names the container heif, the codec av1.
    expect([sized.meta!.format, sized.meta!.compression, sized.meta!.width, sized.meta!.height]).toEqual(['heif', 'av1', 640, 320]);
    const own = await image(`${url('wide.png')}?format=avif`);
    expect([own.meta!.compression, own.meta!.width]).toEqual(['av1', 1000]);
  });

  it("never enlarges: a width above the image's gives the image's own width", async () => {
    const { res, meta } = await image(`${url('small.png')}?w=640&format=webp`);
    expect([meta!.width, meta!.height]).toEqual([200, 100]);
    // Every width past the image's is the same copy as its own width: made and stored once.
    const own = await image(`${url('small.png')}?format=webp`);
    const wider = await image(`${url('small.png')}?w=1920&format=webp`);
    expect(Buffer.compare(own.res.body as Buffer, res.body as Buffer)).toBe(0);
    expect([own.res.headers.etag, wider.res.headers.etag]).toEqual([res.headers.etag, res.headers.etag]);
    expect(await variantRows(sha256(files['small.png']!))).toEqual([{ width: 0, format: 'webp', actualWidth: 200 }]);
  });

  it('refuses a width not in QUIRE_IMAGE_WIDTHS, or a format not offered, with a 400 problem', async () => {
    for (const query of ['w=333', 'w=100000', 'w=abc', 'w=-320', 'format=gif', 'w=320&format=jpeg']) {
      const res = await api.http.get(`${url('wide.png')}?${query}`).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors?.[0]).toMatchObject({ in: 'query' });
    }
    const bad = await api.http.get(`${url('wide.png')}?w=333`).expect(400);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({ in: 'query', name: 'w', reason: expect.stringContaining('320, 640, 960, 1280, 1920') }),
    ]);
    expect(await variantRows(sha256(files['wide.png']!))).not.toContainEqual(expect.objectContaining({ width: 333 }));
  });

  it('refuses w= and format= on what is not a raster image (a PDF, an SVG) with a 400 problem', async () => {
    for (const path of [`${url('notes.pdf')}?w=320`, `${url('logo.svg')}?w=320`, `${url('logo.svg')}?format=webp`]) {
      const res = await api.http.get(path).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([expect.objectContaining({ in: 'query' })]);
    }
  });

  it('two first requests at once make one copy, stored once, both answered with it', async () => {
    const hash = sha256(files['race.png']!);
    const copies960 = async () => (await variantRows(hash)).filter((r) => r.width === 960 && r.format === 'webp');
    expect(await copies960()).toEqual([]);
    const [a, b] = await Promise.all([image(`${url('race.png')}?w=960&format=webp`), image(`${url('race.png')}?w=960&format=webp`)]);
    expect([a.res.status, b.res.status]).toEqual([200, 200]);
    expect(Buffer.compare(a.res.body as Buffer, b.res.body as Buffer)).toBe(0);
    expect(await copies960()).toEqual([{ width: 960, format: 'webp', actualWidth: 960 }]);
  });

  it('a second process serves the stored copy without making it again; concurrent asks in one are made once', async () => {
    const hash = sha256(files['race.png']!);
    const media = (await mediaFacts(reader, hash))!;
    await image(`${url('race.png')}?w=960&format=avif`);
    const maker = new VariantMaker(reader, reader, { concurrency: 2, maxPixels: TEST_CONFIG.media.maxPixels });
    // Made by the app: read, not made.
    await maker.get(media, 960, 'avif');
    expect(maker.made).toBe(0);
    const copies = await Promise.all([1, 2, 3].map(() => maker.get(media, 640, 'avif')));
    expect(maker.made).toBe(1);
    expect(new Set(copies.map((c) => c.bytes.length)).size).toBe(1);
    const rows = await variantRows(hash);
    expect(rows).toContainEqual({ width: 640, format: 'avif', actualWidth: 640 });
    expect(rows.filter((r) => r.width === 640 && r.format === 'avif')).toHaveLength(1);
  });

  it('with every slot busy and no room to wait, says so (503 at the route) rather than queueing without end', async () => {
    const media = (await mediaFacts(reader, sha256(files['race.png']!)))!;
    const maker = new VariantMaker(reader, reader, { concurrency: 1, maxPixels: TEST_CONFIG.media.maxPixels, maxWaiting: 0 });
    // Three copies asked at once, one slot, no waiting room: whichever gets the slot is made,
    // the others are refused at once.
    const results = await Promise.allSettled([320, 1280, 1920].map((w) => maker.get(media, w, 'webp')));
    const refused = results.filter((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) expect(r.reason).toBeInstanceOf(BusyError);
    expect(maker.made).toBe(results.length - refused.length);
  });

  it('refuses to resize an image with more pixels than QUIRE_MAX_IMAGE_MEGAPIXELS, clearly, and still serves the original', async () => {
    const strict = await startApp(t, undefined, { media: { ...TEST_CONFIG.media, maxPixels: 100_000 } });
    try {
      const res = await strict.http.get(`${url('wide.png')}?w=640&format=webp`).expect(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: '/problems/image-not-resizable', status: 422 });
      expect(res.body.detail).toContain('1000×500');
      expect(res.body.detail).toContain('QUIRE_MAX_IMAGE_MEGAPIXELS');
      await strict.http.get(url('wide.png')).expect(200);
    } finally {
      await strict.app.close();
    }
  });
});
