// `quire` usage: per-command help with flags and settings, and every command line that
// cannot be what the user meant (extra arguments, unknown flags, a file for a folder)
// refused with one line, exit 2, before anything touches a database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { contentDir, type ContentDir, post } from './support/content.js';

let content: ContentDir;

beforeAll(async () => {
  content = await contentDir({ 'a.md': post('a') });
});
afterAll(async () => {
  await content.cleanup();
});

// Nothing here may reach a database: a URL to a port nothing listens on would show it.
const quire = (...args: string[]) => runCli(args, { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none' });

describe('quire help COMMAND and quire COMMAND --help', () => {
  it("print the command's usage, its flags and the settings it reads", async () => {
    const byHelp = await quire('help', 'import');
    const byFlag = await quire('import', '--help');
    expect(byHelp.code).toBe(0);
    expect(byFlag.code).toBe(0);
    expect(byFlag.stdout).toBe(byHelp.stdout);
    expect(byHelp.stdout).toMatch(/^Usage: quire import \[DIR\]/);
    for (const flag of ['--dry-run', '--prune', '--skip-invalid', '--strict', '--json', '--watch', '--no-progress']) {
      expect(byHelp.stdout).toContain(flag);
    }
    expect(byHelp.stdout).toMatch(/Settings \(environment variables\):[\s\S]*QUIRE_CONTENT_DIR[\s\S]*QUIRE_IMPORT_LOCK_TIMEOUT/);
    expect(byHelp.stdout).not.toContain('QUIRE_CORS_ORIGINS'); // an HTTP setting: not import's

    const serve = await quire('serve', '-h');
    expect(serve.code).toBe(0);
    expect(serve.stdout).toMatch(/^Usage: quire serve/);
    expect(serve.stdout).toMatch(/QUIRE_DB_QUERY_TIMEOUT[\s\S]*HOST, PORT/);
    expect(serve.stdout).not.toContain('--dry-run');
  });

  it('lists every command in the global help, pointing at help COMMAND', async () => {
    const help = await quire('help');
    expect(help.code).toBe(0);
    for (const command of ['start', 'serve', 'import', 'migrate', 'openapi'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(help.stdout).toContain('quire help COMMAND');
    expect((await quire('help', 'frobnicate')).code).toBe(2);
  });
});

describe('command lines refused', () => {
  const refused = async (args: string[], line: string) => {
    const result = await quire(...args);
    expect(result.code, args.join(' ')).toBe(2);
    const [first, hint, ...more] = result.stderr.trim().split('\n');
    expect(first, args.join(' ')).toBe(`quire: ${line}`);
    expect(hint).toMatch(/^run `quire help/);
    expect(more).toEqual([]);
  };

  it('quire import A B: one folder only', async () => {
    await refused(['import', content.dir, '/tmp'], 'import takes one folder (DIR); unexpected: /tmp');
  });

  it('quire import file.md: says it is a file, and what to do instead', async () => {
    const file = `${content.dir}/a.md`;
    await refused(
      ['import', file],
      `${file} is a file, not a folder: pass its folder (quire import ${content.dir}), or upload single files through the admin API (POST /v1/admin/imports)`,
    );
  });

  it('unknown flags, for any command', async () => {
    await refused(['import', '--frob'], 'unknown flag --frob for quire import');
    await refused(['serve', '--dry-run'], 'unknown flag --dry-run for quire serve');
    await refused(['openapi', '-x'], 'unknown flag -x for quire openapi');
  });

  it('extra arguments, for any command', async () => {
    await refused(['serve', 'now'], 'serve takes no arguments; unexpected: now');
    await refused(['start', 'content'], 'start takes no arguments; unexpected: content');
    await refused(['openapi', 'out.json'], 'openapi takes no arguments; unexpected: out.json');
    await refused(['migrate', 'create', 'a', 'b'], 'migrate takes at most 2 arguments; unexpected: b');
  });
});
