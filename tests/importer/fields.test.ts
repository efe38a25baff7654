// Every front-matter alias and value habit Quire reads, one table row each.
import { describe, expect, it } from 'vitest';
import { readFields } from '../../src/importer/fields.js';

const read = (data: Record<string, unknown>) => readFields(data);

describe('readFields aliases', () => {
  it.each([
    ['date', { date: '2024-05-20' }],
    ['pubDate', { pubDate: '2024-05-20' }],
    ['publishDate', { publishDate: '2024-05-20' }],
    ['published (a date)', { published: '2024-05-20' }],
    ['Date (any case)', { Date: '2024-05-20' }],
  ])('takes the date from %s', (_, data) => {
    expect(read(data).fields.date?.toISOString()).toBe('2024-05-20T00:00:00.000Z');
  });

  it.each([['updated'], ['lastmod'], ['modified']])('takes the updated date from %s', (key) => {
    expect(read({ [key]: '2024-06-01' }).fields.updated?.toISOString()).toBe('2024-06-01T00:00:00.000Z');
  });

  it.each([['description'], ['summary'], ['excerpt']])('takes the description from %s', (key) => {
    expect(read({ [key]: 'About it' }).fields.description).toBe('About it');
  });

  it.each([
    ['image', { image: '/a.png' }],
    ['cover', { cover: '/a.png' }],
    ['featured_image', { featured_image: '/a.png' }],
    ['cover.image (Hugo themes)', { cover: { image: '/a.png', alt: 'x' } }],
    ['cover.src (Astro)', { cover: { src: '/a.png' } }],
  ])('takes the image from %s', (_, data) => {
    expect(read(data).fields.image?.src).toBe('/a.png');
  });

  it('prefers the first alias present, in the documented order', () => {
    expect(read({ summary: 'S', description: 'D' }).fields.description).toBe('D');
    expect(read({ lastmod: '2024-01-02', updated: '2024-01-01' }).fields.updated?.getUTCDate()).toBe(1);
  });

  it('keeps unknown keys, and uses alias keys up', () => {
    const r = read({ title: 'T', pubDate: '2024-01-01', canonical: 'https://x', weight: 3, layout: 'post' });
    expect(r.extra).toEqual({ canonical: 'https://x', weight: 3, layout: 'post' });
  });
});

describe('readFields values', () => {
  it('takes a title YAML read as a number, and folds multi-line values', () => {
    expect(read({ title: 2024 }).fields.title).toBe('2024');
    expect(read({ title: 'A long\ntitle  here\n' }).fields.title).toBe('A long title here');
  });

  it.each([
    [
      ['a', 'b'],
      ['a', 'b'],
    ],
    ['a, b , c', ['a', 'b', 'c']],
    ['jekyll update', ['jekyll', 'update']],
    [2019, ['2019']],
    [
      ['x', 3],
      ['x', '3'],
    ],
  ])('reads names %j as %j', (value, names) => {
    expect(read({ tags: value }).fields.tags).toEqual(names);
    expect(read({ categories: value }).fields.categories).toEqual(names);
  });

  it('reads tag and category in the singular too', () => {
    expect(read({ tag: 'a', category: 'b' }).fields).toMatchObject({ tags: ['a'], categories: ['b'] });
  });

  it('lifts tags and categories out of a Zola [taxonomies] table', () => {
    expect(read({ taxonomies: { tags: ['z'], categories: ['c'] } }).fields).toMatchObject({ tags: ['z'], categories: ['c'] });
  });

  it.each([
    ['Ada', [{ name: 'Ada' }]],
    ['[Ada Lovelace](https://ada.example)', [{ name: 'Ada Lovelace', url: 'https://ada.example' }]],
    ['Ada <ada@example.com>', [{ name: 'Ada' }]],
    [{ name: 'Grace', url: 'https://g.example' }, [{ name: 'Grace', url: 'https://g.example' }]],
    [
      ['Ada', { name: 'Grace', link: 'https://g.example' }],
      [{ name: 'Ada' }, { name: 'Grace', url: 'https://g.example' }],
    ],
  ])('reads author %j', (value, authors) => {
    expect(read({ author: value }).fields.authors).toEqual(authors);
    expect(read({ authors: value }).fields.authors).toEqual(authors);
  });

  it.each([
    [{ draft: true }, true],
    [{ draft: 'yes' }, true],
    [{ draft: 'false' }, false],
    [{ published: false }, true],
    [{ published: true }, false],
    [{ draft: false, published: false }, true],
  ])('reads %j as draft %s', (data, draft) => {
    expect(read(data).fields.draft ?? false).toBe(draft);
  });

  it('makes slugs URL-safe', () => {
    expect(read({ slug: 'My Post!' }).fields.slug).toBe('my-post');
    expect(read({ slug: '../../etc/passwd' }).fields.slug).toBe('etc-passwd');
    expect(read({ slug: 'Ünïcödé' }).fields.slug).toBe('uenicoede');
  });

  it('reads languages as canonical BCP 47 tags', () => {
    expect(read({ lang: 'pt_br' }).fields.lang).toBe('pt-BR');
    expect(read({ language: 'ja' }).fields.lang).toBe('ja');
    expect(read({ locale: 'zh-hant' }).fields.lang).toBe('zh-Hant');
  });

  it('reads aliases and Jekyll redirect_from as a list', () => {
    expect(read({ aliases: '/old/' }).fields.aliases).toEqual(['/old/']);
    expect(read({ redirect_from: ['/a/', '/b/'] }).fields.aliases).toEqual(['/a/', '/b/']);
  });
});

describe('readFields problems', () => {
  it.each([
    [{ title: ['a'] }, 'title', /must be text/],
    [{ title: '  ' }, 'title', /must not be empty/],
    [{ pubDate: 'someday' }, 'pubDate', /is not a date/],
    [{ date: '2024-13-45' }, 'date', /is not a date/],
    [{ tags: { a: 1 } }, 'tags', /list of names/],
    [{ draft: 'maybe' }, 'draft', /true or false/],
    [{ cover: { alt: 'no url' } }, 'cover', /URL or path/],
    [{ author: 42 }, 'author', /name/],
    [{ slug: '!!!' }, 'slug', /no letters or digits/],
    [{ lang: 'klingon' }, 'lang', /language tag/],
  ])('%j: names the key %s', (data, key, message) => {
    const { problems } = read(data);
    expect(problems).toEqual([expect.objectContaining({ key, message: expect.stringMatching(message) })]);
  });

  it('accepts only the configured languages when a list is set', () => {
    const r = readFields({ lang: 'de' }, new Set(['en', 'ja']));
    expect(r.problems[0]?.message).toMatch(/one of en, ja/);
  });
});
