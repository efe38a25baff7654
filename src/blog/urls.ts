// Where documents live on the site: each has a path (its permalink, "/blog/2024/kubecon-eu/"),
// made by the importer and unique within its language. The API builds every `url` (fields,
// feeds, sitemap, webhooks) from it, and finds documents by it.

import type { Site } from '../config.js';

export type { Site };

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/**
 * A path as stored and looked up: percent-decoded, one leading slash, no empty or "."
 * segments ("..", which would climb out, is dropped too), and a trailing slash unless the
 * last segment names a file ("/2014/09/15/rust-1.0.html").
 */
export function sitePath(raw: string): string {
  const bare = raw.split(/[?#]/)[0]!.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  const segments = bare
    .split('/')
    .map(decode)
    .filter((s) => s && s !== '.' && s !== '..');
  if (!segments.length) return '/';
  const last = segments[segments.length - 1]!;
  return `/${segments.join('/')}${/\.[a-z0-9]{1,5}$/i.test(last) ? '' : '/'}`;
}

/**
 * The stored paths a requested one may be: as given, and with or without its trailing
 * slash. Generators differ there (Hugo's /blog/x/, Docusaurus's /blog/x, Jekyll's x.html),
 * and a document's path is stored as its generator makes it; a request finds it either way.
 */
export function lookupPaths(raw: string): string[] {
  const canonical = sitePath(raw);
  const bare = canonical.length > 1 ? canonical.replace(/\/$/, '') : canonical;
  const asGiven = raw.split(/[?#]/)[0]!.endsWith('/') || canonical === '/' ? canonical : bare;
  return [...new Set([asGiven, canonical, bare])];
}

/** The path as it goes in a URL: each segment percent-encoded (a slug may be 日本語). */
export const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

export const documentUrl = (site: Site, doc: { path: string }) => `${site.url}${encodePath(doc.path)}`;
