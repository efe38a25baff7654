// The admin console over HTTP: who gets in, what the session cookie is, and that every POST
// needs the session's CSRF token and the console's own origin. tests/browser/ drives it in
// Chromium.
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SessionStore } from '../../src/api/console/session.js';
import { startApp, type TestApp } from '../support/app.js';
import { article, contentDir, type ContentDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase, truncateAll } from '../support/postgres.js';

const TOKEN = 'console-admin-token-0123456789';

let t: TestDatabase;
let content: ContentDir;
let api: TestApp;
let origin: string;

beforeAll(async () => {
  t = await createTestDatabase();
  content = await contentDir();
  api = await startApp(t, { token: TOKEN, contentDir: content.dir });
  const { port } = api.app.server.address() as { port: number };
  origin = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await api.app.close();
  await content.cleanup();
  await t.drop();
});
afterEach(async () => {
  await content.clear();
  await truncateAll(t.db);
});

/** Logs in; the session cookie and the page's CSRF token. */
async function login(): Promise<{ cookie: string; csrf: string }> {
  const res = await api.http.post('/admin/login').set('origin', origin).type('form').send({ token: TOKEN }).expect(303);
  expect(res.headers.location).toBe('/admin');
  const cookie = (res.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
  const page = await api.http.get('/admin').set('cookie', cookie).expect(200);
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1];
  expect(csrf).toBeDefined();
  return { cookie, csrf: csrf! };
}

describe('the console', () => {
  it('does not exist without an admin token', async () => {
    const plain = await startApp(t);
    try {
      await plain.http.get('/admin').expect(404);
    } finally {
      await plain.app.close();
    }
  });

  it('shows a login form, no-store, under a CSP that allows no script', async () => {
    const res = await api.http.get('/admin').expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('<label for="token">Admin token</label>');
    expect(res.headers['cache-control']).toBe('no-store');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('script-src');
    expect(csp).not.toContain('unsafe-inline');
    const css = await api.http.get('/admin/console.css').expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });

  it('refuses a wrong token with a clear message and no cookie', async () => {
    const res = await api.http
      .post('/admin/login')
      .set('origin', origin)
      .type('form')
      .send({ token: `${TOKEN}x` })
      .expect(401);
    expect(res.text).toContain('That is not the admin token');
    expect(res.text).toContain('role="alert"');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('keeps the session in an HttpOnly, SameSite=Strict cookie holding no token, Secure over https', async () => {
    const res = await api.http.post('/admin/login').set('origin', origin).type('form').send({ token: TOKEN }).expect(303);
    const set = (res.headers['set-cookie'] as unknown as string[])[0]!;
    expect(set).toMatch(/^quire_console=s2\./);
    expect(set).toMatch(/; HttpOnly/);
    expect(set).toMatch(/; SameSite=Strict/);
    expect(set).toMatch(/; Path=\/admin/);
    expect(set).not.toMatch(/; Secure/);
    expect(set).not.toContain(TOKEN);
    expect(res.headers.location).not.toContain(TOKEN);

    const proxied = await startApp(t, { token: TOKEN, contentDir: content.dir }, { trustProxy: true });
    try {
      const { port } = proxied.app.server.address() as { port: number };
      const https = await proxied.http
        .post('/admin/login')
        .set('x-forwarded-proto', 'https')
        .set('origin', `https://127.0.0.1:${port}`)
        .type('form')
        .send({ token: TOKEN })
        .expect(303);
      expect((https.headers['set-cookie'] as unknown as string[])[0]).toMatch(/; Secure/);
    } finally {
      await proxied.app.close();
    }
  });

  it('lets no one in when the configured token is empty, a session signed with it included', async () => {
    const empty = await startApp(t, { token: '', contentDir: content.dir });
    try {
      const { port } = empty.app.server.address() as { port: number };
      await empty.http.post('/admin/login').set('origin', `http://127.0.0.1:${port}`).type('form').send({ token: '' }).expect(401);
      const forged = (await new SessionStore(t.db, '').issue(new Date())).value;
      const res = await empty.http.get('/admin').set('cookie', `quire_console=${forged}`).expect(200);
      expect(res.text).toContain('Admin token');
    } finally {
      await empty.app.close();
    }
  });

  it('takes no session it did not sign', async () => {
    const { cookie } = await login();
    const forged = cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const res = await api.http.get('/admin').set('cookie', forged).expect(200);
    expect(res.text).toContain('Admin token');
    const other = await startApp(t, { token: 'another-admin-token-987654321', contentDir: content.dir });
    try {
      expect((await other.http.get('/admin').set('cookie', cookie).expect(200)).text).toContain('Admin token');
    } finally {
      await other.app.close();
    }
  });

  it('lists import runs with their counts and each failed file, line and field, escaped', async () => {
    await content.write('ok.md', post('ok'));
    await content.write('broken.md', article({ title: '<script>alert(1)</script>', date: 'not a date' }));
    await api.http.post('/v1/admin/imports?skipInvalid=true').set('authorization', `Bearer ${TOKEN}`).expect(200);
    const { cookie } = await login();
    const page = await api.http.get('/admin').set('cookie', cookie).expect(200);
    expect(page.text).toMatch(/<span class="status partial">partial<\/span>/);
    expect(page.text).toMatch(/<code>broken\.md:\d+<\/code> <strong>date<\/strong>/);
    expect(page.text).not.toContain('<script>');
  });

  it('runs a dry run showing the plan, then an import that lands in the runs', async () => {
    await content.write('a.md', post('a'));
    const { cookie, csrf } = await login();
    const dry = await api.http
      .post('/admin/imports')
      .set('cookie', cookie)
      .set('origin', origin)
      .type('form')
      .send({ csrf, dryRun: '1' })
      .expect(200);
    expect(dry.text).toContain('Dry run: the plan');
    expect(dry.text).toMatch(/post <code>a<\/code> from <code>a\.md<\/code>/);
    expect(await t.db.post.count()).toBe(0);
    const real = await api.http.post('/admin/imports').set('cookie', cookie).set('origin', origin).type('form').send({ csrf }).expect(200);
    expect(real.text).toMatch(/Import \d+: succeeded/);
    expect(await t.db.post.count()).toBe(1);
    const runs = await t.db.importRun.findMany();
    expect(runs.map((r) => r.trigger)).toEqual([expect.stringMatching(/^console:/)]);
  });

  it("shows a failed import's problems, and that nothing was written", async () => {
    await content.write('bad.md', article({ title: 'Bad', date: 'soon' }));
    const { cookie, csrf } = await login();
    const res = await api.http.post('/admin/imports').set('cookie', cookie).set('origin', origin).type('form').send({ csrf }).expect(422);
    expect(res.text).toContain('Import failed');
    expect(res.text).toMatch(/<code>bad\.md:\d+<\/code> <strong>date<\/strong>/);
  });

  it("refuses every POST without the session's CSRF token or from another origin", async () => {
    await content.write('a.md', post('a'));
    const { cookie, csrf } = await login();
    const other = await login();
    for (const [headers, form, status] of [
      [{ origin }, {}, 403],
      [{ origin }, { csrf: 'forged' }, 403],
      [{ origin }, { csrf: other.csrf }, 403],
      [{ origin: 'https://evil.example' }, { csrf }, 403],
      [{}, { csrf }, 403],
      [{ referer: `${origin}/admin` }, { csrf }, 200],
    ] as const) {
      const res = await api.http.post('/admin/imports').set('cookie', cookie).set(headers).type('form').send(form);
      expect(res.status, JSON.stringify([headers, form])).toBe(status);
    }
    // Only the last one ran.
    expect(await t.db.importRun.count()).toBe(1);
    // Without a session, a POST goes back to the login form.
    const res = await api.http.post('/admin/imports').set('origin', origin).type('form').send({ csrf }).expect(303);
    expect(res.headers.location).toBe('/admin');
    // Another site's login form is refused too.
    await api.http.post('/admin/login').set('origin', 'https://evil.example').type('form').send({ token: TOKEN }).expect(403);
  });

  it('imports uploaded files (a dry run first), and refuses an upload without the CSRF token', async () => {
    await content.write('a.md', post('a'));
    const { cookie, csrf } = await login();
    const upload = (fields: Record<string, string>) => {
      const req = api.http.post('/admin/uploads').set('cookie', cookie).set('origin', origin);
      for (const [k, v] of Object.entries(fields)) void req.field(k, v);
      return req.attach('files', Buffer.from(post('uploaded', { title: 'Uploaded' })), 'uploaded.md');
    };
    await upload({}).expect(403);
    await upload({ csrf: 'forged' }).expect(403);
    const dry = await upload({ csrf, dryRun: '1' }).expect(200);
    expect(dry.text).toMatch(/post <code>uploaded<\/code> from <code>uploaded\.md<\/code>/);
    expect(dry.text).toContain('upload them again');
    expect(await t.db.post.count()).toBe(0);
    const real = await upload({ csrf }).expect(200);
    expect(real.text).toMatch(/Import \d+: succeeded/);
    expect(await t.db.post.findMany({ select: { slug: true } })).toEqual([{ slug: 'uploaded' }]);
    const bad = await api.http
      .post('/admin/uploads')
      .set('cookie', cookie)
      .set('origin', origin)
      .field('csrf', csrf)
      .attach('files', Buffer.from('x'), '.hidden.md')
      .expect(400);
    expect(bad.text).toContain('is not a Markdown or media file path');
  });

  it('makes a preview link for a draft, and a clear page for a slug that does not exist', async () => {
    await content.write('d.md', post('secret-draft', { title: 'A <b>draft</b>', draft: true }));
    await api.http.post('/v1/admin/imports').set('authorization', `Bearer ${TOKEN}`).expect(200);
    const { cookie, csrf } = await login();
    const page = await api.http.get('/admin').set('cookie', cookie).expect(200);
    expect(page.text).toContain('A &lt;b&gt;draft&lt;/b&gt;');
    const res = await api.http
      .post('/admin/previews')
      .set('cookie', cookie)
      .set('origin', origin)
      .type('form')
      .send({ csrf, slug: 'secret-draft', kind: 'post', lang: 'en', minutes: '' })
      .expect(200);
    const url = /id="preview-api" href="([^"]+)"/.exec(res.text)?.[1]?.replace(/&amp;/g, '&');
    expect(url).toMatch(/^https:\/\/api\.example\.com\/v1\/posts\/secret-draft\?preview=/);
    const opened = await api.http.get(url!.replace('https://api.example.com', '')).expect(200);
    expect(opened.body.data.title).toBe('A <b>draft</b>');
    await api.http
      .post('/admin/previews')
      .set('cookie', cookie)
      .set('origin', origin)
      .type('form')
      .send({ csrf, slug: 'nothing', kind: 'post' })
      .expect(404);
    await api.http
      .post('/admin/previews')
      .set('cookie', cookie)
      .set('origin', origin)
      .type('form')
      .send({ csrf, slug: 'secret-draft', kind: 'tag' })
      .expect(400);
  });

  it('logs out: the cookie is cleared and the session ended, so a copy of the cookie opens nothing', async () => {
    const { cookie, csrf } = await login();
    const other = await login();
    const res = await api.http.post('/admin/logout').set('cookie', cookie).set('origin', origin).type('form').send({ csrf }).expect(303);
    expect((res.headers['set-cookie'] as unknown as string[])[0]).toMatch(/^quire_console=;.*Expires=Thu, 01 Jan 1970/);
    expect((await api.http.get('/admin').set('cookie', cookie).expect(200)).text).toContain('Admin token');
    await api.http.post('/admin/imports').set('cookie', cookie).set('origin', origin).type('form').send({ csrf }).expect(303);
    // Another session goes on.
    expect((await api.http.get('/admin').set('cookie', other.cookie).expect(200)).text).toContain('Log out everywhere');
  });

  it('logs out everywhere: every session ends, in every process', async () => {
    const mine = await login();
    const elsewhere = await login();
    // A second process over the same database knows the same sessions.
    const second = await startApp(t, { token: TOKEN, contentDir: content.dir });
    try {
      expect((await second.http.get('/admin').set('cookie', elsewhere.cookie).expect(200)).text).toContain('Log out everywhere');
      await api.http
        .post('/admin/logout-everywhere')
        .set('cookie', mine.cookie)
        .set('origin', origin)
        .type('form')
        .send({ csrf: elsewhere.csrf })
        .expect(403);
      await api.http
        .post('/admin/logout-everywhere')
        .set('cookie', mine.cookie)
        .set('origin', origin)
        .type('form')
        .send({ csrf: mine.csrf })
        .expect(303);
      for (const http of [api.http, second.http]) {
        for (const { cookie } of [mine, elsewhere])
          expect((await http.get('/admin').set('cookie', cookie).expect(200)).text).toContain('Admin token');
      }
      expect(await t.db.consoleSession.count()).toBe(0);
    } finally {
      await second.app.close();
    }
  });

  it('ends a session at its expiry, whatever the cookie says', async () => {
    const { cookie } = await login();
    await t.db.consoleSession.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await api.http.get('/admin').set('cookie', cookie).expect(200)).text).toContain('Admin token');
  });

  it('holds login attempts to the admin rate limit', async () => {
    const limited = await startApp(t, { token: TOKEN, contentDir: content.dir }, { rateLimit: { public: 100, admin: 2 } });
    try {
      const { port } = limited.app.server.address() as { port: number };
      for (let i = 0; i < 2; i++)
        await limited.http
          .post('/admin/login')
          .set('origin', `http://127.0.0.1:${port}`)
          .type('form')
          .send({ token: `guess-${i}` })
          .expect(401);
      await limited.http.post('/admin/login').set('origin', `http://127.0.0.1:${port}`).type('form').send({ token: TOKEN }).expect(429);
    } finally {
      await limited.app.close();
    }
  });

  it('answers generated cookies, forms and origins with no 5xx, and escapes what it echoes', async () => {
    const { cookie, csrf } = await login();
    const text = fc.oneof(fc.string(), fc.constantFrom('', '<script>x</script>', '%', '\u0000', 'a'.repeat(5_000), csrf, 's1.a.b.c'));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/admin/login', '/admin/logout', '/admin/imports', '/admin/previews'),
        fc.dictionary(fc.constantFrom('csrf', 'token', 'slug', 'kind', 'lang', 'minutes', 'dryRun', 'x'), text),
        fc.constantFrom(cookie, '', 'quire_console=', `quire_console=${'x'.repeat(300)}`, 'quire_console=s1.%%%.1.2'),
        fc.constantFrom(origin, '', 'null', 'https://evil.example'),
        async (url, form, cookieHeader, originHeader) => {
          const req = api.http.post(url).type('form').send(form);
          if (cookieHeader) req.set('cookie', cookieHeader);
          if (originHeader) req.set('origin', originHeader);
          const res = await req;
          expect(res.status, `${url} ${JSON.stringify(form)}`).toBeLessThan(500);
          expect(res.text).not.toContain('<script>x</script>');
        },
      ),
      { numRuns: 150 },
    );
    const res = await api.http.get('/admin?page=<b>').set('cookie', cookie).expect(200);
    expect(res.text).toContain('Imports');
  });
});
