// sitemap.xml: every public post's URL with its last change. One file holds at most
// 50,000 URLs (the protocol's limit); past that, /sitemap.xml is an index of numbered files.
import type { Db } from '../db/client.js';
import { isPublic } from './posts.sql.js';
import { postUrl, type Site } from './urls.js';

export const SITEMAP_MAX_URLS = 50_000;

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

export async function countSitemapUrls(db: Db, now = new Date()): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Post" p WHERE ${isPublic(now)}`;
  return row?.n ?? 0;
}

/** Part `part` (1-based) of the URL set. */
export async function sitemapUrlSet(db: Db, site: Site, part: number, now = new Date()): Promise<string> {
  const rows = await db.$queryRaw<{ slug: string; lang: string; revisedAt: Date }[]>`
    SELECT p.slug, p.lang, p."revisedAt" FROM "Post" p WHERE ${isPublic(now)}
    ORDER BY p."publishedAt", p.id LIMIT ${SITEMAP_MAX_URLS} OFFSET ${(part - 1) * SITEMAP_MAX_URLS}`;
  const urls = rows.map(
    (r) => `  <url><loc>${escape(postUrl(site, r))}</loc><lastmod>${r.revisedAt.toISOString()}</lastmod></url>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

export function sitemapIndex(apiUrl: string, parts: number, updated: Date): string {
  const entries = Array.from(
    { length: parts },
    (_, i) => `  <sitemap><loc>${escape(`${apiUrl}/sitemap-${i + 1}.xml`)}</loc><lastmod>${updated.toISOString()}</lastmod></sitemap>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</sitemapindex>\n`;
}
