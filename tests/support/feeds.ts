// The MUSTs of each feed format, checked on a parsed document: a structural validator for
// RSS 2.0, Atom 1.0 (RFC 4287), JSON Feed 1.1 and the sitemap protocol.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['item', 'entry', 'url', 'sitemap', 'link', 'category', 'author'].includes(name),
});
const RFC822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (GMT|[+-]\d{4})$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function wellFormed(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml) as Record<string, any>;
}

/** RSS 2.0: channel title, link, description; items with a title or description; RFC 822 dates. */
export function validateRss(xml: string) {
  const doc = wellFormed(xml);
  expect(doc.rss['@version']).toBe('2.0');
  const channel = doc.rss.channel;
  for (const key of ['title', 'link', 'description']) expect(channel[key], `channel.${key}`).toBeDefined();
  const items: any[] = channel.item ?? [];
  const link = (i: any) => String((i.link as unknown[])[0]);
  for (const item of items) {
    expect(item.title ?? item.description).toBeDefined();
    expect(String(item.pubDate)).toMatch(RFC822);
    expect(link(item)).toMatch(/^https?:\/\//);
  }
  return { title: String(channel.title), items: items.map((i) => ({ title: String(i.title), link: link(i) })) };
}

/** Atom: feed id, title, updated; a self link; entries with id, title, updated. */
export function validateAtom(xml: string) {
  const doc = wellFormed(xml);
  const feed = doc.feed;
  expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
  for (const key of ['id', 'title', 'updated']) expect(feed[key], `feed.${key}`).toBeDefined();
  expect(String(feed.updated)).toMatch(RFC3339);
  expect(feed.link.some((l: any) => l['@rel'] === 'self')).toBe(true);
  const entries: any[] = feed.entry ?? [];
  for (const e of entries) {
    for (const key of ['id', 'title', 'updated']) expect(e[key], `entry.${key}`).toBeDefined();
    expect(String(e.updated)).toMatch(RFC3339);
  }
  const text = (v: any) => String(typeof v === 'object' ? v['#text'] : v);
  return { title: text(feed.title), items: entries.map((e) => ({ title: text(e.title), link: String(e.link[0]['@href']) })) };
}

/** JSON Feed (1 or 1.1): version, title; items with a unique id and content. */
export function validateJsonFeed(text: string) {
  const feed = JSON.parse(text);
  expect(feed.version).toMatch(/^https:\/\/jsonfeed\.org\/version\/1(\.1)?$/);
  expect(typeof feed.title).toBe('string');
  const ids = new Set<string>();
  for (const item of feed.items) {
    expect(typeof item.id).toBe('string');
    ids.add(item.id);
    expect(typeof (item.content_html ?? item.content_text)).toBe('string');
    if (item.date_published) expect(item.date_published).toMatch(RFC3339);
  }
  expect(ids.size).toBe(feed.items.length);
  return { title: feed.title as string, items: feed.items.map((i: any) => ({ title: i.title as string, link: i.url as string })) };
}

export function validateSitemap(xml: string) {
  const doc = wellFormed(xml);
  expect(doc.urlset['@xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
  const urls: any[] = doc.urlset.url ?? [];
  for (const u of urls) {
    expect(u.loc).toMatch(/^https?:\/\//);
    expect(String(u.lastmod)).toMatch(RFC3339);
  }
  return urls.map((u) => String(u.loc));
}
