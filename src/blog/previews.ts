// Preview links: a token that shows one unpublished document (draft or scheduled) to whoever
// holds it, until it expires. HMAC-SHA256 over the document's id and the expiry, with a
// server secret: no table, nothing to clean up; rotating the secret revokes every link.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { PreviewSettings, Site } from '../config.js';
import type { Db } from '../db/client.js';
import { findPreviewTarget } from './previews.queries.js';
import { Lang, Slug } from './schemas.js';

const PREFIX = 'p1';

const mac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64url');

export function signPreview(secret: string, documentId: number, expiresAt: Date): string {
  const body = `${PREFIX}.${documentId.toString(36)}.${Math.floor(expiresAt.getTime() / 1000).toString(36)}`;
  return `${body}.${mac(secret, body)}`;
}

/** The document a token opens, if it is one this server signed and it has not expired. */
export function verifyPreview(secret: string, token: string, now: Date): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== PREFIX) return undefined;
  const body = parts.slice(0, 3).join('.');
  const given = Buffer.from(parts[3]!);
  const expected = Buffer.from(mac(secret, body));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const id = parseInt(parts[1]!, 36);
  const expires = parseInt(parts[2]!, 36) * 1000;
  return Number.isSafeInteger(id) && expires > now.getTime() ? id : undefined;
}

/** The longest a link may last, in minutes: 30 days. */
export const PREVIEW_MAX_MINUTES = 60 * 24 * 30;

/** A request for a preview link: the admin API's body, and the console's form once read. */
export const PreviewRequestSchema = z
  .strictObject({
    slug: Slug,
    lang: Lang.optional().describe('Its language, when the slug exists in several (default: QUIRE_DEFAULT_LANG)'),
    kind: z.enum(['post', 'page']).default('post'),
    minutes: z.number().int().min(1).max(PREVIEW_MAX_MINUTES).optional().describe('How long the link works (default: QUIRE_PREVIEW_TTL)'),
  })
  .meta({ id: 'PreviewRequest' });
export type PreviewRequest = z.infer<typeof PreviewRequestSchema>;

export const PreviewSchema = z
  .object({
    token: z.string().describe('Pass as ?preview= to /v1/posts/:slug, /v1/pages/:slug or /v1/resolve'),
    url: z.string().describe('The document through the API, with its token'),
    siteUrl: z.string().describe('The document on the site, with ?preview=: for a frontend that passes the token on'),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'Preview' });
export type Preview = z.infer<typeof PreviewSchema>;

export interface PreviewDeps {
  db: Db;
  previews: PreviewSettings;
  site: Site;
  apiUrl: string;
  /** The app's time: a link lasts its minutes on the same clock that checks it. */
  clock: () => Date;
}

/** A signed link to one document (its default language's, unless asked); null when there is none. */
export async function createPreview(deps: PreviewDeps, request: PreviewRequest): Promise<Preview | null> {
  const { kind, minutes } = request;
  const doc = await findPreviewTarget(deps.db, request, deps.site.defaultLang);
  if (!doc) return null;
  const expiresAt = new Date(deps.clock().getTime() + (minutes ? minutes * 60_000 : deps.previews.ttlMs));
  const token = signPreview(deps.previews.secret, doc.id, expiresAt);
  const langQuery = doc.lang !== deps.site.defaultLang ? `&lang=${doc.lang}` : '';
  return {
    token,
    url: `${deps.apiUrl}/v1/${kind}s/${encodeURIComponent(doc.slug)}?preview=${token}${langQuery}`,
    siteUrl: `${deps.site.url}${doc.urlPath}?preview=${token}`,
    expiresAt: expiresAt.toISOString(),
  };
}
