// Where posts live on the site. The API links to them (url fields, feeds, sitemap) and the
// importer points relative Markdown links at them, by one rule:
// /posts/<slug>, under /<lang> outside the default language.

export interface Site {
  /** The public site, no trailing slash, e.g. https://blog.example.com */
  url: string;
  title: string;
  description: string;
  defaultLang: string;
}

export const postPath = (p: { slug: string; lang: string }, defaultLang: string) =>
  `${p.lang === defaultLang ? '' : `/${p.lang}`}/posts/${encodeURIComponent(p.slug)}`;

export const postUrl = (site: Site, p: { slug: string; lang: string }) => `${site.url}${postPath(p, site.defaultLang)}`;
