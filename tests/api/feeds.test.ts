import { parseFeed } from '@rowanmanning/feed-parser';
import { describe, expect, it } from 'vitest';
import { useBlogApi } from '../support/blog.js';
import { validateAtom, validateJsonFeed, validateRss, validateSitemap } from '../support/feeds.js';

const api = useBlogApi();

const NEWEST = ['zen-of-code', 'release-notes', 'py-async', 'js-async', 'js-intro'];
const url = (slug: string) => `https://blog.example.com/${slug}/`;

describe('feeds', () => {
  it('serve RSS 2.0 with absolute links, newest first, public posts only', async () => {
    const res = await api.http.get('/v1/feed.xml?lang=en').expect(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    const feed = validateRss(res.text);
    expect(feed.title).toBe('Test blog');
    expect(feed.items.map((i) => i.link)).toEqual(NEWEST.map(url));
    // Images as absolute URLs: a path on the site, a bare name beside the post's page.
    expect(res.text).toContain('<enclosure url="https://blog.example.com/img/zen.png"');
    expect(res.text).toContain('<enclosure url="https://blog.example.com/release-notes/cover.jpg"');
    const parsed = parseFeed(res.text);
    expect(parsed.items[0]?.content).toContain('Less is more.');
    expect(parsed.items[2]?.authors[0]?.name).toBe('Grace');
  });

  it('serve Atom 1.0', async () => {
    const res = await api.http.get('/v1/feed.atom?lang=en&limit=2').expect(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const feed = validateAtom(res.text);
    expect(feed.items.map((i) => i.link)).toEqual(NEWEST.slice(0, 2).map(url));
    expect(res.text).toMatch(/<link rel="self" href="http:\/\/127\.0\.0\.1:\d+\/v1\/feed\.atom"/);
  });

  it('serve JSON Feed, posts without an author included', async () => {
    const all = await api.http.get('/v1/feed.json').expect(200);
    expect(validateJsonFeed(all.text).items.map((i: { link: string }) => i.link)).toContain('https://blog.example.com/fr/js-intro/');
    const res = await api.http.get('/v1/feed.json?lang=en').expect(200);
    expect(res.headers['content-type']).toBe('application/feed+json; charset=utf-8');
    const feed = validateJsonFeed(res.text);
    expect(feed.items.map((i: { link: string }) => i.link)).toEqual(NEWEST.map(url));
  });

  it.each([
    ['tags/async', 'Test blog: Async', ['py-async', 'js-async']],
    ['categories/news', 'Test blog: News', ['release-notes']],
    ['authors/grace', 'Test blog: Grace', ['release-notes', 'py-async']],
  ])('serve each format for %s', async (path, title, slugs) => {
    expect(validateRss((await api.http.get(`/v1/${path}/feed.xml`).expect(200)).text)).toEqual({ title, items: expect.any(Array) });
    const atom = validateAtom((await api.http.get(`/v1/${path}/feed.atom`).expect(200)).text);
    expect(atom).toEqual({ title, items: slugs.map((s) => ({ title: expect.any(String), link: url(s) })) });
    expect(validateJsonFeed((await api.http.get(`/v1/${path}/feed.json`).expect(200)).text).title).toBe(title);
  });

  it('answer 404 for a tag with no public post, and 400 for a bad limit', async () => {
    await api.http.get('/v1/tags/hidden/feed.xml').expect(404);
    await api.http.get('/v1/feed.xml?limit=1000').expect(400);
  });
});

describe('sitemap.xml', () => {
  it("lists every public post's URL on the site with its last change", async () => {
    const res = await api.http.get('/sitemap.xml').expect(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(validateSitemap(res.text).sort()).toEqual([...NEWEST.map(url), 'https://blog.example.com/fr/js-intro/'].sort());
    expect(res.text).toContain('<loc>https://blog.example.com/js-intro/</loc><lastmod>2024-06-01T00:00:00.000Z</lastmod>');
  });
});
