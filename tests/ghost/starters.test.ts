// The queries two Ghost frontends make, replayed as they make them (read from their source:
// TryGhost/eleventy-starter-ghost's .eleventy.js and _data/site.js, TryGhost/gatsby-source-ghost's
// gatsby-node.js), and every field they then read checked present and typed as they type it
// (gatsby-source-ghost declares a GraphQL schema: String!, Boolean!, Date!, links by slug).
import GhostContentAPI from '@tryghost/content-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBlog } from '../support/blog.js';
import type { ContentDir } from '../support/content.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { GHOST_BLOG, GHOST_KEY, startGhostApp } from './blog.js';

let t: TestDatabase;
let server: Awaited<ReturnType<typeof startGhostApp>>;
let content: ContentDir;

beforeAll(async () => {
  t = await createTestDatabase();
  server = await startGhostApp(t, {}, 3);
  ({ content } = await loadBlog(t.db, GHOST_BLOG));
});
afterAll(async () => {
  await server.app.close();
  await content.cleanup();
  await t.drop();
});

type Type = 'String' | 'String!' | 'Boolean!' | 'Int' | 'Int!' | 'Date' | 'Date!';

/** Checks each field as a GraphQL schema types it: present, and null only where it may be. */
function expectTyped(item: Record<string, unknown>, spec: Record<string, Type>, what: string) {
  for (const [field, type] of Object.entries(spec)) {
    const value = item[field];
    const where = `${what}.${field}`;
    expect(field in item, `${where} is missing`).toBe(true);
    if (!type.endsWith('!') && value === null) continue;
    expect(value, `${where} is null`).not.toBeNull();
    if (type.startsWith('String')) expect(typeof value, where).toBe('string');
    if (type.startsWith('Boolean')) expect(typeof value, where).toBe('boolean');
    if (type.startsWith('Int')) expect(Number.isInteger(value), where).toBe(true);
    if (type.startsWith('Date')) expect(Number.isNaN(Date.parse(value as string)), where).toBe(false);
  }
}

const POST: Record<string, Type> = {
  slug: 'String!',
  id: 'String!',
  uuid: 'String!',
  title: 'String!',
  html: 'String',
  comment_id: 'String',
  feature_image: 'String',
  feature_image_caption: 'String',
  feature_image_alt: 'String',
  featured: 'Boolean!',
  visibility: 'String!',
  created_at: 'Date!',
  updated_at: 'Date',
  published_at: 'Date',
  custom_excerpt: 'String',
  codeinjection_head: 'String',
  codeinjection_foot: 'String',
  custom_template: 'String',
  canonical_url: 'String',
  url: 'String!',
  excerpt: 'String',
  reading_time: 'Int',
  email_subject: 'String',
  plaintext: 'String',
  og_image: 'String',
  og_title: 'String',
  og_description: 'String',
  twitter_image: 'String',
  twitter_title: 'String',
  twitter_description: 'String',
  meta_title: 'String',
  meta_description: 'String',
};
const TAG: Record<string, Type> = {
  slug: 'String!',
  id: 'String!',
  name: 'String!',
  description: 'String',
  feature_image: 'String',
  visibility: 'String!',
  meta_title: 'String',
  meta_description: 'String',
  url: 'String!',
  og_image: 'String',
  og_title: 'String',
  og_description: 'String',
  twitter_image: 'String',
  twitter_title: 'String',
  twitter_description: 'String',
  codeinjection_head: 'String',
  codeinjection_foot: 'String',
  canonical_url: 'String',
  accent_color: 'String',
};
const AUTHOR: Record<string, Type> = {
  slug: 'String!',
  id: 'String!',
  name: 'String!',
  profile_image: 'String',
  cover_image: 'String',
  bio: 'String',
  website: 'String',
  location: 'String',
  facebook: 'String',
  twitter: 'String',
  meta_title: 'String',
  meta_description: 'String',
  url: 'String!',
};
const SETTINGS: Record<string, Type> = {
  title: 'String',
  description: 'String',
  logo: 'String',
  icon: 'String',
  cover_image: 'String',
  facebook: 'String',
  twitter: 'String',
  lang: 'String!',
  timezone: 'String!',
  meta_title: 'String',
  meta_description: 'String',
  og_image: 'String',
  og_title: 'String',
  og_description: 'String',
  twitter_image: 'String',
  twitter_title: 'String',
  twitter_description: 'String',
  url: 'String!',
  codeinjection_head: 'String',
  codeinjection_foot: 'String',
};

describe('gatsby-source-ghost (version v5.0)', () => {
  it('sources every node and each link resolves by slug', async () => {
    const api = GhostContentAPI({ url: server.url, key: GHOST_KEY, version: 'v5.0' });
    const postAndPage = { limit: 'all', include: 'tags,authors', formats: 'html,plaintext' };
    const tagAndAuthor = { limit: 'all', include: 'count.posts' };
    const [posts, pages, tags, authors, settings, tiers] = await Promise.all([
      api.posts.browse(postAndPage),
      api.pages.browse(postAndPage),
      api.tags.browse(tagAndAuthor),
      api.authors.browse(tagAndAuthor),
      api.settings.browse(),
      api.tiers.browse({ include: 'benefits,monthly_price,yearly_price' }),
    ]);
    expect(posts.length).toBeGreaterThan(0);
    expect(pages.length).toBeGreaterThan(0);
    expect([...tiers]).toEqual([]);
    const tagSlugs = new Set(tags.map((x) => x.slug as string));
    const authorSlugs = new Set(authors.map((x) => x.slug as string));
    for (const doc of [...posts, ...pages]) {
      expectTyped(doc, POST, doc.slug);
      // tags: [GhostTag] and authors: [GhostAuthor]! and primary_author: GhostAuthor!, by slug.
      for (const tag of doc.tags) expect(tagSlugs.has(tag.slug), `${doc.slug}: tag ${tag.slug}`).toBe(true);
      expect(doc.authors.length, `${doc.slug} has no author`).toBeGreaterThan(0);
      for (const author of doc.authors) expect(authorSlugs.has(author.slug), `${doc.slug}: author ${author.slug}`).toBe(true);
      expect(authorSlugs.has(doc.primary_author.slug)).toBe(true);
      if (doc.primary_tag) expect(doc.primary_tag.slug).toBe(doc.tags[0].slug);
    }
    for (const tag of tags) {
      expectTyped(tag, TAG, `tag ${tag.slug}`);
      expect(Number.isInteger(tag.count.posts)).toBe(true); // tag.postCount = tag.count.posts
    }
    for (const author of authors) {
      expectTyped(author, AUTHOR, `author ${author.slug}`);
      expect(Number.isInteger(author.count.posts)).toBe(true); // count: GhostPostCount!, postCount: Int!
    }
    expectTyped(settings, SETTINGS, 'settings');
    for (const item of settings.navigation) expectTyped(item, { label: 'String!', url: 'String!' }, 'navigation');
  });
});

describe('eleventy-starter-ghost (version v2)', () => {
  it('builds its collections: every post and page has a primary author with a url, every author and tag finds its posts', async () => {
    const api = GhostContentAPI({ url: server.url, key: GHOST_KEY, version: 'v2' });
    const site = await api.settings.browse({ include: 'icon,url' });
    for (const field of [
      'url',
      'title',
      'twitter',
      'description',
      'lang',
      'cover_image',
      'navigation',
      'logo',
      'icon',
      'facebook',
      'codeinjection_head',
      'codeinjection_foot',
    ]) {
      expect(site, `site.${field}`).toHaveProperty(field);
    }
    const stripDomain = (url: string) => url.replace(server.url, '');

    const docs = await api.pages.browse({ include: 'authors', limit: 'all' });
    for (const doc of docs) {
      expect(stripDomain(doc.url)).toEqual(expect.any(String));
      expect(stripDomain(doc.primary_author.url)).toEqual(expect.any(String));
      expect(Number.isNaN(new Date(doc.published_at).getTime())).toBe(false);
      for (const field of [
        'title',
        'excerpt',
        'html',
        'feature_image',
        'meta_title',
        'featured',
        'codeinjection_head',
        'codeinjection_foot',
      ])
        expect(doc).toHaveProperty(field);
    }

    const posts = await api.posts.browse({ include: 'tags,authors', limit: 'all' });
    for (const post of posts) {
      expect(stripDomain(post.primary_author.url)).toEqual(expect.any(String));
      for (const tag of post.tags) expect(stripDomain(tag.url)).toEqual(expect.any(String));
      expect(typeof post.featured).toBe('boolean');
      for (const field of ['feature_image', 'url', 'title', 'html', 'excerpt', 'updated_at', 'codeinjection_head', 'codeinjection_foot'])
        expect(post).toHaveProperty(field);
      for (const field of ['profile_image', 'name', 'website', 'twitter']) expect(post.primary_author).toHaveProperty(field);
    }

    // Authors get the posts whose primary author they are, by id: every post lands somewhere.
    const authors = await api.authors.browse({ limit: 'all' });
    const withAuthors = await api.posts.browse({ include: 'authors', limit: 'all' });
    const attached = withAuthors.filter((post) => authors.some((author) => author.id === post.primary_author.id));
    expect(attached.length).toBe(withAuthors.length);
    for (const author of authors)
      for (const field of ['profile_image', 'website', 'twitter', 'name', 'facebook', 'bio', 'url']) expect(author).toHaveProperty(field);

    // Tags get the posts whose primary tag they are, by slug.
    const tags = await api.tags.browse({ include: 'count.posts', limit: 'all' });
    for (const post of posts.filter((p) => p.primary_tag)) expect(tags.some((tag) => tag.slug === post.primary_tag.slug)).toBe(true);
    for (const tag of tags) {
      for (const field of ['name', 'feature_image', 'description', 'url']) expect(tag).toHaveProperty(field);
      expect(tag.count.posts).toBeGreaterThan(0);
    }
  });
});
