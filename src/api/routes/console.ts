// /admin: a small console for admins, served by the API itself when an admin token is set.
// Log in with the token (kept nowhere but a signed, HttpOnly, SameSite=Strict session
// cookie), see import runs with each file's problems, run a dry run or an import, and make
// preview links for drafts. Plain HTML forms, no script; every POST checks the session's
// CSRF token and the Origin. The data and the work are the admin API's own functions.
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { listUnpublished } from '../../blog/unpublished.queries.js';
import { Lang, Slug } from '../../blog/schemas.js';
import type { Db } from '../../db/client.js';
import { type Session, SESSION_COOKIE, SESSION_SECONDS, SessionStore } from '../console/session.js';
import { CONSOLE_CSS } from '../console/styles.js';
import { dashboardPage, importFailedPage, importResultPage, loginPage, messagePage, previewPage } from '../console/views.js';
import { tokenMatches } from '../plugins/admin-auth.js';
import { uncacheable } from '../plugins/delivery.js';
import { HttpProblem } from '../problems.js';
import { readUploads, type Upload, uploadOptions } from '../uploads.js';
import { type AdminDeps, importContent, listImportRuns } from './admin.js';
import { type AdminRouteConfig, createPreview, type PreviewRouteDeps } from './previews.js';

export interface ConsoleDeps {
  db: Db;
  admin: AdminDeps;
  onImported: () => Promise<void>;
  clock: () => Date;
  /** The admin routes' rate limit (login attempts count against it). */
  limit: AdminRouteConfig;
  previews: Omit<PreviewRouteDeps, 'db'> | undefined;
}

// No script, no inline style, no frames, forms only to itself.
const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const RUNS_PER_PAGE = 20;

const LoginForm = z.object({ token: z.string().max(1_000) });
const ImportForm = z.object({ csrf: z.string(), dryRun: z.literal('1').optional() });
const PreviewForm = z.object({
  csrf: z.string(),
  slug: Slug,
  kind: z.enum(['post', 'page']).default('post'),
  lang: z.union([Lang, z.literal('')]).optional(),
  minutes: z
    .union([
      z.coerce
        .number()
        .int()
        .min(1)
        .max(60 * 24 * 30),
      z.literal(''),
    ])
    .optional(),
});
const DashboardQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1) });

/** The request's own origin: what a form of this console sends as Origin. */
const ownOrigin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin) return origin === ownOrigin(request);
  // Browsers send Origin with every form POST; an older one may send only Referer.
  const referer = request.headers.referer;
  if (!referer) return false;
  try {
    return new URL(referer).origin === ownOrigin(request);
  } catch {
    return false;
  }
}

const send = (reply: FastifyReply, status: number, page: string) => reply.code(status).type('text/html; charset=utf-8').send(page);

export const consoleRoutes: FastifyPluginAsync<ConsoleDeps> = async (app, deps) => {
  const keys = new SessionStore(deps.db, deps.admin.token);
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 16 * 1024 });
  await app.register(multipart, uploadOptions(deps.admin.importer));

  app.addHook('onRequest', async (_request, reply) => {
    uncacheable(reply);
    reply.header('content-security-policy', CSP);
    reply.header('referrer-policy', 'same-origin');
  });

  const sessionOf = (request: FastifyRequest): Promise<Session | undefined> => keys.verify(request.cookies[SESSION_COOKIE], deps.clock());
  const cookieOptions = (request: FastifyRequest) => ({
    path: '/admin',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: request.protocol === 'https',
  });

  /** A POST from the console's own origin with a live session; else the reply is sent. */
  async function sessionFor(request: FastifyRequest, reply: FastifyReply): Promise<Session | undefined> {
    if (!sameOrigin(request)) {
      request.log.warn({ origin: request.headers.origin }, 'console: a POST from another origin refused');
      void send(reply, 403, messagePage('Refused', 'This form was not sent from the console itself.'));
      return undefined;
    }
    const session = await sessionOf(request);
    if (!session) void reply.redirect('/admin', 303);
    return session;
  }

  /** Whether the form carried its session's CSRF token; else the reply is sent (403). */
  function csrfChecked(request: FastifyRequest, reply: FastifyReply, session: Session, given: unknown): boolean {
    if (keys.csrfMatches(session, given)) return true;
    request.log.warn("console: a POST without its session's CSRF token refused");
    void send(
      reply,
      403,
      messagePage('Refused', 'This form is stale or did not come from your session: reload the console and try again.'),
    );
    return false;
  }

  /** A POST a signed-in admin's own page sent: same origin, a live session, its CSRF token. */
  async function guard(request: FastifyRequest, reply: FastifyReply): Promise<Session | undefined> {
    const session = await sessionFor(request, reply);
    if (!session || !csrfChecked(request, reply, session, (request.body as { csrf?: unknown } | undefined)?.csrf)) return undefined;
    return session;
  }

  app.get('/console.css', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=3600');
    return reply.type('text/css; charset=utf-8').send(CONSOLE_CSS);
  });

  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const session = await sessionOf(request);
    if (!session) return send(reply, 200, loginPage());
    const { page } = DashboardQuery.parse(request.query ?? {});
    const [{ items, total }, unpublished] = await Promise.all([
      listImportRuns(deps.db, page, RUNS_PER_PAGE),
      deps.previews ? listUnpublished(deps.db, deps.clock()) : Promise.resolve([]),
    ]);
    return send(
      reply,
      200,
      dashboardPage({
        csrf: session.csrf,
        runs: items,
        total,
        page,
        limit: RUNS_PER_PAGE,
        unpublished,
        previews: !!deps.previews,
        contentDir: deps.admin.contentDir,
      }),
    );
  });

  app.post('/login', { config: deps.limit, schema: { hide: true } }, async (request, reply) => {
    if (!sameOrigin(request)) return send(reply, 403, messagePage('Refused', 'This form was not sent from the console itself.'));
    const form = LoginForm.safeParse(request.body ?? {});
    if (!form.success || !tokenMatches(deps.admin.token, form.data.token)) {
      request.log.warn('console: a login with a wrong token');
      return send(reply, 401, loginPage('That is not the admin token. Check QUIRE_ADMIN_TOKEN and try again.'));
    }
    const { value } = await keys.issue(deps.clock());
    reply.setCookie(SESSION_COOKIE, value, { ...cookieOptions(request), maxAge: SESSION_SECONDS });
    return reply.redirect('/admin', 303);
  });

  // Ends the session itself, not only the cookie: a copy of it opens nothing any more.
  app.post('/logout', { config: deps.limit, schema: { hide: true } }, async (request, reply) => {
    const session = await guard(request, reply);
    if (!session) return reply;
    await keys.end(session);
    reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
    return reply.redirect('/admin', 303);
  });

  // Every session, on every device and in every process: after a token may have leaked.
  app.post('/logout-everywhere', { config: deps.limit, schema: { hide: true } }, async (request, reply) => {
    if (!(await guard(request, reply))) return reply;
    const ended = await keys.endAll();
    request.log.info({ ended }, 'console: every session ended');
    reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
    return reply.redirect('/admin', 303);
  });

  /** Runs an import as the admin API does, and shows what it did or why it did not. */
  async function importAndShow(request: FastifyRequest, reply: FastifyReply, session: Session, dryRun: boolean, uploads?: Upload[]) {
    try {
      const ctx = { db: deps.db, admin: deps.admin, onImported: deps.onImported, trigger: `console:${request.ip}`, log: request.log };
      const summary = await importContent(ctx, { dryRun }, uploads);
      return send(reply, 200, importResultPage(session.csrf, summary, uploads ? 'upload' : 'folder'));
    } catch (err) {
      if (!(err instanceof HttpProblem)) throw err;
      request.log.info({ code: err.code }, `console: import refused: ${err.message}`);
      const files = (err.extensions?.files as Parameters<typeof importFailedPage>[2] | undefined) ?? [];
      return send(reply, err.status, importFailedPage(session.csrf, err.message, files));
    }
  }

  app.post('/imports', { config: deps.limit, schema: { hide: true } }, async (request, reply) => {
    const session = await guard(request, reply);
    if (!session) return reply;
    const form = ImportForm.safeParse(request.body);
    return importAndShow(request, reply, session, form.success && form.data.dryRun === '1');
  });

  // Files from the admin's disk, imported beside what the database holds (multipart).
  app.post('/uploads', { config: deps.limit, schema: { hide: true } }, async (request, reply) => {
    const session = await sessionFor(request, reply);
    if (!session) return reply;
    if (!request.isMultipart())
      return send(reply, 400, messagePage('Not an upload', "Choose the files to upload in the console's upload form."));
    const fields: Record<string, unknown> = {};
    let uploads: Upload[];
    try {
      uploads = await readUploads(request, (name, value) => (fields[name] = value));
    } catch (err) {
      if (!(err instanceof HttpProblem)) throw err;
      return send(reply, err.status, messagePage('Upload refused', err.message));
    }
    if (!csrfChecked(request, reply, session, fields.csrf)) return reply;
    return importAndShow(request, reply, session, fields.dryRun === '1', uploads);
  });

  app.post('/previews', { config: deps.limit, schema: { hide: true } }, async (request, reply) => {
    const session = await guard(request, reply);
    if (!session) return reply;
    const previews = deps.previews;
    if (!previews)
      return send(reply, 404, messagePage('No preview links', 'Preview links are off: set QUIRE_PREVIEW_SECRET or QUIRE_ADMIN_TOKEN.'));
    const form = PreviewForm.safeParse(request.body);
    if (!form.success) {
      const field = form.error.issues[0]?.path.join('.') ?? 'form';
      return send(
        reply,
        400,
        messagePage('Not a preview request', `The field "${field}" is not right: ${form.error.issues[0]?.message ?? 'invalid'}.`),
      );
    }
    const { slug, kind, lang, minutes } = form.data;
    try {
      const link = await createPreview({ db: deps.db, ...previews }, { slug, kind, ...(lang && { lang }), ...(minutes && { minutes }) });
      return send(reply, 200, previewPage(session.csrf, slug, link));
    } catch (err) {
      if (!(err instanceof HttpProblem)) throw err;
      return send(reply, err.status, messagePage('No such document', err.message));
    }
  });
};
