// Zola's reading of a page (components/content/src/page.rs, Page::parse): its slug is the
// front matter's `slug`, else the file's name (a bundle's folder for index.md) with a
// leading date (YYYY-MM-DD, optionally a time, then _ or -) taken off unless
// `slugify.paths_keep_dates`, slugified by `slugify.paths` ("on": the slug crate, lower-case
// ASCII and hyphens; "safe": characters unsafe in paths removed; "off": as written); its
// path is the front matter's `path` as written, else its folders (as named) and the slug,
// under /<lang>/ outside the default language, always with a trailing slash. Its date is
// the front matter's, else the file name's.
import slugify from '@sindresorhus/slugify';
import { perSite, exactPath, type GeneratorReading, type SourceFacts, split, text } from './common.js';
import type { Site } from '../site.js';

const RFC3339_DATE =
  /^(\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:T(?:[01]\d|2[0-3]):[0-5]\d:(?:[0-5]\d|60)(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?)(?:\s?[_-](.+))?$/;

const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

const settings = perSite((site: Site) => {
  const s = obj(site.config.slugify);
  const languages = new Set(Object.keys(obj(site.config.languages)));
  return {
    strategy: typeof s.paths === 'string' ? s.paths : 'on',
    keepDates: s.paths_keep_dates === true,
    defaultLang: typeof site.config.default_language === 'string' ? site.config.default_language : 'en',
    languages,
  };
});

function slugifyPaths(s: string, strategy: string): string {
  if (strategy === 'off') return s;
  if (strategy === 'safe') return s.replace(/[<>:/|?*#\\"'().\s]+/g, (m) => (/\s/.test(m) ? '-' : '')).trim();
  return slugify(s, { decamelize: false, customReplacements: [] });
}

export function zolaReading(f: SourceFacts): GeneratorReading {
  const zs = settings(f.site);
  const { dirs, base: withLang } = split(f.rel);
  const suffix = /^(.+)\.([A-Za-z-]+)$/.exec(withLang);
  const lang = suffix && zs.languages.has(suffix[2]!) ? suffix[2]! : undefined;
  const base = lang ? suffix![1]! : withLang;
  const name = base === 'index' ? (dirs[dirs.length - 1] ?? base) : base;
  const components = base === 'index' ? dirs.slice(0, -1) : dirs;
  const dated = RFC3339_DATE.exec(name);
  const date = dated ? new Date(dated[1]!.length === 10 ? `${dated[1]}T00:00:00Z` : dated[1]!) : undefined;
  const slug = slugifyPaths(text(f.data, 'slug') ?? (dated?.[2] && !zs.keepDates ? dated[2] : name), zs.strategy);
  const own = text(f.data, 'path');
  const prefix = lang && lang !== zs.defaultLang ? `/${lang}` : '';
  const path = own ? `/${own.trim().replace(/^\//, '')}` : `${prefix}/${[...components, slug].join('/')}`;
  return { path: exactPath(`${path}/`), ...(lang && { lang }), ...(date && !f.date && !Number.isNaN(date.getTime()) && { date }) };
}
