// Bearer-token check for /v1/admin. Both sides are hashed to fixed-length digests and
// compared with timingSafeEqual, so neither the token's content nor its length leaks
// through response timing; every refusal is the same 401. The check runs at preParsing:
// after the rate limit (onRequest), so guessing is throttled, and before any body is read.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { HttpProblem } from '../problems.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether `given` is the admin token, in time independent of both (an empty token never is). */
export function tokenMatches(token: string, given: string): boolean {
  // Hash even a missing token, so every refusal takes the same path.
  return timingSafeEqual(digest(given), digest(token)) && given.length > 0;
}

export function requireBearer(app: FastifyInstance, token: string, names = { realm: 'quire-admin', setting: 'QUIRE_ADMIN_TOKEN' }): void {
  app.addHook('preParsing', async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const given = /^Bearer (.+)$/i.exec(header)?.[1] ?? '';
    if (!tokenMatches(token, given)) {
      reply.header('www-authenticate', `Bearer realm="${names.realm}"`);
      throw new HttpProblem(
        401,
        'unauthorized',
        `a valid ${names.realm === 'quire-admin' ? 'admin ' : ''}bearer token is required (Authorization: Bearer <${names.setting}>)`,
      );
    }
  });
}
