// The content folder -> the files to import (by include/exclude globs), read, checked and
// hashed. Text leaves here as UTF-8 with LF line endings and no byte-order mark.
import { createHash } from 'node:crypto';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import type { FileProblem } from './problems.js';
import { RENDERER_VERSION } from './render.js';

export interface SourceFile {
  /** Relative to the content folder, with forward slashes. */
  path: string;
  text: string;
  /** Changes when the file's bytes, its path or the renderer change. */
  hash: string;
}

export interface SelectOptions {
  include: readonly string[];
  exclude: readonly string[];
  /** Larger files are refused with a problem instead of read. */
  maxFileBytes: number;
}

export const DEFAULT_INCLUDE = ['**/*.md', '**/*.markdown', '**/*.mdx'];
/** Repository files that live beside articles without being articles. */
export const DEFAULT_EXCLUDE = ['**/README.md', '**/CHANGELOG.md', '**/LICENSE.md', '**/CONTRIBUTING.md'];
export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class ContentDirError extends Error {
  override name = 'ContentDirError';
}

export interface Listing {
  files: string[];
  /** Files the globs left out (not counting hidden ones), for the summary. */
  excluded: string[];
  /** Symbolic links not followed: they lead outside the folder, or nowhere. */
  outside: string[];
}

/**
 * Files under `dir` matched by the include globs and not by the exclude globs, sorted by
 * path. Hidden files and folders (a name starting with ".") are never read; neither is
 * anything reached through a symbolic link that leads outside the folder.
 */
export async function listFiles(dir: string, options: Pick<SelectOptions, 'include' | 'exclude'>): Promise<Listing> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new ContentDirError(`content folder not found: ${dir}`);
  const root = await realpath(dir);
  const include = picomatch([...options.include], { nocase: true });
  const exclude = picomatch([...options.exclude], { nocase: true });
  const files: string[] = [];
  const links: string[] = [];
  const excluded: string[] = [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    const rel = path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    if (rel.split('/').some((part) => part.startsWith('.'))) continue;
    if (!entry.isFile() && !entry.isSymbolicLink()) continue;
    if (!include(rel)) continue;
    if (exclude(rel)) excluded.push(rel);
    else (entry.isSymbolicLink() ? links : files).push(rel);
  }
  // A link is followed only when it resolves to a file inside the folder.
  const outside: string[] = [];
  for (const rel of links) {
    const target = await realpath(path.join(dir, rel)).catch(() => null);
    if (target?.startsWith(root + path.sep) && (await stat(target)).isFile()) files.push(rel);
    else outside.push(rel);
  }
  return { files: files.sort(), excluded: excluded.sort(), outside: outside.sort() };
}

export function hashSource(rel: string, bytes: Uint8Array): string {
  return createHash('sha256').update(`quire:${RENDERER_VERSION}\0${rel}\0`).update(bytes).digest('hex');
}

/** Bytes -> text: UTF-8 only, byte-order mark dropped, CRLF and CR made LF. */
export function decodeSource(rel: string, bytes: Uint8Array): { ok: true; file: SourceFile } | { ok: false; problem: FileProblem } {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, problem: { file: rel, message: 'is not valid UTF-8 text (save it as UTF-8)' } };
  }
  if (text.includes('\0')) return { ok: false, problem: { file: rel, message: 'is a binary file, not Markdown' } };
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return { ok: true, file: { path: rel, text, hash: hashSource(rel, bytes) } };
}

export async function readSource(
  dir: string,
  rel: string,
  maxFileBytes: number,
): Promise<{ ok: true; file: SourceFile } | { ok: false; problem: FileProblem }> {
  const full = path.join(dir, rel);
  const size = (await stat(full)).size;
  if (size > maxFileBytes) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    return { ok: false, problem: { file: rel, message: `is ${mb(size)}, over the ${mb(maxFileBytes)} limit` } };
  }
  return decodeSource(rel, await readFile(full));
}
