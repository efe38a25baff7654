// The admin console in a real headless browser: Debian's chromium, driven by playwright-core
// (no browser download). Log in (a wrong token first), see a run with a failed file named,
// a dry run's plan, an import appearing among the runs, a preview link opened, log out.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app.js';
import { article, contentDir, type ContentDir, importDir, post } from '../support/content.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TOKEN = 'browser-admin-token-0123456789';
/** Set to a folder to keep a screenshot of each screen. */
const SHOTS = process.env.QUIRE_SCREENSHOT_DIR;

/** A port the system gives out now (and that the app takes right after). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const missing = !existsSync(CHROMIUM);
if (missing && !process.env.CI) {
  console.warn(`tests/browser: skipped, ${CHROMIUM} is missing (apt-get install -y chromium); in CI (CI set) this fails instead`);
}

describe.skipIf(missing && !process.env.CI)('the admin console in Chromium', () => {
  let t: TestDatabase;
  let content: ContentDir;
  let api: TestApp;
  let browser: Browser;
  let base: string;
  const cspErrors: string[] = [];

  beforeAll(async () => {
    if (missing) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium package (apt-get install -y chromium)`);
    t = await createTestDatabase();
    content = await contentDir({
      'hello.md': post('hello', { title: 'Hello' }),
      'broken.md': article({ title: 'Broken', date: 'the day after tomorrow' }),
      'draft.md': post('secret-draft', { title: 'Secret draft', draft: true }, '## Not yet\n\nWork in progress.\n'),
    });
    // A first run, from the CLI: one file refused, the others imported.
    await importDir(t.db, content.dir, { skipInvalid: true }).catch(() => undefined);
    await content.remove('broken.md');
    // Preview links are absolute on the API's origin, so the app must know its port in advance.
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = await startApp(t, { token: TOKEN, contentDir: content.dir }, { apiUrl: base }, { port });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    if (SHOTS) await mkdir(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.app.close();
    await content?.cleanup();
    await t?.drop();
  });

  async function newPage(options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ baseURL: base, ...options });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    return page;
  }
  const shot = async (page: Page, name: string) => {
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  };

  async function logIn(page: Page, token: string) {
    await page.getByLabel('Admin token').fill(token);
    return Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Log in' }).click()]).then(([res]) => res);
  }

  it('logs in after a wrong token, imports, makes a preview link and logs out', async () => {
    const page = await newPage();
    await page.goto('/admin');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Log in');
    await shot(page, '1-login');

    const refused = await logIn(page, 'not-the-token');
    expect(refused?.status()).toBe(401);
    expect(await page.getByRole('alert').textContent()).toContain('That is not the admin token');
    await shot(page, '2-wrong-token');

    await logIn(page, TOKEN);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Imports');
    // The session cookie is out of any script's reach, and no URL holds the token.
    expect(await page.evaluate('document.cookie')).toBe('');
    const [session] = await page.context().cookies();
    expect(session).toMatchObject({ name: 'quire_console', httpOnly: true, sameSite: 'Strict', path: '/admin' });
    expect(page.url()).toBe(`${base}/admin`);
    // The CLI's run, with the refused file named, its line and field.
    const firstRun = page.locator('#run-1');
    expect(await firstRun.getByText('partial').count()).toBe(1);
    const problems = page.locator('ul.problems');
    expect(await problems.textContent()).toMatch(/broken\.md:\d+ date: /);
    await shot(page, '3-runs');

    // A new file: the dry run shows it in the plan and writes nothing.
    await content.write('fresh.md', post('fresh', { title: 'Fresh' }));
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Dry run' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Dry run: the plan');
    expect(await page.locator('ul.refs').first().textContent()).toContain('post fresh from fresh.md');
    await shot(page, '4-dry-run');
    expect(await page.locator('#run-2').count()).toBe(0);

    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Import for real' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Import 2: succeeded');
    await shot(page, '5-imported');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Back to the import runs' }).click()]);
    expect(await page.locator('#run-2').textContent()).toContain('succeeded');

    // A broken file now: the import is refused, naming the file, line and reason.
    await content.write('late.md', article({ title: 'Late', date: 'someday' }));
    const failed = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Import now' }).click()]).then(([r]) => r);
    expect(failed?.status()).toBe(422);
    expect(await page.getByRole('alert').textContent()).toBeTruthy();
    expect(await page.locator('ul.problems').textContent()).toMatch(/late\.md:\d+ date: /);
    await shot(page, '6-import-failed');
    await content.remove('late.md');

    // Files from the admin's disk: uploaded and imported beside what the database holds.
    await page.goto('/admin');
    await page
      .getByLabel(/Markdown and media files/)
      .setInputFiles([{ name: 'uploaded.md', mimeType: 'text/markdown', buffer: Buffer.from(post('uploaded', { title: 'Uploaded' })) }]);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Upload and import' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Import \d+: succeeded$/);
    expect(await page.locator('ul.refs').first().textContent()).toContain('post uploaded from uploaded.md');
    await shot(page, '7-uploaded');

    // A preview link for the draft, opened.
    await page.goto('/admin');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Preview link for Secret draft' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Preview link for secret-draft');
    await shot(page, '8-preview-link');
    const opened = await Promise.all([page.waitForNavigation(), page.locator('#preview-api').click()]).then(([r]) => r);
    expect(opened?.status()).toBe(200);
    expect(opened?.headers()['cache-control']).toBe('private, no-store');
    const json = JSON.parse((await page.locator('body').textContent())!);
    expect(json.data).toMatchObject({ slug: 'secret-draft', title: 'Secret draft' });
    // Without the token, the draft is hidden.
    expect((await page.goto('/v1/posts/secret-draft'))?.status()).toBe(404);

    await page.goto('/admin');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Log out', exact: true }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Log in');
    expect(await page.context().cookies()).toEqual([]);
    await page.goto('/admin');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Log in');
    expect(cspErrors).toEqual([]);
  });

  it('works with JavaScript off and from the keyboard: log in and read the runs', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto('/admin');
    // The token field takes the focus (autofocus, applied at the page's next rendering, which
    // can come after load: wait for it rather than type into nothing); Enter sends the form.
    await page.locator('#token:focus').waitFor();
    await page.keyboard.type(TOKEN);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Imports');
    expect((await page.locator('ul.problems').allTextContents()).join('\n')).toMatch(/broken\.md:\d+ date: /);
    await page.context().close();
  });
});
