// RSS 2.0, Atom 1.0 and JSON Feed 1.0 documents for a list of posts, built by `feed`.
import { Feed } from 'feed';
import { z } from 'zod';
import type { Post } from './schemas.js';
import type { Site } from './urls.js';

export const FEED_FORMATS = {
  rss: { extension: 'xml', type: 'application/rss+xml; charset=utf-8' },
  atom: { extension: 'atom', type: 'application/atom+xml; charset=utf-8' },
  json: { extension: 'json', type: 'application/feed+json; charset=utf-8' },
} as const;
export type FeedFormat = keyof typeof FEED_FORMATS;

/** JSON Feed 1.0 as the feed library writes it: what /v1/feed.json answers. */
export const JsonFeedSchema = z
  .object({
    version: z.literal('https://jsonfeed.org/version/1'),
    title: z.string(),
    home_page_url: z.string(),
    feed_url: z.string(),
    description: z.string(),
    items: z.array(
      z.object({
        id: z.string(),
        content_html: z.string(),
        url: z.string(),
        title: z.string(),
        summary: z.string(),
        image: z.string().optional(),
        date_modified: z.string(),
        date_published: z.string(),
        author: z.object({ name: z.string(), url: z.string().optional() }).optional(),
        tags: z.array(z.string()).optional(),
      }),
    ),
  })
  .meta({ id: 'JsonFeed', description: 'JSON Feed 1.0 (https://jsonfeed.org/version/1)' });

export interface FeedSpec {
  /** "Quire", or "Quire: Tag name" */
  title: string;
  /** API path of this feed without the extension, e.g. /v1/tags/js/feed */
  path: string;
  /** Where a reader finds the same posts on the site. */
  siteLink: string;
  lang?: string;
  updated: Date;
}

/**
 * A feed needs absolute image URLs: served media already are; a path the author wrote
 * resolves against the site, a bare name against the post's page. Anything else is left out.
 */
function imageUrl(image: string, pageUrl: string): string | undefined {
  try {
    const url = new URL(image, pageUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** `apiUrl` is the API's public origin, for the feed's links to itself. */
export function renderFeed(site: Site, apiUrl: string, spec: FeedSpec, posts: Post[], format: FeedFormat): string {
  const self = (f: FeedFormat) => `${apiUrl}${spec.path}.${FEED_FORMATS[f].extension}`;
  const feed = new Feed({
    id: self(format),
    title: spec.title,
    description: site.description || spec.title,
    link: spec.siteLink,
    language: spec.lang ?? site.defaultLang,
    updated: spec.updated,
    generator: 'Quire',
    copyright: '',
    feedLinks: { rss: self('rss'), atom: self('atom'), json: self('json') },
  });
  for (const post of posts) {
    const image = post.image && imageUrl(post.image.url, post.url);
    feed.addItem({
      title: post.title,
      id: post.url,
      link: post.url,
      date: new Date(post.updatedAt ?? post.publishedAt),
      published: new Date(post.publishedAt),
      description: post.description ?? post.excerpt,
      content: post.html,
      // Only when there is one: feed's JSON Feed writer reads author[0] unguarded.
      ...(post.authors.length && { author: post.authors.map((a) => ({ name: a.name, ...(a.url && { link: a.url }) })) }),
      category: [...post.categories, ...post.tags].map((t) => ({ name: t.name, term: t.slug })),
      ...(image && { image }),
    });
  }
  return format === 'rss' ? feed.rss2() : format === 'atom' ? feed.atom1() : feed.json1();
}
