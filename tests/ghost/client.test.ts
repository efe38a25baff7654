// The Ghost layer as a Ghost frontend uses it: through the official @tryghost/content-api
// client (axios, real HTTP), against a real server over a real database holding an
// imported blog. Every answer is checked against what /v1 serves for the same blog.
import GhostContentAPI from '@tryghost/content-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBlog } from '../support/blog.js';
import type { ContentDir } from '../support/content.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { GHOST_BLOG, GHOST_KEY, NEWEST_FIRST, OTHER_KEY, startGhostApp } from './blog.js';

let t: TestDatabase;
let server: Awaited<ReturnType<typeof startGhostApp>>;
let content: ContentDir;
let api: ReturnType<typeof GhostContentAPI>;

beforeAll(async () => {
  t = await createTestDatabase();
  server = await startGhostApp(t);
  ({ content } = await loadBlog(t.db, GHOST_BLOG));
  // As a frontend configures it: the site's URL, its key, a Ghost 5 version.
  api = GhostContentAPI({ url: server.url, key: GHOST_KEY, version: 'v5.0' });
});
afterAll(async () => {
  await server.app.close();
  await content.cleanup();
  await t.drop();
});

const slugs = (items: Record<string, any>[]) => items.map((p) => p.slug as string);
const v1 = async (url: string) => (await server.http.get(url).expect(200)).body;

describe('posts', () => {
  it('browse({ limit: "all", include: "tags,authors", formats: "html,plaintext" }) is what /v1 lists, in Ghost\'s shape', async () => {
    const posts = await api.posts.browse({ limit: 'all', include: 'tags,authors', formats: 'html,plaintext' });
    expect(slugs(posts)).toEqual(NEWEST_FIRST);
    // Ghost 6: "all" is its maximum page, 100 (docs/ghost.md).
    expect(posts.meta.pagination).toEqual({ page: 1, limit: 100, pages: 1, total: NEWEST_FIRST.length, next: null, prev: null });
    const quire = (await v1('/v1/posts?lang=en&view=full&limit=100')).data;
    for (const [i, p] of posts.entries()) {
      const q = quire[i];
      expect(p).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        slug: q.slug,
        title: q.title,
        html: q.html,
        plaintext: expect.any(String),
        url: q.url,
        excerpt: q.description || q.excerpt,
        custom_excerpt: q.description,
        reading_time: q.readingMinutes,
        featured: q.featured,
        visibility: 'public',
        published_at: q.publishedAt.replace('Z', '+00:00'),
        feature_image: q.image?.url ?? null,
        feature_image_alt: q.image?.alt ?? null,
      });
      expect(slugs(p.tags)).toEqual(slugs(q.tags));
      // A post with no author shows the site's, as Ghost always has one.
      expect(slugs(p.authors)).toEqual(q.authors.length ? slugs(q.authors) : ['test-blog']);
      expect(p.primary_tag?.slug ?? null).toBe(q.tags[0]?.slug ?? null);
      expect(p.primary_author.slug).toBe(q.authors[0]?.slug ?? 'test-blog');
    }
  });

  it("read({ slug }) and read({ id }) give one post, not a list; front-matter SEO fields land in Ghost's", async () => {
    const post = await api.posts.read({ slug: 'ghost-ready' }, { include: 'tags,authors' });
    expect(Array.isArray(post)).toBe(false);
    expect(post).toMatchObject({
      slug: 'ghost-ready',
      title: 'Ghost ready',
      custom_excerpt: 'A custom excerpt',
      featured: true,
      meta_title: 'Meta title',
      og_title: 'OG title',
      canonical_url: 'https://elsewhere.example.com/ghost-ready/',
      published_at: '2024-06-01T10:30:00.000+00:00',
      html: '<p>Featured <strong>text</strong>.</p>\n',
      primary_tag: { slug: 'news', name: 'News', url: 'https://blog.example.com/tag/news/', visibility: 'public' },
      primary_author: { slug: 'grace', name: 'Grace', url: 'https://blog.example.com/author/grace/' },
    });
    expect(post.plaintext).toBeUndefined();
    expect(await api.posts.read({ id: post.id })).toMatchObject({ slug: 'ghost-ready', id: post.id });
  });

  it('does not exist for drafts, scheduled posts and unknown slugs: NotFoundError', async () => {
    for (const slug of ['secret-draft', 'from-the-future', 'nope']) {
      await expect(api.posts.read({ slug })).rejects.toMatchObject({ name: 'NotFoundError', message: 'Post not found.' });
    }
    await expect(api.posts.read({ id: '000000000000000000000000' })).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it.each([
    ['tag:javascript', ['ghost-ready', 'zen-of-code', 'js-async', 'js-intro']],
    ["published_at:>'2024-03-01'", ['ghost-ready', 'zen-of-code', 'release-notes']],
    ['published_at:>=2024-03-01+published_at:<2024-05-01', ['release-notes', 'py-async']],
    ['tag:-javascript', ['release-notes', 'py-async', 'quiet-post']],
    ['tags:[python,news]', ['ghost-ready', 'release-notes', 'py-async', 'quiet-post']],
    ['tag:-[javascript,python]', ['release-notes']],
    ['featured:true', ['ghost-ready']],
    ['featured:false+tag:news', ['release-notes']],
    ['author:grace+tag:news', ['ghost-ready', 'release-notes']],
    ['authors:-ada', ['release-notes', 'py-async', 'quiet-post']],
    ['author:test-blog', ['quiet-post']],
    ['(tag:python,tag:beginners)+author:-grace', ['quiet-post', 'js-intro']],
    ['primary_tag:news', ['ghost-ready', 'release-notes']],
    ['primary_author:ada', ['zen-of-code', 'js-async', 'js-intro']],
    ['primary_author:test-blog', ['quiet-post']],
    ['slug:[js-intro,py-async]', ['py-async', 'js-intro']],
    ['slug:-js-intro+tag:beginners,slug:zen-of-code', ['zen-of-code']],
    ["title:~'async'", ['py-async', 'js-async']],
    ["slug:~^'js-'", ['js-async', 'js-intro']],
    ["title:~$'NOTES'", ['release-notes']],
    ["published_at:<now-1d+published_at:>'2024-04-15'", ['ghost-ready', 'zen-of-code']],
    ['canonical_url:null', null],
  ])('filter %s', async (filter, expected) => {
    if (expected === null) {
      // Not a filter field: refused, never ignored.
      await expect(api.posts.browse({ filter })).rejects.toMatchObject({ name: 'BadRequestError' });
      return;
    }
    expect(slugs(await api.posts.browse({ filter, limit: 'all' }))).toEqual(expected);
  });

  it('filters by id, as Ghost frontends do for related posts', async () => {
    const [first, second] = await api.posts.browse({ limit: 2, fields: 'id,slug' });
    expect(slugs(await api.posts.browse({ filter: `id:-${first!.id}`, limit: 1 }))).toEqual([second!.slug]);
    expect(slugs(await api.posts.browse({ filter: `id:[${first!.id},${second!.id}]` }))).toEqual([first!.slug, second!.slug]);
  });

  it('pages through with limit and page, meta saying where it is', async () => {
    const page2 = await api.posts.browse({ limit: 2, page: 2 });
    expect(slugs(page2)).toEqual(NEWEST_FIRST.slice(2, 4));
    expect(page2.meta.pagination).toEqual({ page: 2, limit: 2, pages: 4, total: 7, next: 3, prev: 1 });
    const past = await api.posts.browse({ limit: 2, page: 9 });
    expect(slugs(past)).toEqual([]);
    expect(past.meta.pagination).toMatchObject({ page: 9, total: 7, next: null });
    // Without a limit, Ghost's 15; past 100, 100 and the pages after.
    expect((await api.posts.browse()).meta.pagination.limit).toBe(15);
    expect((await api.posts.browse({ limit: 500 })).meta.pagination.limit).toBe(100);
  });

  it('orders as asked, with fields keeping only what is named', async () => {
    const byTitle = await api.posts.browse({ order: 'title asc', fields: 'title,slug', limit: 'all' });
    expect(byTitle.map((p) => p.title)).toEqual([...byTitle.map((p) => p.title)].sort());
    expect(Object.keys(byTitle[0]!)).toEqual(['title', 'slug']);
    const oldest = await api.posts.browse({ order: 'published_at asc', limit: 1 });
    expect(oldest[0]!.slug).toBe('js-intro');
    const featuredFirst = await api.posts.browse({ order: 'featured desc, published_at asc', limit: 2 });
    expect(slugs(featuredFirst)).toEqual(['ghost-ready', 'js-intro']);
  });

  it('refuses what it cannot answer truly: an unsupported filter names it, a bad order or include too', async () => {
    await expect(api.posts.browse({ filter: 'comment_id:abc' })).rejects.toMatchObject({
      name: 'BadRequestError',
      message: 'Unsupported filter: field "comment_id"',
    });
    await expect(api.posts.browse({ filter: 'tag:>news' })).rejects.toMatchObject({
      name: 'BadRequestError',
      message: 'Unsupported filter: operator $gt on "tag"',
    });
    await expect(api.posts.browse({ filter: 'featured:maybe' })).rejects.toMatchObject({ name: 'BadRequestError' });
    await expect(api.posts.browse({ filter: 'tag:(' })).rejects.toMatchObject({ name: 'BadRequestError', message: 'Error parsing filter' });
    await expect(api.posts.browse({ order: 'color desc' })).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(api.posts.browse({ formats: 'html,lexical' })).rejects.toMatchObject({ name: 'ValidationError' });
    // An include Ghost does not know is dropped, as Ghost drops it.
    const [post] = await api.posts.browse({ include: 'tags,count.posts,sentiment', limit: 1 });
    expect(post!.tags).toEqual(expect.any(Array));
    expect(post!.count).toBeUndefined();
  });
});

describe('pages', () => {
  it("browse() lists the site's pages, read({ slug }) one, never posts", async () => {
    const pages = await api.pages.browse({ include: 'tags' });
    expect(slugs(pages)).toEqual(['about']);
    expect(pages[0]).toMatchObject({
      title: 'About us',
      html: '<p>Who we are.</p>\n',
      url: 'https://blog.example.com/pages/about/',
      tags: [{ slug: 'news' }],
    });
    const about = await api.pages.read({ slug: 'about' }, { include: 'authors' });
    expect(about.primary_author).toMatchObject({ slug: 'test-blog', name: 'Test blog', url: 'https://blog.example.com/author/test-blog/' });
    expect(await api.pages.read({ slug: 'about' })).toMatchObject({ slug: 'about', title: 'About us' });
    await expect(api.pages.read({ slug: 'js-intro' })).rejects.toMatchObject({ name: 'NotFoundError', message: 'Page not found.' });
  });
});

describe('tags and authors', () => {
  it('tags.browse({ include: "count.posts" }) counts public posts, as /v1 does in one language', async () => {
    const tags = await api.tags.browse({ include: 'count.posts', limit: 'all' });
    expect(tags.map((t) => [t.slug, t.count.posts])).toEqual([
      ['async', 2],
      ['beginners', 1],
      ['javascript', 4],
      ['news', 2],
      ['opinion', 1],
      ['python', 2],
    ]);
    // "hidden" is carried by a draft only: it does not exist yet.
    expect(slugs(tags)).not.toContain('hidden');
    expect(tags[0]).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      name: 'Async',
      url: 'https://blog.example.com/tag/async/',
      visibility: 'public',
      description: null,
    });
    const quire = (await v1('/v1/tags?limit=100')).data as { slug: string }[];
    expect(slugs(tags).every((s) => quire.some((q) => q.slug === s))).toBe(true);
  });

  it('tags.read by slug and by id; the count only when asked', async () => {
    const tag = await api.tags.read({ slug: 'javascript' }, { include: 'count.posts' });
    expect(tag).toMatchObject({ slug: 'javascript', name: 'JavaScript', count: { posts: 4 } });
    const again = await api.tags.read({ id: tag.id });
    expect(again.slug).toBe('javascript');
    expect(again.count).toBeUndefined();
    await expect(api.tags.read({ slug: 'hidden' })).rejects.toMatchObject({ name: 'NotFoundError', message: 'Tag not found.' });
  });

  it('filters and orders tags', async () => {
    expect(slugs(await api.tags.browse({ filter: 'slug:[news,python]' }))).toEqual(['news', 'python']);
    expect(
      slugs(await api.tags.browse({ filter: 'visibility:public', include: 'count.posts', order: 'count.posts desc', limit: 2 })),
    ).toEqual(['javascript', 'async']);
  });

  it('authors.browse() and read() with their post counts', async () => {
    const authors = await api.authors.browse({ include: 'count.posts' });
    // The site's author, for the post that names none, with the rest.
    expect(authors.map((a) => [a.slug, a.count.posts])).toEqual([
      ['ada', 4],
      ['grace', 3],
      ['test-blog', 1],
    ]);
    expect(await api.authors.read({ slug: 'test-blog' }, { include: 'count.posts' })).toMatchObject({
      name: 'Test blog',
      count: { posts: 1 },
    });
    expect(authors[0]).toMatchObject({ name: 'Ada', url: 'https://blog.example.com/author/ada/', profile_image: null, bio: null });
    expect(await api.authors.read({ slug: 'grace' })).toMatchObject({ slug: 'grace', name: 'Grace' });
    await expect(api.authors.read({ slug: 'nobody' })).rejects.toMatchObject({ name: 'NotFoundError', message: 'Author not found.' });
  });
});

describe('the rest of the client', () => {
  it("settings.browse() describes the site from Quire's settings", async () => {
    expect(await api.settings.browse()).toMatchObject({
      title: 'Test blog',
      description: 'Posts for tests',
      url: 'https://blog.example.com/',
      lang: 'en',
      navigation: expect.any(Array),
      members_enabled: false,
    });
  });

  it('tiers and newsletters are empty lists; an offer is not found', async () => {
    const tiers = await api.tiers.browse();
    expect([...tiers]).toEqual([]);
    expect(tiers.meta.pagination).toMatchObject({ total: 0, pages: 1 });
    expect([...(await api.newsletters.browse())]).toEqual([]);
    await expect(api.offers.read({ id: '000000000000000000000000' })).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('older clients, which put the version in the path, get the same answers (the Eleventy starter asks for v2)', async () => {
    const latest = slugs(await api.posts.browse({ limit: 'all' }));
    for (const version of ['v2', 'v3', 'v4', 'v4.5', 'canary', 'v6.0']) {
      const old = GhostContentAPI({ url: server.url, key: GHOST_KEY, version });
      expect(slugs(await old.posts.browse({ limit: 'all' })), version).toEqual(latest);
      expect((await old.settings.browse()).title, version).toBe('Test blog');
    }
  });

  it('a key the server does not know is refused as Ghost refuses it', async () => {
    const wrong = GhostContentAPI({ url: server.url, key: OTHER_KEY, version: 'v5.0' });
    await expect(wrong.posts.browse()).rejects.toMatchObject({
      name: 'UnauthorizedError',
      message: 'Unknown Content API Key',
      response: { status: 401 },
    });
    await expect(wrong.settings.browse()).rejects.toMatchObject({ name: 'UnauthorizedError' });
  });
});
