import { describe, expect, it } from 'vitest';
import { aliasSlug, crossFileWarnings, duplicateSlugs, resolveLinks } from '../../src/importer/checks.js';
import { internalLinks } from '../../src/importer/links.js';
import type { NormalizedPost } from '../../src/importer/normalize.js';

function post(sourcePath: string, slug: string, extra: Partial<NormalizedPost> & { body?: string } = {}): NormalizedPost {
  const { body = '', ...rest } = extra;
  return {
    sourcePath,
    contentHash: `hash-${sourcePath}`,
    slug,
    lang: 'en',
    title: slug,
    description: null,
    publishedAt: new Date(0),
    updatedAt: null,
    draft: false,
    image: null,
    aliases: [],
    tags: [],
    categories: [],
    authors: [],
    extra: {},
    markdown: body,
    links: internalLinks(body, sourcePath, 10),
    linkMap: {},
    ...rest,
  };
}

describe('internalLinks', () => {
  it('finds /posts/<slug> and relative .md links with their file line, not code or external links', () => {
    const body = '[a](/posts/x) [b](../y.md#part)\n```\n[c](/posts/in-code)\n```\n[d](https://e.x/z.md) ![i](p.md)\n<a href="/ja/posts/z/">z</a>';
    expect(internalLinks(body, 'dir/f.md', 5)).toEqual([
      { kind: 'slug', slug: 'x', line: 5, href: '/posts/x' },
      { kind: 'file', path: 'y.md', line: 5, href: '../y.md#part' },
      { kind: 'slug', slug: 'z', lang: 'ja', line: 10, href: '/ja/posts/z/' },
    ]);
  });
});

describe('checks across files', () => {
  it('names both files that claim one slug, per language', () => {
    const problems = duplicateSlugs([post('a.md', 's'), post('b.md', 's'), post('c.md', 's', { lang: 'fr' })]);
    expect(problems).toEqual([{ file: 'b.md', field: 'slug', message: '"s" in language en is already used by a.md' }]);
  });

  it('warns of links to no article, with file and line', () => {
    const posts = [
      post('a.md', 'a', { body: 'see [b](/posts/b) and [gone](/posts/gone)\n[file](b.md) [nofile](c.md)' }),
      post('b.md', 'b'),
    ];
    expect(crossFileWarnings(posts)).toEqual([
      { file: 'a.md', line: 10, message: 'link /posts/gone points at no article' },
      { file: 'a.md', line: 11, message: 'link c.md points at no article' },
    ]);
  });

  it('accepts a link to another post\'s old slug (an alias)', () => {
    const posts = [post('a.md', 'a', { body: '[old](/posts/old-name)' }), post('b.md', 'b', { aliases: ['/2016/01/old-name/'] })];
    expect(crossFileWarnings(posts)).toEqual([]);
  });

  it('warns of aliases that are another post\'s slug, or another post\'s alias', () => {
    const posts = [post('a.md', 'a', { aliases: ['/posts/b/'] }), post('b.md', 'b', { aliases: ['x'] }), post('c.md', 'c', { aliases: ['x'] })];
    expect(crossFileWarnings(posts).map((w) => [w.file, w.message])).toEqual([
      ['a.md', 'alias "/posts/b/" is the slug of b.md'],
      ['c.md', 'alias "x" is also an alias of b.md'],
    ]);
  });

  it('resolves relative links to posts\' paths and folds them into the hash', () => {
    const posts = [post('en/a.md', 'a', { body: '[b](b.md#x)' }), post('en/b.md', 'b-slug', { lang: 'fr' })];
    resolveLinks(posts, 'en');
    expect(posts[0]!.linkMap).toEqual({ 'b.md': '/fr/posts/b-slug' });
    expect(posts[0]!.contentHash).not.toBe('hash-en/a.md');
    expect(posts[1]!.contentHash).toBe('hash-en/b.md');
  });

  it('reads an alias as the slug it stands for', () => {
    expect(aliasSlug('/2016/01/Old-Name.html')).toBe('old-name');
    expect(aliasSlug('old')).toBe('old');
  });
});
