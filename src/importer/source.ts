// The content folder -> the files to import (by include/exclude globs), read, checked and
// hashed. Text leaves here as UTF-8 with LF line endings and no byte-order mark.
import { createHash } from 'node:crypto';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import type { FileProblem } from './report.js';

export interface SourceFile {
  /** Relative to the content folder, with forward slashes. */
  path: string;
  text: string;
  /** sha256 of the file's bytes. */
  hash: string;
}

export interface SelectOptions {
  include: readonly string[];
  exclude: readonly string[];
  /** Larger files are refused with a problem instead of read. */
  maxFileBytes: number;
}

/**
 * Files that live beside articles without being articles: a repository's own documents,
 * and the partials Jekyll and Hugo include into pages but never render alone.
 */
export const DEFAULT_EXCLUDE = [
  '**/README.md',
  '**/CHANGELOG.md',
  '**/LICENSE.md',
  '**/CONTRIBUTING.md',
  '**/CODE_OF_CONDUCT.md',
  '**/SECURITY.md',
  '**/AGENTS.md',
  '**/CLAUDE.md',
  '**/_includes/**',
  '**/_layouts/**',
  '**/_data/**',
  '**/node_modules/**',
];

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

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

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
  return { ok: true, file: { path: rel, text, hash: sha256(bytes) } };
}

export const megabytes = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

export interface FileStat {
  size: number;
  mtimeMs: number;
}

/** Reads a file found by stat; a file over the limit is a problem, not read. */
export async function readSource(
  dir: string,
  rel: string,
  info: FileStat,
  maxFileBytes: number,
): Promise<{ ok: true; file: SourceFile } | { ok: false; problem: FileProblem }> {
  if (info.size > maxFileBytes) {
    return {
      ok: false,
      problem: { file: rel, message: `is ${megabytes(info.size)}, over the ${megabytes(maxFileBytes)} limit (QUIRE_MAX_FILE_MB)` },
    };
  }
  return decodeSource(rel, await readFile(path.join(dir, rel)));
}

export async function statFile(full: string): Promise<FileStat | undefined> {
  const info = await stat(full).catch(() => undefined);
  return info?.isFile() ? { size: info.size, mtimeMs: info.mtimeMs } : undefined;
}
