// Jekyll's reading of a site's files, from Jekyll's source (lib/jekyll/):
// - reader.rb, entry_filter.rb: a file or folder whose name starts with . _ # or ~ is not
//   read, nor one matching `exclude` (a glob, or a path prefix), unless `include` names it;
//   `_posts` and `_drafts` folders are read wherever they are, and each collection's
//   `_label` folder (under `collections_dir`). A page needs front matter: a file without it
//   is copied as it is (a static file), so it is no page; a post needs a dated name.
// - collection.rb, configuration.rb: a collection with `output: false` writes no page; the
//   posts' pattern is `collections.posts.permalink`, else the site's `permalink` style
//   (`date` by default: /:categories/:year/:month/:day/:title:output_ext).
// - frontmatter_defaults.rb: `defaults` give a file values for what its front matter lacks,
//   by path prefix (or glob) and type (posts, pages, drafts, a collection), the most
//   specific scope winning.
// - page.rb, url.rb, drops/url_drop.rb, utils.rb: a page's URL is /:path/:basename with the
//   permalink style's ending (/, or :output_ext = .html, or none); a document's is its
//   collection's pattern; a front matter `permalink` wins; :title is the slug (or the file
//   name after its date) slugified "pretty" and cased, :categories the categories lower-cased
//   (a post's folders above _posts among them); "/" squeezed, ".." made "/".
import path from 'node:path';
import picomatch from 'picomatch';
import type { Site } from '../site.js';
import { dayOf, exactPath, type GeneratorReading, pad2, perSite, type SourceFacts, split, value } from './common.js';

type Kind = { kind: 'post' | 'draft' | 'page' } | { kind: 'collection'; label: string } | { kind: 'none'; why: string };

interface Collection {
  label: string;
  output: boolean;
  permalink?: string;
}

interface JekyllSettings {
  style: string;
  timezone?: string;
  collections: Map<string, Collection>;
  collectionsDir: string;
  defaults: { path: string; type?: string; values: Record<string, unknown> }[];
  excluded: (rel: string) => boolean;
  included: (rel: string) => boolean;
}

const STYLES: Record<string, string> = {
  none: '/:categories/:title:output_ext',
  date: '/:categories/:year/:month/:day/:title:output_ext',
  ordinal: '/:categories/:year/:y_day/:title:output_ext',
  pretty: '/:categories/:year/:month/:day/:title/',
  weekdate: '/:categories/:year/W:week/:short_day/:title:output_ext',
};

const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Ruby's File.fnmatch without FNM_PATHNAME (a * crosses /), or a path prefix, as glob_include? matches. */
function matcher(patterns: string[]): (rel: string) => boolean {
  const tests = patterns.map((p) => {
    const clean = p.replace(/^\/+/, '');
    const glob = picomatch.makeRe(clean.replace(/\*+/g, '**'), { dot: true });
    return (rel: string) => glob.test(rel) || rel.startsWith(clean) || rel === clean.replace(/\/$/, '');
  });
  return (rel) => tests.some((t) => t(rel));
}

const settings = perSite((site: Site): JekyllSettings => {
  const c = site.config;
  const style = typeof c.permalink === 'string' ? c.permalink : 'date';
  const collections = new Map<string, Collection>();
  const raw = Array.isArray(c.collections) ? Object.fromEntries(strings(c.collections).map((l) => [l, {}])) : obj(c.collections);
  for (const [label, meta] of Object.entries(raw)) {
    const m = obj(meta);
    collections.set(label, { label, output: m.output === true, ...(typeof m.permalink === 'string' && { permalink: m.permalink }) });
  }
  const posts = collections.get('posts');
  collections.set('posts', { label: 'posts', output: true, permalink: posts?.permalink ?? STYLES[style] ?? style });
  const defaults = (Array.isArray(c.defaults) ? c.defaults : []).flatMap((set) => {
    const s = obj(set);
    const scope = obj(s.scope);
    if (!s.values || typeof s.values !== 'object') return [];
    const type = typeof scope.type === 'string' ? ({ page: 'pages', post: 'posts', draft: 'drafts' }[scope.type] ?? scope.type) : undefined;
    const p = typeof scope.path === 'string' ? scope.path.replace(/^\/|\/$/g, '') : '';
    return [{ path: p, ...(type && { type }), values: obj(s.values) }];
  });
  const include = strings(c.include);
  const exclude = [
    ...strings(c.exclude),
    '.sass-cache',
    '.jekyll-cache',
    'gemfiles',
    'Gemfile',
    'Gemfile.lock',
    'node_modules',
    'vendor/bundle/',
    'vendor/cache/',
    'vendor/gems/',
    'vendor/ruby/',
  ];
  return {
    style,
    ...(typeof c.timezone === 'string' && { timezone: c.timezone }),
    collections,
    collectionsDir: typeof c.collections_dir === 'string' ? c.collections_dir.replace(/^\/|\/$/g, '') : '',
    defaults,
    excluded: matcher(exclude.filter((p) => !include.includes(p))),
    included: matcher(include),
  };
});

const SPECIAL = /^[._#~]/;

/** What Jekyll makes of a file at `rel` (relative to the site's source). */
function kindOf(rel: string, js: JekyllSettings): Kind {
  if (js.excluded(rel) && !js.included(rel))
    return { kind: 'none', why: "excluded by the site's exclude setting: Jekyll does not read it" };
  const parts = rel.split('/');
  const file = parts[parts.length - 1]!;
  const dirs = parts.slice(0, -1);
  const inColl = js.collectionsDir ? `${js.collectionsDir}/` : '';
  for (const [label, c] of js.collections) {
    if (label === 'posts') continue;
    const dir = `${inColl}_${label}/`;
    if (!rel.startsWith(dir)) continue;
    if (
      rel
        .slice(dir.length)
        .split('/')
        .some((p) => SPECIAL.test(p))
    )
      return { kind: 'none', why: `a file of the ${label} collection Jekyll does not read (its name starts with _ or .)` };
    return c.output
      ? { kind: 'collection', label }
      : { kind: 'none', why: `the ${label} collection has output: false: Jekyll writes no page for it` };
  }
  const special = dirs.findIndex((d) => d === '_posts' || d === '_drafts');
  const above = special >= 0 ? dirs.slice(0, special) : dirs;
  const below = special >= 0 ? dirs.slice(special + 1) : [];
  const hidden =
    [...above, ...(special < 0 ? [file] : [])].some((p) => SPECIAL.test(p) && !js.included(p)) ||
    below.some((p) => p.startsWith('.')) ||
    SPECIAL.test(file);
  if (hidden) return { kind: 'none', why: 'in a folder (or named) starting with _ or .: Jekyll does not read it' };
  if (special >= 0 && js.collectionsDir && !rel.startsWith(inColl))
    return { kind: 'none', why: `posts are read from ${js.collectionsDir} (collections_dir)` };
  if (special < 0) return { kind: 'page' };
  return { kind: dirs[special] === '_posts' ? 'post' : 'draft' };
}

/** Jekyll's Utils.slugify, "pretty" mode, cased. */
const slugifyPretty = (s: string) => s.replace(/[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu, '-').replace(/^-|-$/g, '');

const DATE_NAME = /^(\d{2,4}-\d{1,2}-\d{1,2})-(.*)$/;

/** The defaults that apply to a file, merged as FrontmatterDefaults#all merges them. */
export function jekyllDefaults(file: string, site: Site): Record<string, unknown> {
  const js = settings(site);
  const rel = path.posix.join(site.contentPath, file);
  const k = kindOf(rel, js);
  const type =
    k.kind === 'post'
      ? 'posts'
      : k.kind === 'draft'
        ? 'drafts'
        : k.kind === 'page'
          ? 'pages'
          : k.kind === 'collection'
            ? k.label
            : undefined;
  let out: Record<string, unknown> = {};
  let best: { path: string; type?: string } | undefined;
  for (const set of js.defaults) {
    if (set.type && set.type !== type) continue;
    if (set.path) {
      const scope =
        js.collectionsDir && set.path.startsWith(`${js.collectionsDir}/`) ? set.path.slice(js.collectionsDir.length + 1) : set.path;
      const ok = scope.includes('*') ? picomatch.isMatch(rel, `${scope}{,/**}`, { dot: true }) : rel.startsWith(scope);
      if (!ok) continue;
    }
    // The longer path wins; at equal length, one with a type.
    const wins = !best || (set.path.length !== best.path.length ? set.path.length >= best.path.length : !!set.type || !best.type);
    out = wins ? { ...out, ...set.values } : { ...set.values, ...out };
    if (wins) best = set;
  }
  return out;
}

/** A date's parts in the site's time zone (Jekyll converts dates to it), else as written. */
function dateParts(raw: unknown, parsed: Date | undefined, timezone: string | undefined) {
  if (parsed && timezone && typeof raw === 'string' && /[+-]\d{2}:?\d{2}\s*$|Z\s*$/i.test(raw.trim())) {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: 'numeric', day: 'numeric' })
        .formatToParts(parsed)
        .map((p) => [p.type, p.value]),
    );
    return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day) };
  }
  if (parsed && typeof raw === 'string' && /[+-]\d{2}:?\d{2}\s*$|Z\s*$/i.test(raw.trim())) {
    return { year: parsed.getUTCFullYear(), month: parsed.getUTCMonth() + 1, day: parsed.getUTCDate() };
  }
  return dayOf(raw, parsed);
}

export function jekyllReading(f: SourceFacts): GeneratorReading {
  const js = settings(f.site);
  const rel = path.posix.join(f.site.contentPath, f.rel);
  const k = kindOf(rel, js);
  if (k.kind === 'none') return { skip: k.why };
  const hasFrontMatter = f.hasFrontMatter;
  if (k.kind === 'page' && !hasFrontMatter) return { skip: 'no front matter: Jekyll copies the file as it is (a static file), no page' };
  const { dirs, base } = split(rel);
  const dated = DATE_NAME.exec(base);
  if (k.kind === 'post' && !dated)
    return { skip: 'a file in _posts whose name does not start with a date (YYYY-MM-DD-title): Jekyll does not read it as a post' };
  const data = f.data;
  const fileDate = dated
    ? new Date(
        Date.UTC(
          ...((dated[1]!.split('-').map(Number) as [number, number, number]).map((n, i) => (i === 1 ? n - 1 : n)) as [
            number,
            number,
            number,
          ]),
        ),
      )
    : undefined;
  const rawDate = value(data, 'date');
  const date = f.date ?? fileDate;
  const day =
    rawDate !== undefined
      ? dateParts(rawDate, f.date, js.timezone)
      : fileDate && { year: fileDate.getUTCFullYear(), month: fileDate.getUTCMonth() + 1, day: fileDate.getUTCDate() };
  const ending = (t: string) => {
    if (js.style === 'pretty' || js.style.endsWith('/')) return `${t}/`;
    if (['date', 'ordinal', 'none', 'weekdate'].includes(js.style) || js.style.endsWith(':output_ext')) return `${t}:output_ext`;
    return t;
  };
  let template: string;
  const placeholders: Record<string, string> = { output_ext: '.html' };
  if (k.kind === 'page') {
    template = base === 'index' ? '/:path/' : ending('/:path/:basename');
    Object.assign(placeholders, { path: `/${dirs.join('/')}/`, basename: base.replace(/\.+$/, '') });
  } else {
    const label = k.kind === 'collection' ? k.label : 'posts';
    const coll = js.collections.get(label)!;
    template = coll.permalink ? (STYLES[coll.permalink] ?? coll.permalink) : ending('/:collection/:path');
    const slugSource = value(data, 'slug');
    const slug = (typeof slugSource === 'string' || typeof slugSource === 'number' ? String(slugSource) : dated ? dated[2]! : base).replace(
      /\.+$/,
      '',
    );
    const collDir = k.kind === 'collection' ? `${js.collectionsDir ? `${js.collectionsDir}/` : ''}_${label}` : '';
    const cleaned = rel
      .replace(/\.[^./]+$/, '')
      .replace(collDir, '')
      .replace(/\.+$/, '');
    const categories = new Set<string>();
    if (k.kind === 'post' || k.kind === 'draft') {
      const special = dirs.findIndex((d) => d === '_posts' || d === '_drafts');
      for (const d of dirs.slice(0, special)) if (d) categories.add(d.toLowerCase());
    }
    for (const key of ['categories', 'category']) {
      const v = value(data, key);
      for (const c of typeof v === 'string' ? v.split(/\s+/) : Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]) {
        if (c !== null && c !== undefined && String(c)) categories.add(String(c).toLowerCase());
      }
    }
    const yday = day ? Math.round((Date.UTC(day.year, day.month - 1, day.day) - Date.UTC(day.year, 0, 1)) / 86_400_000) + 1 : 0;
    Object.assign(placeholders, {
      collection: label,
      path: cleaned,
      name: slugifyPretty(base).toLowerCase(),
      title: slugifyPretty(slug),
      slug: slug
        .replace(/[^\p{M}\p{L}\p{Nd}]+/gu, '-')
        .replace(/^-|-$/g, '')
        .toLowerCase(),
      categories: [...categories].join('/'),
      slugified_categories: [...categories].map((c) => c.replace(/[^\p{M}\p{L}\p{Nd}]+/gu, '-').replace(/^-|-$/g, '')).join('/'),
      year: day ? String(day.year) : '',
      short_year: day ? String(day.year).slice(2) : '',
      month: day ? pad2(day.month) : '',
      i_month: day ? String(day.month) : '',
      day: day ? pad2(day.day) : '',
      i_day: day ? String(day.day) : '',
      y_day: day ? String(yday).padStart(3, '0') : '',
    });
  }
  const permalink = value(data, 'permalink');
  const pattern = typeof permalink === 'string' && permalink ? permalink : template;
  const filled = pattern.replace(
    /:([a-z_]+)/g,
    (whole, name: string) => placeholders[name] ?? placeholders[name.replace(/_$/, '')] ?? whole,
  );
  // URL#sanitize_url: a leading slash, ".." made "/", "./" dropped, slashes squeezed.
  const url = `/${filled}`.replace(/\.\./g, '/').replace(/\.\//g, '').replace(/\/+/g, '/');
  return { path: exactPath(url), ...(date && !f.date && { date }) };
}
