// sitemap.xml: every public post's and page's URL with its last change. One file holds at
// most 50,000 URLs (the protocol's limit); past that, /sitemap.xml is an index of numbered files.
import type { Reader } from '../db/reader.js';
import { sql } from '../db/sql.js';
import { publicPage, publicPost } from './visibility.js';
import type { Site } from './urls.js';

export const SITEMAP_MAX_URLS = 50_000;

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

const listed = (now: Date) => sql`((${publicPost(now)}) OR (${publicPage(now)}))`;

export async function countSitemapUrls(reader: Reader, now: Date): Promise<number> {
  const [row] = await reader.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM "Post" p WHERE ${listed(now)}`);
  return row?.n ?? 0;
}

/** Part `part` (1-based) of the URL set. */
export async function sitemapUrlSet(reader: Reader, site: Site, part: number, now: Date): Promise<string> {
  const rows = await reader.query<{ urlPath: string; changed: Date }>(sql`
    SELECT p."urlPath", coalesce(p."revisedAt", p."modifiedAt") AS changed FROM "Post" p WHERE ${listed(now)}
    ORDER BY p.kind, p."publishedAt" NULLS FIRST, p.id LIMIT ${SITEMAP_MAX_URLS} OFFSET ${(part - 1) * SITEMAP_MAX_URLS}`);
  const urls = rows.map((r) => `  <url><loc>${escape(site.url + r.urlPath)}</loc><lastmod>${r.changed.toISOString()}</lastmod></url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

export function sitemapIndex(apiUrl: string, parts: number, updated: Date): string {
  const entries = Array.from(
    { length: parts },
    (_, i) => `  <sitemap><loc>${escape(`${apiUrl}/sitemap-${i + 1}.xml`)}</loc><lastmod>${updated.toISOString()}</lastmod></sitemap>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</sitemapindex>\n`;
}
