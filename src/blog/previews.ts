// Preview links: a token that shows one unpublished document (draft or scheduled) to whoever
// holds it, until it expires. HMAC-SHA256 over the document's id and the expiry, with a
// server secret: no table, nothing to clean up; rotating the secret revokes every link.
import { createHmac, timingSafeEqual } from 'node:crypto';

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
