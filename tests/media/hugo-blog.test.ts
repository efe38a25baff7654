// The "done when": a Hugo-style blog of page bundles imports with its images, and
// every <img> in every served post resolves to a 200 image with width and height, a srcset
// whose every candidate is an image of the width it claims, and immutable caching.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, TEST_API_URL, type TestApp } from '../support/app.js';
import { article, importDir } from '../support/content.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { jpeg, png, webp } from './images.js';
import { makeSite, type Site } from './site.js';

let t: TestDatabase;
let site: Site;
let api: TestApp;

beforeAll(async () => {
  t = await createTestDatabase();
  site = await makeSite({
    'content/blog/2024/otel-pipeline/index.md': article(
      { title: 'An OpenTelemetry pipeline', date: '2024-03-01', featured_image: 'cover.jpg' },
      'The collector:\n\n![otel collector](otel-collector-pipeline.png)\n\nAnd in the browser:\n\n<img src="trace.webp" alt="a trace">\n',
    ),
    'content/blog/2024/otel-pipeline/index.fr.md': article(
      { title: 'Un pipeline OpenTelemetry', date: '2024-03-02' },
      '![le collecteur](otel-collector-pipeline.png)\n',
    ),
    'content/blog/2024/otel-pipeline/otel-collector-pipeline.png': await png(1400, 700),
    'content/blog/2024/otel-pipeline/trace.webp': await webp(500, 300),
    'content/blog/2024/otel-pipeline/cover.jpg': await jpeg(1600, 900),
    'content/blog/2024/figures.md': article(
      { title: 'Figures', date: '2024-04-01' },
      'A figure from the static folder:\n\n{{< figure src="/images/ocean.png" caption="The ocean" >}}\n\n![external](https://example.org/x.png)\n',
    ),
    'static/images/ocean.png': await png(2000, 1000, [0, 80, 160]),
  });
  const summary = await importDir(t.db, site.content);
  expect(summary.warnings).toEqual([]);
  expect(summary.media.files).toBe(4);
  api = await startApp(t);
});
afterAll(async () => {
  await api.app.close();
  await site.cleanup();
  await t.drop();
});

const decode = (s: string) => s.replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

async function fetchImage(absolute: string) {
  expect(absolute.startsWith(`${TEST_API_URL}/v1/media/`)).toBe(true);
  const res = await api.http
    .get(decode(absolute).slice(TEST_API_URL.length))
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
  expect([absolute, res.status]).toEqual([absolute, 200]);
  expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  return { res, meta: await sharp(res.body as Buffer).metadata() };
}

describe('a Hugo-style blog of page bundles', () => {
  it('serves every local <img> of every post as a 200 image with its size, srcset and immutable caching', async () => {
    const { body: list } = await api.http.get('/v1/posts?limit=100').expect(200);
    const posts = list.data as { slug: string; lang: string }[];
    expect(posts).toHaveLength(3);
    let images = 0;
    let candidates = 0;
    for (const p of posts) {
      const { body } = await api.http.get(`/v1/posts/${encodeURIComponent(p.slug)}?lang=${p.lang}`).expect(200);
      for (const [tag] of (body.data.html as string).matchAll(/<img\b[^>]*>/g)) {
        const src = attr(tag, 'src')!;
        if (src.startsWith('https://example.org/')) {
          expect(attr(tag, 'srcset')).toBeUndefined();
          continue;
        }
        images++;
        const { meta } = await fetchImage(src);
        expect([src, attr(tag, 'width'), attr(tag, 'height')]).toEqual([src, String(meta.width), String(meta.height)]);
        expect(attr(tag, 'loading')).toBe('lazy');
        for (const candidate of decode(attr(tag, 'srcset')!).split(', ')) {
          const [url, w] = candidate.split(' ');
          const copy = await fetchImage(url!);
          expect([url, `${copy.meta.width}w`, copy.meta.format]).toEqual([url, w, 'webp']);
          candidates++;
        }
      }
    }
    // otel (png, webp), its French translation (png, shared), figures (ocean).
    expect(images).toBe(4);
    expect(candidates).toBeGreaterThanOrEqual(12);
  });

  it('the translated bundle uses the same stored file as the original', async () => {
    const en = (await api.http.get('/v1/posts/otel-pipeline').expect(200)).body.data.html as string;
    const fr = (await api.http.get('/v1/posts/otel-pipeline?lang=fr').expect(200)).body.data.html as string;
    const pipeline = (html: string) => /src="([^"]*otel-collector-pipeline\.png)"/.exec(html)?.[1];
    expect(pipeline(fr)).toBeDefined();
    expect(pipeline(fr)).toBe(pipeline(en));
  });

  it("the front matter's featured_image is the cover object, and its srcset resolves too", async () => {
    const { body } = await api.http.get('/v1/posts/otel-pipeline').expect(200);
    const cover = body.data.image;
    expect(cover).toMatchObject({ width: 1600, height: 900, type: 'image/jpeg' });
    const { meta } = await fetchImage(cover.url);
    expect([meta.width, meta.height, meta.format]).toEqual([1600, 900, 'jpeg']);
    for (const candidate of (cover.srcset as string).split(', ')) {
      const [url, w] = candidate.split(' ');
      expect(`${(await fetchImage(url!)).meta.width}w`).toBe(w);
    }
  });
});
