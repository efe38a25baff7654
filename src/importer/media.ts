// The files documents use (images, PDFs, videos): found beside the document (a page
// bundle's "diagram.png", Astro's "../../assets/x.jpg") or, for a site-absolute path
// ("/images/x.png"), under one of the static folders; hashed (by the file cache when they
// did not change); probed once per new hash. Nothing here writes: apply.ts stores the
// files the written documents use. No file outside the site's project is ever read.
import { access, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { isMediaName, MediaError, type MediaInfo, probe } from '../media/probe.js';
import { type CachedFile, fresh } from './file-cache.js';
import type { Doc } from './normalize.js';
import type { FileProblem, Warning } from './report.js';
import { megabytes, sha256, statFile } from './source.js';

export interface MediaSettings {
  /** Folders (absolute) that site-absolute paths resolve in, first match wins. */
  roots: readonly string[];
  /** The site's project folder: relative references may reach anything inside it. */
  project: string;
  /** Hugo's translated page bundles share the default language's files. */
  defaultLang: string;
  maxFileBytes: number;
  /** New bytes one import may store, in all. */
  maxImportBytes: number;
  maxPixels: number;
}

/** A media file, by its path relative to the content folder ("blog/x/a.png", "../static/i.png"). */
export interface MediaFile {
  key: string;
  abs: string;
  size: number;
  mtimeMs: number;
  hash: string;
  name: string;
}

export interface MediaScan {
  /** Per document: each reference as written -> the file it names. */
  byDoc: Map<string, Map<string, MediaFile>>;
  /** Hashes not stored yet, with what they are (to store them, apply.ts reads them again). */
  fresh: Map<string, { file: MediaFile; info: MediaInfo }>;
  /** Stat and hash of every file read or found this run, for the file cache. */
  seen: CachedFile[];
  problems: FileProblem[];
  warnings: Warning[];
}

async function inside(abs: string, roots: readonly string[]): Promise<boolean> {
  const real = await realpath(abs).catch(() => undefined);
  if (!real) return false;
  for (const root of roots) {
    const base = await realpath(root).catch(() => undefined);
    if (base && (real === base || real.startsWith(base + path.sep))) return true;
  }
  return false;
}

/**
 * Candidates for a reference: beside the document (and, for a translated Hugo bundle, beside
 * its default-language original), then in each static folder.
 */
function candidates(ref: string, doc: Doc, contentDir: string, settings: MediaSettings): string[] {
  const clean = ref.replace(/^\/+/, '');
  const dir = path.dirname(doc.sourcePath);
  const original = doc.place.langFrom === 'folder' ? [settings.defaultLang, ...dir.split('/').slice(1)].join('/') : undefined;
  const beside = ref.startsWith('/')
    ? []
    : [dir, ...(original && original !== dir ? [original] : [])].map((d) => path.join(contentDir, d, ref));
  return [...beside, ...settings.roots.map((root) => path.join(root, clean))];
}

/** Files that say "the site starts here", for each generator and for Node projects. */
const PROJECT_MARKERS = [
  'package.json',
  '.git',
  'hugo.toml',
  'hugo.yaml',
  'config.toml',
  'config.yaml',
  '_config.yml',
  'zola.toml',
  'astro.config.mjs',
  'astro.config.ts',
  'next.config.js',
  'next.config.mjs',
];

/** The nearest folder at or above the content folder (at most 4 up) that holds a site's project. */
export async function projectRoot(contentDir: string): Promise<string> {
  let dir = path.resolve(contentDir);
  for (let up = 0; up <= 4; up++) {
    for (const marker of PROJECT_MARKERS) {
      if (
        await access(path.join(dir, marker)).then(
          () => true,
          () => false,
        )
      )
        return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return path.resolve(contentDir);
}

/** Files read and hashed together before asking the database which it holds. */
const READ_BATCH_BYTES = 32 * 1024 * 1024;

export async function scanMedia(
  docs: Doc[],
  contentDir: string,
  settings: MediaSettings,
  cache: Map<string, CachedFile>,
  known: (hashes: string[]) => Promise<Set<string>>,
): Promise<MediaScan> {
  const allowed = [contentDir, settings.project, ...settings.roots];
  const files = new Map<string, MediaFile | null>();
  const scan: MediaScan = { byDoc: new Map(), fresh: new Map(), seen: [], problems: [], warnings: [] };
  const read: MediaFile[] = [];

  const find = async (ref: string, doc: Doc): Promise<MediaFile | null> => {
    for (const abs of candidates(ref, doc, contentDir, settings)) {
      const key = path.relative(contentDir, abs).split(path.sep).join('/');
      if (files.has(key)) {
        const hit = files.get(key);
        if (hit) return hit;
        continue;
      }
      const stat = await statFile(abs);
      if (!stat || !(await inside(abs, allowed))) {
        files.set(key, null);
        continue;
      }
      const cached = cache.get(key);
      const file: MediaFile = { key, abs, ...stat, name: path.basename(abs), hash: fresh(cached, stat) ? cached!.hash : '' };
      if (!file.hash && stat.size <= settings.maxFileBytes) read.push(file);
      files.set(key, file);
      return file;
    }
    return null;
  };

  const oversize: { doc: Doc; line?: number; ref: string; file: MediaFile }[] = [];
  for (const doc of docs) {
    const map = new Map<string, MediaFile>();
    for (const m of doc.media) {
      if (!isMediaName(m.ref)) continue;
      const file = await find(m.ref, doc);
      if (!file) {
        scan.warnings.push({
          code: 'missing-media',
          file: doc.sourcePath,
          ...(m.line && { line: m.line }),
          message: `"${m.ref}" is not a file beside this one or in a static folder (${settings.roots.map((r) => path.relative(contentDir, r) || '.').join(', ')}); the reference is left as written`,
        });
        continue;
      }
      if (file.size > settings.maxFileBytes) oversize.push({ doc, ...(m.line && { line: m.line }), ref: m.ref, file });
      else map.set(m.ref, file);
    }
    scan.byDoc.set(doc.sourcePath, map);
  }
  for (const o of oversize) {
    scan.problems.push({
      file: o.doc.sourcePath,
      ...(o.line && { line: o.line }),
      message: `"${o.ref}" is ${megabytes(o.file.size)}, over the ${megabytes(settings.maxFileBytes)} limit for one file (QUIRE_MAX_MEDIA_MB)`,
    });
  }

  // Hash what the cache could not vouch for; probe only hashes the database does not hold.
  // A batch at a time, so a first import of a large blog never holds all its files at once.
  const failed = new Map<string, string>();
  let total = 0;
  for (let i = 0; i < read.length;) {
    const batch: { file: MediaFile; bytes: Buffer }[] = [];
    for (let size = 0; i < read.length && (!batch.length || size + read[i]!.size <= READ_BATCH_BYTES); i++) {
      const file = read[i]!;
      const bytes = await readFile(file.abs);
      file.hash = sha256(bytes);
      size += bytes.length;
      batch.push({ file, bytes });
    }
    const stored = await known([...new Set(batch.map((b) => b.file.hash))]);
    for (const { file, bytes } of batch) {
      if (stored.has(file.hash) || scan.fresh.has(file.hash) || failed.has(file.hash)) continue;
      try {
        const info = await probe(bytes, file.name, { maxPixels: settings.maxPixels });
        total += info.size;
        if (total > settings.maxImportBytes) {
          failed.set(
            file.hash,
            `would take this import's new files over ${megabytes(settings.maxImportBytes)} in all (QUIRE_MAX_IMPORT_MEDIA_MB); import in parts, or raise it`,
          );
        } else scan.fresh.set(file.hash, { file, info });
      } catch (err) {
        if (!(err instanceof MediaError)) throw err;
        failed.set(file.hash, err.message);
      }
    }
  }
  for (const file of files.values())
    if (file?.hash) scan.seen.push({ path: file.key, size: file.size, mtimeMs: file.mtimeMs, hash: file.hash });
  if (failed.size) {
    for (const doc of docs) {
      for (const m of doc.media) {
        const file = scan.byDoc.get(doc.sourcePath)?.get(m.ref);
        const why = file && failed.get(file.hash);
        if (why) scan.problems.push({ file: doc.sourcePath, ...(m.line && { line: m.line }), message: `"${m.ref}" ${why}` });
      }
    }
  }
  return scan;
}
