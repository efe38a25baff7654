// What every generator's rules read of a file, and small helpers they share.
import type { PathInfo } from '../paths.js';
import type { Site } from '../site.js';

export interface SourceFacts {
  /** Relative to the content folder, as listed ("blog/2024/x.md"). */
  rel: string;
  /** The front matter as written (keys as written), over the defaults the generator gives the file. */
  data: Record<string, unknown>;
  /** Whether the file has front matter at all. */
  hasFrontMatter: boolean;
  /** Quire's reading, for what the generator leaves to Quire. */
  title: string;
  date: Date | undefined;
  lang: string;
  defaultLang: string;
  categories: string[];
  info: PathInfo;
  site: Site;
}

/** What a generator makes of a file: each part only when its rule decides it. */
export interface GeneratorReading {
  /** The URL path the generator writes the file's page at, exactly (trailing slash or not). */
  path?: string;
  /** Why the generator writes no page for the file. */
  skip?: string;
  /** The date the generator takes (from the file name, say) when front matter has none. */
  date?: Date;
  /** The language the generator puts it in (a Hugo language's content folder). */
  lang?: string;
  /** Its old URLs as the generator resolves them (Hugo's relative aliases). */
  aliases?: string[];
  /** The page's image when front matter names none (a Hugo bundle's featured image), relative to the file. */
  image?: string;
  /** What Quire could not read as the generator does (an `approximated` warning). */
  note?: string;
}

/** A front matter value by key, matched case-insensitively (Hugo's keys are; most blogs' are lower case). */
export function value(data: Record<string, unknown>, key: string): unknown {
  const lower = key.toLowerCase();
  const found = Object.keys(data).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : data[found];
}

export function text(data: Record<string, unknown>, key: string): string | undefined {
  const v = value(data, key);
  return typeof v === 'string' ? v.trim() || undefined : typeof v === 'number' ? String(v) : undefined;
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/**
 * A URL path as a generator makes it, kept exactly: percent-decoded segments, one leading
 * slash, no empty segments, and a trailing slash only when it has one.
 */
export function exactPath(raw: string): string {
  const bare = raw.split(/[?#]/)[0]!.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  const segments = bare
    .split('/')
    .map(decode)
    .filter((s) => s && s !== '.' && s !== '..');
  if (!segments.length) return '/';
  return `/${segments.join('/')}${bare.endsWith('/') ? '/' : ''}`;
}

/** The calendar day of a date as written ("2013-05-06T00:00:00-07:00" is the 6th), else in UTC. */
export function dayOf(raw: unknown, parsed: Date | undefined): { year: number; month: number; day: number } | undefined {
  const written = typeof raw === 'string' ? raw : raw instanceof Date ? raw.toISOString() : undefined;
  const m = written && /^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})/.exec(written);
  if (m) return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return parsed && { year: parsed.getUTCFullYear(), month: parsed.getUTCMonth() + 1, day: parsed.getUTCDate() };
}

export const pad2 = (n: number) => String(n).padStart(2, '0');

/** The file's name without its Markdown extension, and the folders above it. */
export function split(rel: string): { dirs: string[]; base: string; ext: string } {
  const parts = rel.split('/');
  const file = parts.pop()!;
  const m = /^(.*)(\.(?:md|markdown|mdx))$/i.exec(file);
  return { dirs: parts, base: m ? m[1]! : file, ext: m ? m[2]! : '' };
}

/** Memoized per site: a generator's settings read once from its configuration. */
export function perSite<T>(make: (site: Site) => T): (site: Site) => T {
  const cache = new WeakMap<Site, T>();
  return (site) => {
    let found = cache.get(site);
    if (found === undefined) cache.set(site, (found = make(site)));
    return found;
  };
}
