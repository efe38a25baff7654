// Bearer-token check for /v1/admin. Both sides are hashed to fixed-length digests and
// compared with timingSafeEqual, so neither the token's content nor its length leaks
// through response timing; every refusal is the same 401. The check runs at preParsing:
// after the rate limit (onRequest), so guessing is throttled, and before any body is read.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { HttpProblem } from '../problems.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function requireBearer(app: FastifyInstance, token: string, names = { realm: 'quire-admin', setting: 'QUIRE_ADMIN_TOKEN' }): void {
  const expected = digest(token);
  app.addHook('preParsing', async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const given = /^Bearer (.+)$/i.exec(header)?.[1] ?? '';
    // Hash even a missing token, so every refusal takes the same path.
    const ok = timingSafeEqual(digest(given), expected) && given.length > 0;
    if (!ok) {
      reply.header('www-authenticate', `Bearer realm="${names.realm}"`);
      throw new HttpProblem(401, 'unauthorized', `a valid ${names.realm === 'quire-admin' ? 'admin ' : ''}bearer token is required (Authorization: Bearer <${names.setting}>)`);
    }
  });
}
