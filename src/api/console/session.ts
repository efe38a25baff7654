// Console sessions: a signed cookie, no table. The value is a random session id and its
// expiry, with an HMAC over both under a key derived from the admin token, so changing the
// token ends every session. Each session's CSRF token is an HMAC of its id: forms carry it,
// every POST checks it.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'quire_console';
export const SESSION_SECONDS = 8 * 60 * 60;

export interface Session {
  id: string;
  expiresAt: Date;
  csrf: string;
}

export class SessionKeys {
  private readonly key: Buffer;
  /** An empty admin token refuses everyone: a key derived from it would be public. */
  private readonly off: boolean;

  constructor(adminToken: string) {
    this.key = createHmac('sha256', adminToken).update('quire console sessions').digest();
    this.off = adminToken.length === 0;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }

  /** A new session's cookie value, and the session. */
  issue(now: Date): { value: string; session: Session } {
    const id = randomBytes(18).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_SECONDS * 1000);
    const body = `s1.${id}.${Math.floor(expiresAt.getTime() / 1000).toString(36)}`;
    return { value: `${body}.${this.mac(body)}`, session: { id, expiresAt, csrf: this.csrfOf(id) } };
  }

  /** The session a cookie value holds, if this server signed it and it has not expired. */
  verify(value: string | undefined, now: Date): Session | undefined {
    if (this.off) return undefined;
    const parts = value?.split('.') ?? [];
    if (parts.length !== 4 || parts[0] !== 's1') return undefined;
    const body = parts.slice(0, 3).join('.');
    if (!same(parts[3]!, this.mac(body))) return undefined;
    const expiresAt = new Date(parseInt(parts[2]!, 36) * 1000);
    if (!(expiresAt.getTime() > now.getTime())) return undefined;
    return { id: parts[1]!, expiresAt, csrf: this.csrfOf(parts[1]!) };
  }

  private csrfOf(id: string): string {
    return this.mac(`csrf.${id}`);
  }

  /** Whether a form's CSRF token is its session's. */
  csrfMatches(session: Session, given: unknown): boolean {
    return typeof given === 'string' && same(given, session.csrf);
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
