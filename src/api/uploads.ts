// Uploaded files (multipart), for the admin API and the console: read whole, checked, then
// written to a folder of their own that the importer reads like any content folder. Every
// bound is checked on the names before a byte is written, so a hostile body costs at most
// what it sent: no file system error (a name past 255 bytes), no thousands of folders.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import type { ImporterSettings } from '../config.js';
import { isMediaName } from '../media/probe.js';
import { HttpProblem, type ParameterError } from './problems.js';

export interface Upload {
  path: string;
  bytes: Buffer;
}

/** The bounds of one upload (docs/editors.md, "Uploads"). */
export const UPLOAD_LIMITS = {
  files: 1000,
  bytes: 100 * 1024 * 1024,
  /** Folders a path may go down: deeper than any blog's layout. */
  depth: 16,
  /** Bytes of one name in a path: what file systems (ext4, APFS, NTFS) take. */
  segmentBytes: 255,
  /** Distinct folders, in all. */
  folders: 1000,
} as const;

const MARKDOWN = /\.(md|markdown|mdx)$/i;

/** How uploads are read (the multipart plugin's options), for the admin API and the console. */
export const uploadOptions = (importer: ImporterSettings) => ({
  // Keep "posts/hello.md" as sent: the folders are part of the file's place. checkedPath checks it.
  preservePath: true,
  limits: { fileSize: importer.maxFileBytes, files: UPLOAD_LIMITS.files, fields: 20 },
});

const refused = (status: number, detail: string, name: string, reason: string) =>
  new HttpProblem(status, 'invalid-parameter', detail, [{ in: 'body', name, reason } satisfies ParameterError]);

/** An uploaded file's name as a path inside the content folder; else a 400 saying why not. */
export function checkedPath(name: string, field: string): string {
  const p = path.posix.normalize(name.replace(/\\/g, '/'));
  const segments = p.split('/');
  const inside = p && !p.startsWith('/') && !p.startsWith('..') && !p.includes('\0') && !segments.some((s) => s.startsWith('.'));
  if (!inside || !(MARKDOWN.test(p) || isMediaName(p))) {
    throw refused(
      400,
      `"${name.slice(0, 200)}" is not a Markdown or media file path inside the content folder`,
      field,
      'must be a relative path ending in .md, .markdown, .mdx or a media extension (.png, .jpg, .pdf, …)',
    );
  }
  const long = segments.find((s) => Buffer.byteLength(s) > UPLOAD_LIMITS.segmentBytes);
  if (long) {
    throw refused(
      400,
      `a name in "${name.slice(0, 200)}…" is ${Buffer.byteLength(long)} bytes long: at most ${UPLOAD_LIMITS.segmentBytes}`,
      field,
      `each folder or file name must be at most ${UPLOAD_LIMITS.segmentBytes} bytes`,
    );
  }
  if (segments.length - 1 > UPLOAD_LIMITS.depth) {
    throw refused(
      400,
      `"${name.slice(0, 200)}…" is ${segments.length - 1} folders deep: at most ${UPLOAD_LIMITS.depth}`,
      field,
      `must be at most ${UPLOAD_LIMITS.depth} folders deep`,
    );
  }
  return p;
}

/**
 * The uploaded files; a body that is not well-formed multipart is the client's error (400).
 * Plain fields go to `onField` (the console's CSRF token), else are ignored.
 */
export async function readUploads(request: FastifyRequest, onField?: (name: string, value: unknown) => void): Promise<Upload[]> {
  const uploads: Upload[] = [];
  const folders = new Set<string>();
  let total = 0;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        onField?.(part.fieldname, part.value);
        continue;
      }
      const file = checkedPath(part.filename, part.fieldname);
      for (let dir = path.posix.dirname(file); dir !== '.'; dir = path.posix.dirname(dir)) folders.add(dir);
      if (folders.size > UPLOAD_LIMITS.folders) {
        throw refused(
          400,
          `the upload makes more than ${UPLOAD_LIMITS.folders} folders`,
          part.fieldname,
          `at most ${UPLOAD_LIMITS.folders} folders in all`,
        );
      }
      const bytes = await part.toBuffer();
      total += bytes.length;
      if (total > UPLOAD_LIMITS.bytes) {
        throw new HttpProblem(413, 'payload-too-large', `the upload is over ${UPLOAD_LIMITS.bytes / 1024 / 1024} MB in all`);
      }
      uploads.push({ path: file, bytes });
    }
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (err instanceof HttpProblem) throw err;
    // The multipart plugin's own limits (a file over QUIRE_MAX_FILE_MB, too many parts): the
    // client's, said in the problem shape every other refusal has.
    if (status && status < 500)
      throw new HttpProblem(status === 413 ? 413 : 400, status === 413 ? 'payload-too-large' : 'bad-request', (err as Error).message);
    throw new HttpProblem(400, 'bad-request', `the multipart body could not be read: ${(err as Error).message}`);
  }
  if (!uploads.length) throw refused(400, 'the upload holds no file', 'files', 'no file part');
  if (!uploads.some((u) => MARKDOWN.test(u.path))) {
    throw refused(
      400,
      'the upload holds no Markdown file: media are imported with the documents that use them',
      'files',
      'must hold at least one .md, .markdown or .mdx file',
    );
  }
  return uploads;
}

/** Uploads become a folder of their own, imported beside what the database holds. */
export async function withUploadDir<T>(uploads: Upload[], use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'quire-upload-'));
  try {
    for (const u of uploads) {
      await mkdir(path.dirname(path.join(dir, u.path)), { recursive: true });
      await writeFile(path.join(dir, u.path), u.bytes);
    }
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
