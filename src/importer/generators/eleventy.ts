// Eleventy's reading of its input folder (the content folder Quire is pointed at), from
// Eleventy's source and docs:
// - which files: all but those in `_includes`, `_data`, `_site` and `node_modules`, and
//   those `.eleventyignore` or `.gitignore` name (11ty.dev/docs/ignores/);
// - the data cascade (11ty.dev/docs/data-cascade/, data-template-dir/): directory data
//   files (`posts/posts.json`, `posts/posts.11tydata.json`), then the template's own
//   (`post.json`, `post.11tydata.json`), then front matter, later winning, arrays merged
//   (tags); `.11tydata.js` files are JavaScript, which Quire does not run: said, not read;
// - the date (Template.js getMappedDate): the data's `date`, else the first YYYY-MM-DD in
//   the file's path;
// - the URL (TemplatePermalink.generate, TemplateFileSlug.js): the rendered `permalink`,
//   else the folders and the file's name (its date kept; an index file, or one named as its
//   folder, standing for the folder) and a trailing slash. `page.fileSlug` is the name with
//   a leading date taken off. A permalink template is rendered when it holds only what
//   Quire can evaluate (data values, page.fileSlug, page.filePathStem, page.date, the
//   slugify and slug filters); otherwise the default URL is used and the file says why.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import slugify from '@sindresorhus/slugify';
import picomatch from 'picomatch';
import type { Site } from '../site.js';
import { exactPath, type GeneratorReading, type SourceFacts, split, value } from './common.js';

export interface EleventyData {
  /** What was read, for the readings' cache: a change re-reads every file. */
  digest: string;
  /** Data files read, by path relative to the input folder. */
  json: Map<string, Record<string, unknown>>;
  /** JavaScript data files found (not run). */
  js: Set<string>;
  ignored: (rel: string) => boolean;
}

const loaded = new WeakMap<Site, EleventyData>();

const JSON_DATA = (dir: string, name: string) => [`${dir}${name}.json`, `${dir}${name}.11tydata.json`];
const JS_DATA = (dir: string, name: string) => ['js', 'cjs', 'mjs'].map((ext) => `${dir}${name}.11tydata.${ext}`);

/** The data files a template's cascade reads, lowest first, with the JavaScript ones beside. */
function cascadeFiles(rel: string): { json: string[]; js: string[] } {
  const { dirs, base } = split(rel);
  const json: string[] = [];
  const js: string[] = [];
  for (let i = 1; i <= dirs.length; i++) {
    const dir = `${dirs.slice(0, i).join('/')}/`;
    json.push(...JSON_DATA(dir, dirs[i - 1]!));
    js.push(...JS_DATA(dir, dirs[i - 1]!));
  }
  const here = dirs.length ? `${dirs.join('/')}/` : '';
  json.push(...JSON_DATA(here, base));
  js.push(...JS_DATA(here, base));
  return { json, js };
}

async function ignoreLines(file: string, base: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'))
    .map((l) => path.posix.join(base, l.replace(/^\.\//, '')));
}

/** Reads what the cascade of these files needs: data files (JSON) and ignore files. */
export async function prepareEleventy(site: Site, contentDir: string, files: readonly string[]): Promise<void> {
  const json = new Map<string, Record<string, unknown>>();
  const js = new Set<string>();
  const wanted = new Set<string>();
  const wantedJs = new Set<string>();
  for (const rel of files) {
    const c = cascadeFiles(rel);
    c.json.forEach((f) => wanted.add(f));
    c.js.forEach((f) => wantedJs.add(f));
  }
  for (const f of wanted) {
    const text = await readFile(path.join(contentDir, f), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    try {
      const data: unknown = JSON.parse(text);
      if (data && typeof data === 'object' && !Array.isArray(data)) json.set(f, data as Record<string, unknown>);
    } catch {
      // Eleventy stops on a data file it cannot parse; the file's page says nothing of it here.
    }
  }
  for (const f of wantedJs)
    if (
      await readFile(path.join(contentDir, f)).then(
        () => true,
        () => false,
      )
    )
      js.add(f);
  // Ignore files name paths from the project's root; ours are relative to the input folder.
  const fromRoot = path.relative(site.root, contentDir).split(path.sep).join('/');
  const patterns = [
    ...(await ignoreLines(path.join(site.root, '.eleventyignore'), '')),
    ...(await ignoreLines(path.join(site.root, '.gitignore'), '')),
    ...(fromRoot ? await ignoreLines(path.join(contentDir, '.eleventyignore'), fromRoot) : []),
  ].flatMap((p) => [p.replace(/\/$/, ''), `${p.replace(/\/$/, '')}/**`]);
  const match = patterns.length ? picomatch(patterns, { dot: true }) : () => false;
  const always = picomatch(['_includes/**', '_data/**', '_site/**', '**/node_modules/**']);
  loaded.set(site, {
    digest: JSON.stringify([[...json], [...js], patterns]),
    json,
    js,
    ignored: (rel) => always(rel) || match(fromRoot ? `${fromRoot}/${rel}` : rel),
  });
}

/** Eleventy's deep merge: objects merged, arrays joined. */
export function eleventyMerge(into: Record<string, unknown>, from: Record<string, unknown>): Record<string, unknown> {
  const out = { ...into };
  for (const [k, v] of Object.entries(from)) {
    const before = out[k];
    if (Array.isArray(before) && Array.isArray(v)) out[k] = [...new Set<unknown>([...(before as unknown[]), ...(v as unknown[])])];
    else if (before && v && typeof before === 'object' && typeof v === 'object' && !Array.isArray(before) && !Array.isArray(v)) {
      out[k] = eleventyMerge(before as Record<string, unknown>, v as Record<string, unknown>);
    } else out[k] = v;
  }
  return out;
}

/** The data the cascade gives a template, under its front matter. */
export function eleventyDefaults(rel: string, site: Site): Record<string, unknown> {
  const data = loaded.get(site);
  if (!data) return {};
  let out: Record<string, unknown> = {};
  for (const f of cascadeFiles(rel).json) {
    const found = data.json.get(f);
    if (found) out = eleventyMerge(out, found);
  }
  return out;
}

const stripDate = (s: string) => /\d{4}-\d{2}-\d{2}-(.*)/.exec(s)?.[1] ?? s;

/** A Liquid or Nunjucks output in a permalink, evaluated when Quire knows all of it. */
function evaluate(expr: string, vars: Record<string, unknown>): string | undefined {
  const [head, ...filters] = expr.split('|').map((s) => s.trim());
  if (!head || !/^[\w.]+$/.test(head)) return undefined;
  const v: unknown = head
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), vars);
  if (v === undefined || v === null) return undefined;
  let s = v instanceof Date ? v.toISOString() : typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  if (s === undefined) return undefined;
  for (const f of filters) {
    // Eleventy's slugify filter is @sindresorhus/slugify (quotes dropped); slug the older `slugify` package, lower case.
    if (f === 'slugify') s = slugify(s, { decamelize: false, customReplacements: [["'", '']] });
    else if (f === 'slug')
      s = s
        .toLowerCase()
        .replace(/[^\w\s-]/g, '')
        .trim()
        .replace(/[\s_]+/g, '-');
    else if (f === 'lower' || f === 'downcase') s = s.toLowerCase();
    else if (f === 'url') continue;
    else return undefined;
  }
  return s;
}

export function eleventyReading(f: SourceFacts): GeneratorReading {
  const data = loaded.get(f.site);
  if (data?.ignored(f.rel)) return { skip: 'ignored by Eleventy (.eleventyignore, .gitignore, _includes, _data or _site)' };
  const { dirs, base } = split(f.rel);
  const fileSlug = stripDate(base) === 'index' ? stripDate(dirs[dirs.length - 1] ?? '') : stripDate(base);
  const filePathStem = `/${[...dirs, stripDate(base)].join('/')}`;
  const fromPath = /(\d{4}-\d{2}-\d{2})/.exec(f.rel)?.[1];
  const date = !f.date && fromPath ? new Date(`${fromPath}T00:00:00Z`) : undefined;
  const jsFiles = data ? cascadeFiles(f.rel).js.filter((j) => data.js.has(j)) : [];
  // TemplatePermalink.generate: folders, then the name unless index or the folder's own name.
  const dupe = dirs[dirs.length - 1] === base;
  const fallback = exactPath(`/${[...dirs, ...(base !== 'index' && !dupe ? [base] : [])].join('/')}/`);
  const js = jsFiles.length
    ? `${jsFiles.join(', ')} (JavaScript, which Quire does not run) may set values of this page, its permalink among them`
    : undefined;
  let permalink = value(f.data, 'permalink');
  if (permalink && typeof permalink === 'object' && !Array.isArray(permalink)) permalink = (permalink as Record<string, unknown>).build;
  if (typeof permalink !== 'string' || !permalink.trim()) {
    return { path: fallback, ...(date && { date }), ...(js && { note: `${js}; Eleventy's default URL is used` }) };
  }
  const vars = { ...f.data, page: { fileSlug, filePathStem, date: f.date ?? date, inputPath: `./${f.rel}`, outputFileExtension: 'html' } };
  let unknown: string | undefined;
  const rendered = permalink.replace(/\{\{-?\s*(.+?)\s*-?\}\}/g, (whole, expr: string) => {
    const v = evaluate(expr, vars);
    if (v === undefined) unknown ??= whole;
    return v ?? '';
  });
  if (unknown || /\{%/.test(permalink)) {
    const what = unknown ?? permalink;
    return {
      path: fallback,
      ...(date && { date }),
      note: `permalink "${permalink}" holds ${what}, which Quire cannot evaluate (a filter or tag of the site's own code); Eleventy's default URL is used`,
    };
  }
  const url = `/${rendered.replace(/^\.?\/+/, '')}`.replace(/\/index\.html$/, '/');
  return { path: exactPath(url), ...(date && { date }) };
}

export const eleventyDigest = (site: Site) => loaded.get(site)?.digest ?? '';
