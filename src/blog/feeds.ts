// RSS 2.0, Atom 1.0 and JSON Feed 1.0 documents for a list of posts, built by `feed`.
import { Feed } from 'feed';
import type { PostListItem } from './schemas.js';
import type { Site } from './urls.js';

export const FEED_FORMATS = {
  rss: { extension: 'xml', type: 'application/rss+xml; charset=utf-8' },
  atom: { extension: 'atom', type: 'application/atom+xml; charset=utf-8' },
  json: { extension: 'json', type: 'application/feed+json; charset=utf-8' },
} as const;
export type FeedFormat = keyof typeof FEED_FORMATS;

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
 * A feed needs absolute image URLs: a path resolves against the site, a bare name (a page
 * bundle's "cover.jpg") against the post's page. Anything unusable is left out.
 */
function imageUrl(image: string, pageUrl: string): string | undefined {
  try {
    const url = new URL(image, `${pageUrl.replace(/\/$/, '')}/`);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** `apiUrl` is the API's public origin, for the feed's links to itself. */
export function renderFeed(site: Site, apiUrl: string, spec: FeedSpec, posts: PostListItem[], format: FeedFormat): string {
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
    feed.addItem({
      title: post.title ?? post.slug,
      id: post.url ?? post.slug,
      link: post.url ?? '',
      date: new Date(post.updatedAt ?? post.publishedAt ?? 0),
      published: new Date(post.publishedAt ?? 0),
      description: post.description ?? post.excerpt ?? '',
      content: post.html ?? '',
      // Only when there is one: feed's JSON Feed writer reads author[0] unguarded.
      ...(post.authors?.length && { author: post.authors.map((a) => ({ name: a.name, ...(a.url && { link: a.url }) })) }),
      category: [...(post.categories ?? []), ...(post.tags ?? [])].map((t) => ({ name: t.name, term: t.slug })),
      ...(post.image && imageUrl(post.image, post.url ?? site.url) && { image: imageUrl(post.image, post.url ?? site.url)! }),
    });
  }
  return format === 'rss' ? feed.rss2() : format === 'atom' ? feed.atom1() : feed.json1();
}
