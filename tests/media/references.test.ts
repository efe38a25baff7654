// How references are written, and what they become: names with spaces (percent-encoded or in
// angle brackets), <picture> sources, an author's own srcset, a title, a query or fragment.
import { afterEach, describe, expect, it } from 'vitest';
import { importDir, post } from '../support/content.js';
import { useTestDatabase } from '../support/postgres.js';
import { png, sha256, webp } from './images.js';
import { makeSite, type Site } from './site.js';

const t = useTestDatabase({ truncate: true });
let site: Site | undefined;

afterEach(async () => {
  await site?.cleanup();
  site = undefined;
});

const html = async (slug: string) => (await t.db.post.findFirstOrThrow({ where: { slug } })).html;
const MEDIA = 'https://quire.invalid/v1/media/';

describe('references', () => {
  it('finds a file whose name has a space, percent-encoded or in angle brackets, and as a cover', async () => {
    const pic = await png(40, 30);
    site = await makeSite({
      'content/a/index.md': post(
        'a',
        { image: 'my%20photo.png' },
        '![one](my%20photo.png)\n\n![two](<my photo.png>)\n\n![three](my%20photo.png?v=2#top "A title")\n',
      ),
      'content/a/my photo.png': pic,
      // Only in angle brackets: found all the same.
      'content/b/index.md': post('b', {}, '![only](<other photo.png>)\n'),
      'content/b/other photo.png': pic,
    });
    const summary = await importDir(t.db, site.content);
    expect(summary.warnings).toEqual([]);
    expect(summary.media).toMatchObject({ files: 1, stored: 1 });
    const body = await html('a');
    const url = `${MEDIA}${sha256(pic)}/my%20photo.png`;
    expect(body.match(/<img [^>]*>/g)!.map((img) => /src="([^"]*)"/.exec(img)![1])).toEqual([url, url, url]);
    expect(body).toContain('title="A title"');
    expect(await html('b')).toContain(`src="${MEDIA}${sha256(pic)}/other%20photo.png"`);
    const row = await t.db.post.findFirstOrThrow({ where: { slug: 'a' } });
    expect(row.cover).toMatchObject({ url, width: 40, height: 30 });
  });

  it("points <picture> sources and an author's own srcset at the media route", async () => {
    const small = await webp(100, 50);
    const large = await png(200, 100);
    site = await makeSite({
      'content/a/index.md': post(
        'a',
        {},
        '<picture><source srcset="small.webp 1x, large.png 2x" type="image/webp"><img src="large.png" alt="x"></picture>\n',
      ),
      'content/a/small.webp': small,
      'content/a/large.png': large,
    });
    const summary = await importDir(t.db, site.content);
    expect(summary.warnings).toEqual([]);
    expect(summary.media.files).toBe(2);
    const body = await html('a');
    expect(body).toContain(`<source srcset="${MEDIA}${sha256(small)}/small.webp 1x, ${MEDIA}${sha256(large)}/large.png 2x"`);
    expect(body).not.toMatch(/"(small\.webp|large\.png)[ "]/);
  });

  it('imports every srcset candidate of a <source> or <img> alone on its lines, over several lines, and rewrites them', async () => {
    const a = await webp(100, 50);
    const b = await webp(200, 100);
    const c = await png(300, 150);
    site = await makeSite({
      'content/a/index.md': post(
        'a',
        {},
        'Intro.\n\n<picture>\n  <source\n    srcset="/images/a.webp 1x,\n            /images/b.webp 2x"\n    type="image/webp">\n  <img src="/images/c.png" alt="c">\n</picture>\n\n<img srcset="/images/a.webp 100w, /images/c.png 300w" alt="d">\n',
      ),
      'static/images/a.webp': a,
      'static/images/b.webp': b,
      'static/images/c.png': c,
    });
    const summary = await importDir(t.db, site.content);
    expect(summary.warnings).toEqual([]);
    expect(summary.media.files).toBe(3);
    const body = await html('a');
    expect(body).toContain(`srcset="${MEDIA}${sha256(a)}/a.webp 1x, ${MEDIA}${sha256(b)}/b.webp 2x"`);
    expect(body).toContain(`srcset="${MEDIA}${sha256(a)}/a.webp 100w, ${MEDIA}${sha256(c)}/c.png 300w"`);
    expect(body).not.toMatch(/"\/images\//);
  });

  it('keeps a video with its poster and sources, imported and rewritten', async () => {
    const poster = await png(64, 36);
    const clip = Buffer.from('\0\0\0\x18ftypmp42\0\0\0\0mp42isom', 'latin1');
    site = await makeSite({
      'content/a/index.md': post(
        'a',
        {},
        '<video controls poster="poster.png" width="640">\n  <source src="clip.mp4" type="video/mp4">\n  <track src="subs.vtt" kind="captions">\n</video>\n',
      ),
      'content/a/poster.png': poster,
      'content/a/clip.mp4': clip,
      'content/a/subs.vtt': 'WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n',
    });
    const summary = await importDir(t.db, site.content);
    expect(summary.warnings).toEqual([]);
    expect(summary.media.files).toBe(3);
    const body = await html('a');
    expect(body).toContain(`<track src="${MEDIA}`);
    expect(body).toMatch(new RegExp(`<video controls poster="${MEDIA}${sha256(poster)}/poster.png" width="640">`));
    expect(body).toContain(`<source src="${MEDIA}${sha256(clip)}/clip.mp4" type="video/mp4" />`);
  });

  it("takes a Hugo bundle's featured.* (else cover.*, thumbnail.*) image as its cover when front matter names none", async () => {
    const featured = await png(60, 30);
    const cover = await png(50, 50, [10, 200, 10]);
    site = await makeSite({
      'content/a/index.md': post('a', {}, 'Text.\n'),
      'content/a/featured.png': featured,
      'content/a/cover.png': cover,
      'content/b/index.md': post('b', {}, 'Text.\n'),
      'content/b/my-cover.png': cover,
      'content/c/index.md': post('c', { image: 'own.png' }, 'Text.\n'),
      'content/c/featured.png': featured,
      'content/c/own.png': cover,
    });
    const summary = await importDir(t.db, site.content);
    expect(summary.warnings).toEqual([]);
    const coverOf = async (slug: string) => (await t.db.post.findFirstOrThrow({ where: { slug } })).cover as { url: string } | null;
    expect((await coverOf('a'))?.url).toBe(`${MEDIA}${sha256(featured)}/featured.png`);
    expect((await coverOf('b'))?.url).toBe(`${MEDIA}${sha256(cover)}/my-cover.png`);
    expect((await coverOf('c'))?.url).toBe(`${MEDIA}${sha256(cover)}/own.png`);
  });
});
