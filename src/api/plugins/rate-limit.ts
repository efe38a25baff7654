// Requests a minute per client address (@fastify/rate-limit, in this process's memory).
// Past the limit: 429 problem+json with Retry-After. Behind a proxy or CDN, set
// QUIRE_TRUST_PROXY so the client's address is the one counted, not the proxy's.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { HttpProblem } from '../problem-details.js';

export async function registerRateLimit(app: FastifyInstance, limits: { public: number; admin: number } | undefined) {
  if (!limits?.public && !limits?.admin) return;
  await app.register(rateLimit, {
    // Off globally when the public limit is 0; the admin routes then set their own.
    global: limits.public > 0,
    max: limits.public || 1,
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, { max, after }) =>
      new HttpProblem(429, 'too-many-requests', `more than ${max} requests a minute from this address; try again in ${after}`),
  });
}
