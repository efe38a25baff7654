// The README's run command on a fresh machine: no DATABASE_URL, so Quire migrates, imports
// and serves on the embedded PGlite database, and another process can import into it.
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, type RunningCli } from './support/cli.js';

const SEED = new URL('../content/async-programming-patterns.md', import.meta.url);

let dataDir: string;
let server: RunningCli;
let base: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'quire-embedded-'));
  server = startCli(['start'], { QUIRE_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0' });
  [, base] = (await server.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/)) as [string, string];
}, 120_000);

afterAll(async () => {
  if (server.child.exitCode === null) await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function seedParts(markdown: string) {
  const headings = [...markdown.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
  const fences = [...markdown.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, code: m[2]! }));
  return { headings, fences };
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&');

/** The rendered code blocks, as text: [language, code]. */
const codeBlocks = (html: string) =>
  [...html.matchAll(/<pre><code class="language-(\w+)">([\s\S]*?)<\/code><\/pre>/g)].map((m) => ({
    lang: m[1]!,
    code: unescapeHtml(m[2]!),
  }));

describe('quire start on the embedded database', () => {
  it('serves the reference article exactly', async () => {
    const res = await fetch(`${base}/v1/posts/async-programming-patterns`);
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: Record<string, unknown> & { html: string } };
    expect(data).toMatchObject({
      title: 'Mastering Async Programming Patterns',
      description: 'Deep dive into asynchronous programming patterns that will level up your concurrent code.',
      publishedAt: '2024-05-20T00:00:00.000Z',
      categories: [{ slug: 'programming', name: 'Programming' }],
      tags: ['async', 'concurrency', 'javascript', 'python'].map((t) => ({ slug: t, name: t })),
    });
    const { headings, fences } = seedParts(await readFile(SEED, 'utf8'));
    expect(headings).toHaveLength(7);
    expect(fences).toHaveLength(6);
    const rendered = [...data.html.matchAll(/<h2 id="[^"]+">([^<]+)<\/h2>/g)].map((m) => unescapeHtml(m[1]!));
    expect(rendered).toEqual(headings);
    expect(codeBlocks(data.html)).toEqual(fences);
  });

  it("lets a second process import into the running server's database", async () => {
    const result = await runCli(['import', 'content', '--no-progress'], { QUIRE_DATA_DIR: dataDir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/unchanged\s+1/);
    expect(result.stdout).toMatch(/created\s+0/);
  });

  it('shuts down cleanly on SIGTERM and releases the database', async () => {
    const result = await server.stop('SIGTERM');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('shutting down');
    await expect(access(path.join(dataDir, 'pglite.lock.json'))).rejects.toThrow();
  });
});
