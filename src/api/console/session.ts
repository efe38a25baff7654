// Console sessions, kept server-side so that they can be ended. The cookie holds a random id
// and an HMAC of it under a key derived from the admin token (changing the token ends every
// session, and a forged cookie costs no query); the ConsoleSession table holds the id's
// SHA-256 and its expiry, so logging out (one row) or out everywhere (every row) ends a
// session in every process at once. A table rather than a per-process list: processes behind
// a load balancer must agree on who is logged in. Each session's CSRF token is an HMAC of its
// id: forms carry it, every POST checks it.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/client.js';

export const SESSION_COOKIE = 'quire_console';
export const SESSION_SECONDS = 8 * 60 * 60;

export interface Session {
  id: string;
  expiresAt: Date;
  csrf: string;
}

const idHash = (id: string) => createHash('sha256').update(id).digest('base64url');

export class SessionStore {
  private readonly key: Buffer;
  /** An empty admin token refuses everyone: a key derived from it would be public. */
  private readonly off: boolean;

  constructor(
    private readonly db: Db,
    adminToken: string,
  ) {
    this.key = createHmac('sha256', adminToken).update('quire console sessions').digest();
    this.off = adminToken.length === 0;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }

  /** A new session, recorded; its cookie value. Sessions past their expiry are dropped here. */
  async issue(now: Date): Promise<{ value: string; session: Session }> {
    const id = randomBytes(18).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_SECONDS * 1000);
    await this.db.consoleSession.deleteMany({ where: { expiresAt: { lte: now } } });
    await this.db.consoleSession.create({ data: { idHash: idHash(id), expiresAt } });
    const body = `s2.${id}`;
    return { value: `${body}.${this.mac(body)}`, session: { id, expiresAt, csrf: this.csrfOf(id) } };
  }

  /** The live session a cookie value names: signed here, recorded, not expired, not ended. */
  async verify(value: string | undefined, now: Date): Promise<Session | undefined> {
    if (this.off) return undefined;
    const parts = value?.split('.') ?? [];
    if (parts.length !== 3 || parts[0] !== 's2') return undefined;
    if (!same(parts[2]!, this.mac(`s2.${parts[1]}`))) return undefined;
    const id = parts[1]!;
    const row = await this.db.consoleSession.findUnique({ where: { idHash: idHash(id) } });
    if (!row || !(row.expiresAt.getTime() > now.getTime())) return undefined;
    return { id, expiresAt: row.expiresAt, csrf: this.csrfOf(id) };
  }

  /** Ends one session: its cookie opens nothing from now on, wherever it is kept. */
  async end(session: Session): Promise<void> {
    await this.db.consoleSession.deleteMany({ where: { idHash: idHash(session.id) } });
  }

  /** Ends every session (log out everywhere): how many there were. */
  async endAll(): Promise<number> {
    return (await this.db.consoleSession.deleteMany({})).count;
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
