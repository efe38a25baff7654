import { describe, expect, it } from 'vitest';
import { canonicalLanguage } from '../../src/importer/language.js';
import { fromPathValue, pathInfo } from '../../src/importer/paths.js';

describe('pathInfo', () => {
  it.each([
    ['posts/hello.md', { name: 'hello', bundle: false, draft: false }],
    ['_posts/2024-05-20-my-post.md', { name: 'my-post', date: new Date('2024-05-20T00:00:00Z') }],
    ['my-post/index.md', { name: 'my-post', bundle: true }],
    ['2024-05-20-trip/index.md', { name: 'trip', bundle: true, date: new Date('2024-05-20T00:00:00Z') }],
    ['posts/hello.fr.md', { name: 'hello', lang: 'fr' }],
    ['ja/news/x.md', { name: 'x', lang: 'ja' }],
    ['pt-br/x.md', { name: 'x', lang: 'pt-BR' }],
    ['en/post/index.de.md', { name: 'post', lang: 'de', bundle: true }],
    ['_drafts/idea.md', { name: 'idea', draft: true }],
    ['go/generics.md', { name: 'generics' }],
  ])('%s', (file, expected) => {
    const info = pathInfo(file);
    expect(info).toMatchObject(expected);
    if (!('lang' in expected)) expect(info.lang).toBeUndefined();
    expect(info.skip).toBeUndefined();
  });

  it.each([
    ['_index.md', /section listing/],
    ['blog/_index.fr.md', /section listing/],
    ['index.md', /own index/],
    ['ja/index.md', /own index/],
  ])('skips %s', (file, reason) => {
    expect(pathInfo(file).skip).toMatch(reason);
  });

  it('recognizes only configured languages when a list is given', () => {
    expect(pathInfo('de/x.md', new Set(['en', 'ja'])).lang).toBeUndefined();
    expect(pathInfo('ja/x.md', new Set(['en', 'ja'])).lang).toBe('ja');
  });
});

describe('canonicalLanguage', () => {
  it.each([
    ['en', 'en'],
    ['JA', 'ja'],
    ['pt_BR', 'pt-BR'],
    ['zh-hant', 'zh-Hant'],
    ['go', undefined],
    ['js', undefined],
    ['posts', undefined],
    ['my-post', undefined],
    ['en-ZZZ', undefined],
  ])('%s -> %s', (value, tag) => {
    expect(canonicalLanguage(value)).toBe(tag);
  });
});

describe('fromPathValue', () => {
  it('takes slug and date from a Zola path, and a slug from a permalink', () => {
    expect(fromPathValue('2016/07/25/conf-lineup')).toEqual({ name: 'conf-lineup', date: new Date('2016-07-25T00:00:00Z') });
    expect(fromPathValue('/blog/hello-world.html')).toEqual({ name: 'hello-world' });
    expect(fromPathValue('/blog/:year/:title/')).toEqual({});
  });
});
