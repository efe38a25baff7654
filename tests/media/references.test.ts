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
});
