// Content folders for tests: real Markdown files in a temporary directory.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { type ImporterSettings, loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/client.js';
import type { ImportSummary } from '../../src/importer/report.js';
import { runImport, type RunOptions } from '../../src/importer/run.js';

/** The importer's settings as a fresh installation has them (English, default globs). */
export const DEFAULT_IMPORTER: ImporterSettings = loadConfig({}).importer;

export interface ContentDir {
  dir: string;
  write(file: string, text: string): Promise<void>;
  remove(file: string): Promise<void>;
  /** Empties the folder, keeping it. */
  clear(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function contentDir(files: Record<string, string> = {}): Promise<ContentDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-content-'));
  const write = async (file: string, text: string) => {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  };
  for (const [file, text] of Object.entries(files)) await write(file, text);
  return {
    dir,
    write,
    remove: (file) => rm(path.join(dir, file)),
    clear: async () => {
      for (const entry of await readdir(dir)) await rm(path.join(dir, entry), { recursive: true, force: true });
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A Markdown file with YAML front matter. */
export function article(frontMatter: Record<string, unknown>, body = 'Some text.\n'): string {
  return `---\n${stringify(frontMatter)}---\n\n${body}`;
}

/** A valid article with sensible defaults; override any field. */
export function post(slug: string, overrides: Record<string, unknown> = {}, body?: string): string {
  return article({ title: `Title of ${slug}`, slug, date: '2024-01-01', ...overrides }, body);
}

/** Imports a folder with the default settings, and any given. */
export function importDir(
  db: Db,
  dir: string,
  options: Partial<RunOptions> = {},
  settings: Partial<ImporterSettings> = {},
): Promise<ImportSummary> {
  return runImport(db, { ...DEFAULT_IMPORTER, ...settings }, { dir, trigger: 'test', ...options });
}
