// Hugo's reading of a content file: its language from the language's content folder, and
// the URL it writes the page at. From Hugo's source:
// - resources/page/page_paths.go (CreateTargetPaths): a front matter `url` is kept as
//   written (a slash added when it names no file); otherwise the section's permalink
//   pattern, else the folders and the slug (or the file's name, or a bundle's folder), then
//   an index.html (a trailing slash) or, with uglyURLs, ".html"; all of it sanitized;
// - common/paths/path.go (Sanitize): letters, digits, marks and . / \ _ # + ~ - @ stay,
//   spaces become hyphens, anything else goes; helpers/path.go lower-cases the result
//   unless disablePathToLower;
// - resources/page/permalinks.go: the :year :month :day :section :slug :title :filename
//   :slugorfilename :contentbasename tokens, :title and :slug urlized (sanitized, lower case);
// - resources/page/pagemeta/page_frontmatter.go: a date (and slug) from the file name only
//   when the `frontmatter` configuration asks for ":filename";
// - languages: each language's `contentDir`, a `.fr.md` suffix, and the URL prefix for
//   every language but the default (and for it too with defaultContentLanguageInSubdir).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { splitFrontMatter } from '../front-matter.js';
import type { Site } from '../site.js';
import { dayOf, exactPath, type GeneratorReading, pad2, perSite, type SourceFacts, split, text, value } from './common.js';

interface HugoSettings {
  defaultLang: string;
  inSubdir: boolean;
  /** Content folders (absolute), each with its language. */
  contentDirs: [string, string][];
  /** The default language's content folder (absolute). */
  contentDir: string;
  languages: Set<string>;
  /** Section (lower case) -> pattern. */
  permalinks: Map<string, string>;
  ugly: (section: string) => boolean;
  toLower: boolean;
  filenameDates: boolean;
}

const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const lowerKeys = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));

const settings = perSite((site: Site): HugoSettings => {
  const c = lowerKeys(site.config);
  const defaultLang = (typeof c.defaultcontentlanguage === 'string' ? c.defaultcontentlanguage : 'en').toLowerCase();
  const contentDir = path.resolve(site.root, typeof c.contentdir === 'string' ? c.contentdir : 'content');
  const contentDirs: [string, string][] = [];
  const languages = new Set<string>([defaultLang]);
  for (const [key, conf] of Object.entries(obj(c.languages))) {
    const lang = key.toLowerCase();
    languages.add(lang);
    const dir = lowerKeys(obj(conf)).contentdir;
    if (typeof dir === 'string') contentDirs.push([lang, path.resolve(site.root, dir)]);
  }
  // Module mounts put folders into the content tree, each for a language (config/allconfig, module.mounts).
  const mounts = lowerKeys(obj(c.module)).mounts;
  for (const mount of Array.isArray(mounts) ? mounts : []) {
    const m = lowerKeys(obj(mount));
    if (typeof m.source !== 'string' || typeof m.target !== 'string' || m.target.replace(/\/+$/, '') !== 'content') continue;
    contentDirs.push([typeof m.lang === 'string' ? m.lang.toLowerCase() : defaultLang, path.resolve(site.root, m.source)]);
  }
  // The deepest folder first: a language's folder inside another's.
  contentDirs.sort((a, b) => b[1].length - a[1].length);
  // `permalinks` maps sections to patterns; newer Hugo nests them under a kind ({ page: { posts: … } }).
  const permalinks = new Map<string, string>();
  const raw = lowerKeys(obj(c.permalinks));
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string') permalinks.set(k, v);
  }
  for (const [k, v] of Object.entries(obj(raw.page))) if (typeof v === 'string') permalinks.set(k.toLowerCase(), v);
  const uglyConf = c.uglyurls;
  const uglySections = lowerKeys(obj(uglyConf));
  const fm = lowerKeys(obj(c.frontmatter));
  const dateKeys = ([] as unknown[]).concat(fm.date ?? []).map((x) => String(x).toLowerCase());
  return {
    defaultLang,
    // Only a site of several languages puts the default one in a folder (Hugo's IsMultiLingual).
    inSubdir: c.defaultcontentlanguageinsubdir === true && languages.size > 1,
    contentDirs,
    contentDir,
    languages,
    permalinks,
    ugly: (section) => uglyConf === true || uglySections[section] === true,
    toLower: c.disablepathtolower !== true,
    filenameDates: dateKeys.includes(':filename'),
  };
});

const featured = new WeakMap<Site, Map<string, string>>();
const cascades = new WeakMap<Site, Map<string, Record<string, unknown>>>();
const IMAGE = /\.(png|jpe?g|gif|webp|avif|svg|bmp|tiff?)$/i;
const FEATURE = picomatch('*feature*', { nocase: true });
const COVER = picomatch('{*cover*,*thumbnail*}', { nocase: true });

/**
 * A leaf bundle's featured image, as Hugo's own templates find it when front matter names
 * none (tpl/tplimpl/embedded/templates/_partials/_funcs/get-page-images.html): the first
 * image resource matching *feature*, else *cover* or *thumbnail*.
 */
export async function prepareHugo(site: Site, contentDir: string, files: readonly string[]): Promise<void> {
  const found = new Map<string, string>();
  // Front matter `cascade` of a section's _index.md: values for every page below it
  // (gohugo.io/content-management/front-matter/#cascade). Entries with a target are left out.
  const cascade = new Map<string, Record<string, unknown>>();
  for (const rel of files) {
    if (!/(^|\/)_index(\.[\w-]+)?\.(md|markdown|mdx)$/i.test(rel)) continue;
    const text = await readFile(path.join(contentDir, rel), 'utf8').catch(() => '');
    const split = splitFrontMatter(rel, text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
    const raw = split.ok ? value(split.data, 'cascade') : undefined;
    const entries = (Array.isArray(raw) ? raw : [raw]).filter(
      (e): e is Record<string, unknown> => !!e && typeof e === 'object' && !Array.isArray(e),
    );
    const values = entries.filter((e) => value(e, '_target') === undefined && value(e, 'target') === undefined);
    if (values.length)
      cascade.set(path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel), Object.assign({}, ...values) as Record<string, unknown>);
  }
  cascades.set(site, cascade);
  for (const rel of files) {
    if (!/(^|\/)index(\.[\w-]+)?\.(md|markdown|mdx)$/i.test(rel) || !rel.includes('/')) continue;
    const dir = path.posix.dirname(rel);
    if (found.has(dir)) continue;
    const names = (await readdir(path.join(contentDir, dir)).catch(() => [] as string[])).filter((n) => IMAGE.test(n)).sort();
    const image = names.find((n) => FEATURE(n)) ?? names.find((n) => COVER(n));
    if (image) found.set(dir, image);
  }
  featured.set(site, found);
}

export const hugoDigest = (site: Site) => JSON.stringify([[...(featured.get(site) ?? [])], [...(cascades.get(site) ?? [])]]);

/** What the cascades of the sections above a file give it, the nearest section winning. */
export function hugoDefaults(rel: string, site: Site): Record<string, unknown> {
  const cascade = cascades.get(site);
  if (!cascade?.size) return {};
  const dirs = rel.split('/').slice(0, -1);
  let out: Record<string, unknown> = {};
  for (let i = 0; i <= dirs.length; i++) {
    const found = cascade.get(dirs.slice(0, i).join('/'));
    if (found) out = { ...out, ...found };
  }
  return out;
}

/** Hugo's paths.Sanitize: what may stay in a path; spaces become hyphens. */
export function sanitize(s: string): string {
  let out = '';
  let pendingHyphen = false;
  let wasHyphen = false;
  for (let i = 0; i < s.length;) {
    const ch = String.fromCodePoint(s.codePointAt(i)!);
    const allowed =
      ch !== ' ' && (/[\p{L}\p{N}\p{M}./\\_#+~\-@]/u.test(ch) || (ch === '%' && /^[0-9a-f]{2}$/i.test(s.slice(i + 1, i + 3))));
    if (allowed) {
      wasHyphen = ch === '-';
      if (pendingHyphen && !wasHyphen) out += '-';
      pendingHyphen = false;
      out += ch;
    } else if (out && !wasHyphen && /\s/u.test(ch)) pendingHyphen = true;
    i += ch.length;
  }
  return out;
}

/** Hugo's urlize: sanitized and lower-cased. */
const urlize = (s: string) => sanitize(s).toLowerCase();

/** A date and slug from a file name ("2024-05-20-my-post", "2024-05-20 my post"), as page_frontmatter.go reads it. */
function dateFromName(base: string): { date: Date; rest: string } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T_-](\d{2})-(\d{2})-(\d{2}))?(.*)$/.exec(base);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((x) => Number(x ?? 0));
  const date = new Date(Date.UTC(y!, mo! - 1, d, h, mi, s));
  if (date.getUTCDate() !== d) return undefined;
  return { date, rest: m[7]!.replace(/^[ _-]+|[ _-]+$/g, '') };
}

const DATE_KEYS = ['date', 'publishdate', 'pubdate', 'published', 'lastmod', 'modified'];

export function hugoReading(f: SourceFacts): GeneratorReading {
  const hs = settings(f.site);
  const abs = path.resolve(f.site.root, f.site.contentPath, f.rel);
  // The language whose content folder holds the file, and the file's path inside it.
  let lang: string | undefined;
  let rel = path.relative(hs.contentDir, abs);
  for (const [l, dir] of hs.contentDirs) {
    if (abs.startsWith(dir + path.sep)) {
      lang = l;
      rel = path.relative(dir, abs);
      break;
    }
  }
  if (rel.startsWith('..')) rel = f.rel;
  rel = rel.split(path.sep).join('/');
  const { dirs, base: withLang } = split(rel);
  const suffix = /^(.+)\.([a-z]{2,3}(?:-[a-z0-9]+)?)$/i.exec(withLang);
  let base = withLang;
  if (suffix && hs.languages.has(suffix[2]!.toLowerCase())) {
    base = suffix[1]!;
    lang = suffix[2]!.toLowerCase();
  }
  lang ??= hs.defaultLang;
  const bundle = base.toLowerCase() === 'index';
  const container = bundle ? dirs.slice(0, -1) : dirs;
  let name = bundle ? (dirs[dirs.length - 1] ?? base) : base;
  let date: Date | undefined;
  let slug = text(f.data, 'slug');
  if (hs.filenameDates) {
    const dated = dateFromName(name);
    if (dated) {
      name = dated.rest;
      date = dated.date;
      slug ??= dated.rest;
    }
  }
  const prefix = lang !== hs.defaultLang || hs.inSubdir ? `/${lang}` : '';
  const image = bundle ? featured.get(f.site)?.get(path.posix.dirname(f.rel)) : undefined;
  const reading: GeneratorReading = { ...(lang !== hs.defaultLang && { lang }), ...(date && !f.date && { date }), ...(image && { image }) };

  const done = (reading: GeneratorReading): GeneratorReading => ({ ...reading, ...hugoAliases(f, reading.path, prefix) });
  const url = text(f.data, 'url');
  if (url) {
    // Kept as written; a URL naming no file gets its index.html, so a trailing slash.
    const named = /\.[^/]+$/.test(url) || url.endsWith('/') ? url : `${url}/`;
    return done({ ...reading, path: exactPath(url.startsWith('/') ? named : `${prefix}/${named}`) });
  }
  const section = (container[0] ?? '').toLowerCase();
  const pattern = hs.permalinks.get(section);
  let out: string;
  if (pattern) {
    const rawDate = DATE_KEYS.map((k) => value(f.data, k)).find((v) => v !== undefined && v !== null && v !== '');
    const day = dayOf(rawDate, f.date ?? date);
    const title = text(f.data, 'title') ?? '';
    const tokens: Record<string, () => string> = {
      year: () => (day ? String(day.year) : ''),
      month: () => (day ? pad2(day.month) : ''),
      day: () => (day ? pad2(day.day) : ''),
      yearday: () =>
        day ? String(Math.round((Date.UTC(day.year, day.month - 1, day.day) - Date.UTC(day.year, 0, 1)) / 86_400_000) + 1) : '',
      section: () => section,
      sections: () => container.join('/'),
      title: () => urlize(title),
      slug: () => urlize(slug ?? title),
      filename: () => urlize(name),
      slugorfilename: () => urlize(slug ?? name),
      contentbasename: () => urlize(name),
      slugorcontentbasename: () => urlize(slug ?? name),
    };
    out = pattern.replace(/:(\w+)/g, (whole, token: string) => tokens[token.toLowerCase()]?.() ?? whole);
  } else {
    out = [...container, slug ?? name].join('/');
  }
  out = sanitize(out);
  if (hs.toLower) out = out.toLowerCase();
  const trimmed = out.replace(/^\/+|\/+$/g, '');
  const page = hs.ugly(section) ? `/${trimmed}.html` : `/${trimmed}/`;
  return done({ ...reading, path: exactPath(`${prefix}${page}`) });
}

/**
 * Aliases as Hugo writes them (hugolib/page__output.go, Aliases): a relative one against the
 * parent of the page's folder, an absolute one under the language's prefix.
 */
function hugoAliases(f: SourceFacts, pagePath: string | undefined, prefix: string): Pick<GeneratorReading, 'aliases'> {
  const raw = value(f.data, 'aliases');
  const list = (Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : []).filter(
    (a): a is string => typeof a === 'string' && !!a.trim(),
  );
  if (!list.length || !pagePath) return {};
  const parent = path.posix.dirname(pagePath.replace(/\/$/, ''));
  return { aliases: list.map((a) => (a.startsWith('/') ? path.posix.join('/', prefix, a) : path.posix.join(parent, a))) };
}
