// The content folder -> the Markdown files in it, read and hashed.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileProblem } from './problems.js';
import { RENDERER_VERSION } from './render.js';

export interface SourceFile {
  /** Relative to the content folder, with forward slashes. */
  path: string;
  text: string;
  /** Changes when the file's bytes, its path or the renderer change. */
  hash: string;
}

const MARKDOWN = /\.(md|markdown)$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class ContentDirError extends Error {
  override name = 'ContentDirError';
}

/** Markdown files under `dir`, sorted by path; hidden files and folders are skipped. */
export async function listMarkdownFiles(dir: string): Promise<string[]> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new ContentDirError(`content folder not found: ${dir}`);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && MARKDOWN.test(e.name))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((rel) => !rel.split('/').some((part) => part.startsWith('.')))
    .sort();
}

export async function readSource(
  dir: string,
  rel: string,
): Promise<{ ok: true; file: SourceFile } | { ok: false; problem: FileProblem }> {
  const bytes = await readFile(path.join(dir, rel));
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, problem: { file: rel, message: 'is not valid UTF-8 text' } };
  }
  const hash = createHash('sha256')
    .update(`quire:${RENDERER_VERSION}\0${rel}\0`)
    .update(bytes)
    .digest('hex');
  return { ok: true, file: { path: rel, text, hash } };
}
