// A document's path on the site, by the rule of the generator its files come from, or by
// one pattern for the whole site (QUIRE_PERMALINK):
// - a path in front matter wins: Zola's `path` ("inside-rust/2024/09/06/x"), Hugo's `url`
//   ("/blog/x/"), Jekyll's `permalink` (placeholders like /:categories/:title/ filled in);
// - Jekyll posts (under `_posts`): /:categories/:year/:month/:day/:title/, the folders above
//   `_posts` and the front matter's categories making the categories;
// - otherwise (Hugo, Zola, Astro, plain folders): the folders, then the slug the file asks
//   for: "blog/2024/kubecon-eu.md" -> "/blog/2024/kubecon-eu/";
// - outside the default language, a path that does not start with the language gets it
//   in front ("about.fr.md" -> "/fr/about/"), as Hugo and Zola do.
import { sitePath } from '../blog/urls.js';
import type { Doc } from './normalize.js';
import { toSlug } from '../blog/slug.js';

export interface PermalinkInput {
  info: Doc['place'];
  /** The path the site's generator gives the document, exactly: it wins over Quire's own rules. */
  generated?: string;
  /** Another document has the path it asks for: it is made from its own, unique slug. */
  collided?: boolean;
  /** The path-like front matter value, as written. */
  explicit?: string;
  /** The slug the file asks for (its own name), and the one it was given (unique). */
  requestedSlug: string;
  slug: string;
  lang: string;
  date?: Date;
  categories: string[];
}

/** Jekyll's named styles, usable as QUIRE_PERMALINK too. */
const STYLES: Record<string, string> = {
  pretty: '/:categories/:year/:month/:day/:title/',
  date: '/:categories/:year/:month/:day/:title:output_ext',
  ordinal: '/:categories/:year/:y_day/:title:output_ext',
  none: '/:categories/:title:output_ext',
};

const pad = (n: number) => String(n).padStart(2, '0');

function fill(pattern: string, p: PermalinkInput, slug: string, defaultLang: string): string {
  const d = p.date;
  const categories = [...(p.info.jekyll ?? []), ...p.categories.map(toSlug)].filter(Boolean);
  const section = p.info.dirs.find((dir, i) => !(i === 0 && p.info.langFrom === 'folder' && dir.toLowerCase() === p.lang.toLowerCase()));
  const dayOfYear = d ? Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1 : undefined;
  const tokens: Record<string, string> = {
    year: d ? String(d.getUTCFullYear()) : '',
    short_year: d ? String(d.getUTCFullYear()).slice(2) : '',
    month: d ? pad(d.getUTCMonth() + 1) : '',
    i_month: d ? String(d.getUTCMonth() + 1) : '',
    day: d ? pad(d.getUTCDate()) : '',
    i_day: d ? String(d.getUTCDate()) : '',
    y_day: dayOfYear ? String(dayOfYear).padStart(3, '0') : '',
    title: slug,
    slug,
    section: section ?? '',
    lang: p.lang === defaultLang ? '' : p.lang,
    categories: categories.join('/'),
    output_ext: '',
  };
  const expanded = (STYLES[pattern] ?? pattern).replace(/:([a-z_]+)/g, (whole, name: string) => tokens[name] ?? whole);
  return sitePath(expanded);
}

function withLang(path: string, lang: string, defaultLang: string): string {
  if (lang === defaultLang || path.split('/')[1]?.toLowerCase() === lang.toLowerCase()) return path;
  return sitePath(`/${lang}${path}`);
}

/** `pattern` is the site's QUIRE_PERMALINK for posts, when set. */
export function permalink(p: PermalinkInput, options: { defaultLang: string; pattern?: string }): string {
  // The site's own pattern (QUIRE_PERMALINK), unless front matter gives the document a path.
  if (options.pattern && !p.explicit) {
    return withLang(fill(options.pattern, p, p.slug, options.defaultLang), p.lang, options.defaultLang);
  }
  if (p.generated) {
    // Another document already has it (the generator would write one over the other): this
    // one's own, unique slug in place of its last segment.
    return !p.collided
      ? p.generated
      : p.generated.replace(/[^/]+(\/?)$/, (last, slash: string) => `${p.slug}${/\.html?$/.test(last) ? '.html' : slash}`);
  }
  if (p.explicit) {
    return p.explicit.includes(':') && !/^[a-z]+:\/\//i.test(p.explicit)
      ? fill(p.explicit, p, p.requestedSlug, options.defaultLang)
      : sitePath(p.explicit);
  }
  if (p.info.jekyll) return withLang(fill(STYLES.pretty!, p, p.requestedSlug, options.defaultLang), p.lang, options.defaultLang);
  // Folders as the generators make them: lowercased and slugged ("Some Folder" -> "some-folder");
  // a language folder keeps its tag.
  const dirs = p.info.dirs.map((d, i) => (i === 0 && p.info.langFrom === 'folder' ? d : toSlug(d) || d));
  return withLang(sitePath([...dirs, p.requestedSlug].join('/')), p.lang, options.defaultLang);
}
