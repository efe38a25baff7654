import { describe, expect, it } from 'vitest';
import { crossFileWarnings, linkMap, linkResolver, pathCollisions, type SiteEntry, splitAliases } from '../../src/importer/checks.js';
import { references } from '../../src/importer/links.js';
import { preprocess } from '../../src/importer/transforms.js';

function entry(sourcePath: string, slug: string, extra: Partial<SiteEntry> & { body?: string } = {}): SiteEntry {
  const { body = '', ...rest } = extra;
  return {
    sourcePath,
    kind: 'post',
    lang: 'en',
    slug,
    path: `/${slug}/`,
    aliases: [],
    links: references(preprocess(body, { mdx: false }).markdown, sourcePath, 10).links,
    inRun: true,
    ...rest,
  };
}
const check = (entries: SiteEntry[]) => crossFileWarnings(entries, linkResolver(entries));

describe('references', () => {
  it('finds /posts/<slug>, relative .md links and media with their file line, not code or external links', () => {
    const body =
      '[a](/posts/x) [b](../y.md#part)\n```\n[c](/posts/in-code)\n```\n[d](https://e.x/z.md) ![i](p.png)\n<a href="/ja/posts/z/">z</a> <img src="/img/q.jpg">';
    const r = references(body, 'dir/f.md', 5);
    expect(r.links).toEqual([
      { kind: 'slug', slug: 'x', line: 5, href: '/posts/x' },
      { kind: 'file', path: 'y.md', line: 5, href: '../y.md#part' },
      { kind: 'slug', slug: 'z', lang: 'ja', line: 10, href: '/ja/posts/z/' },
    ]);
    expect(r.media).toEqual([
      { ref: 'p.png', line: 9 },
      { ref: '/img/q.jpg', line: 10 },
    ]);
  });
});

describe('checks across files', () => {
  it("refuses a document on another's path, naming both, the first keeping it", () => {
    const problems = pathCollisions(
      [entry('a.md', 'a', { path: '/x/' }), entry('b.md', 'b', { path: '/x/' }), entry('c.md', 'c', { path: '/x/', lang: 'fr' })],
      () => undefined,
    );
    expect(problems).toEqual([{ file: 'b.md', message: expect.stringMatching(/^its path "\/x\/" is also the path of a\.md/) }]);
  });

  it('warns of links to no document, with file and line', () => {
    const entries = [
      entry('a.md', 'a', { body: 'see [b](/posts/b) and [gone](/posts/gone)\n[file](b.md) [nofile](c.md)' }),
      entry('b.md', 'b'),
    ];
    expect(check(entries)).toEqual([
      { code: 'broken-link', file: 'a.md', line: 10, message: 'link /posts/gone points at no document' },
      { code: 'broken-link', file: 'a.md', line: 11, message: 'link c.md points at no document' },
    ]);
  });

  it("accepts a link to another post's old slug (an alias)", () => {
    expect(check([entry('a.md', 'a', { body: '[old](/posts/old-name)' }), entry('b.md', 'b', { aliases: ['old-name'] })])).toEqual([]);
  });

  it("warns of aliases that are another document's path or slug, or another document's alias", () => {
    const entries = [
      entry('a.md', 'a', { aliases: ['/b/'] }),
      entry('b.md', 'b', { aliases: ['x'] }),
      entry('c.md', 'c', { aliases: ['x'] }),
    ];
    expect(check(entries).map((w) => [w.code, w.file, w.message])).toEqual([
      ['alias-collision', 'a.md', 'alias path /b/ is the path of b.md, which wins; the alias leads nowhere'],
      ['alias-collision', 'c.md', 'alias slug x is also an alias of b.md, which wins'],
    ]);
  });

  it("resolves relative links, post_url, ref and Zola links to the documents' paths", () => {
    const entries = [
      entry('blog/a.md', 'a', { body: '[b](b.md#x) [j]({% post_url 2010-07-21-j %}) [r]({{< ref "other/c.md" >}}) [z](@/blog/b.md)' }),
      entry('blog/b.md', 'b-slug', { path: '/blog/b/' }),
      entry('_posts/2010-07-21-j.md', 'j', { path: '/2010/07/21/j/' }),
      entry('other/c/index.md', 'c', { path: '/other/c/' }),
    ];
    expect(linkMap(entries[0]!, linkResolver(entries))).toEqual({
      '@/blog/b.md': '/blog/b/',
      'b.md': '/blog/b/',
      'quire-ref:post_url/2010-07-21-j': '/2010/07/21/j/',
      'quire-ref:ref/other/c.md': '/other/c/',
    });
    expect(check(entries)).toEqual([]);
  });

  it('reads aliases with a slash or a dot as old paths, others as old slugs', () => {
    expect(splitAliases(['/2016/01/Old-Name.html', '2014/09/15/Rust-1.0.html', 'old', 'Old Two'])).toEqual({
      paths: ['/2016/01/Old-Name.html', '/2014/09/15/Rust-1.0.html'],
      slugs: ['old', 'old-two'],
    });
  });
});
