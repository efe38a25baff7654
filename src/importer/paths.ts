// What a file's path says about its document, for what front matter leaves out:
// - "_index.md" is a section's listing page (Hugo), not a document;
// - "my-post/index.md" is a page bundle: the folder names the post;
// - "2024-05-20-my-post.md" (Jekyll) gives a date and the slug "my-post";
// - "my-post.fr.md" or a first folder named for a language ("ja/news/x.md") gives a language;
// - a file under a "_drafts" folder (Jekyll) is a draft; under "_posts", a Jekyll post.
import { datePrefix } from './dates.js';
import { canonicalLanguage } from './language.js';

export interface PathInfo {
  /** The name the slug comes from when front matter has none. */
  name: string;
  date?: Date;
  lang?: string;
  /** Where the language came from: a ".fr.md" suffix or the first folder. */
  langFrom?: 'suffix' | 'folder';
  draft: boolean;
  /** Why this file is not a document, when it is not. */
  skip?: string;
  bundle: boolean;
  /** The folders the document sits in (a bundle's own folder not included). */
  dirs: string[];
  /** Jekyll: the folders above `_posts` (or `_drafts`), which Jekyll makes categories of. */
  jekyll?: string[];
}

const EXT = /\.(md|markdown|mdx)$/i;

/**
 * `keepHome`: the content folder's own index.md, and a language folder's (`es/index.mdx`),
 * is a page: the home page (Jekyll, Eleventy, Astro, Next.js, Docusaurus).
 */
export function pathInfo(rel: string, languages?: ReadonlySet<string>, keepHome = false): PathInfo {
  const parts = rel.split('/');
  const file = parts[parts.length - 1]!.replace(EXT, '');
  let dirs = parts.slice(0, -1);
  // "name.fr" -> name "name", language "fr"
  const dot = /^(.+)\.([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)$/.exec(file);
  const suffixLang = dot ? canonicalLanguage(dot[2]!, languages) : undefined;
  const base = suffixLang ? dot![1]! : file;
  const folderLang = dirs[0] ? canonicalLanguage(dirs[0], languages) : undefined;
  const posts = dirs.findIndex((d) => d === '_posts' || d === '_drafts');
  const info: PathInfo = { name: base, draft: dirs.includes('_drafts'), bundle: false, dirs };
  if (suffixLang) Object.assign(info, { lang: suffixLang, langFrom: 'suffix' });
  else if (folderLang) Object.assign(info, { lang: folderLang, langFrom: 'folder' });

  if (base === '_index') return { ...info, skip: 'a section listing page (_index)' };
  if (base.toLowerCase() === 'index') {
    const folder = dirs[dirs.length - 1];
    if (keepHome && (!folder || (folderLang && dirs.length === 1))) return info;
    if (!folder || (folderLang && dirs.length === 1)) return { ...info, skip: "the content folder's own index page" };
    dirs = dirs.slice(0, -1);
    Object.assign(info, { name: folder, bundle: true, dirs });
  }
  if (posts >= 0) info.jekyll = dirs.slice(0, posts);
  const dated = datePrefix(info.name);
  if (dated) Object.assign(info, { name: dated.rest, date: dated.date });
  return info;
}

/** Slug and date from a path-like front-matter value (Zola `path`, Jekyll `permalink`). */
export function fromPathValue(value: string): { name?: string; date?: Date } {
  const segments = value.split(/[?#]/)[0]!.split('/').filter(Boolean);
  const last = segments[segments.length - 1]?.replace(/\.html?$/, '');
  const ymd = segments
    .slice(0, -1)
    .join('/')
    .match(/(?:^|\/)(\d{4})\/(\d{2})\/(\d{2})(?:\/|$)/);
  const out: { name?: string; date?: Date } = {};
  if (last && !last.includes(':')) out.name = last; // ":title" placeholders are not slugs
  if (ymd) out.date = new Date(Date.UTC(Number(ymd[1]), Number(ymd[2]) - 1, Number(ymd[3])));
  return out;
}

const INDEX_FILE = /^index(?:\.[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)?\.(md|markdown|mdx)$/i;

/**
 * Hugo's leaf bundles: a folder holding an index.md is one page, and every other Markdown
 * file in it or below it is a resource of that page (a `bio.md` its template may include),
 * never a page of its own (gohugo.io/content-management/page-bundles/: "Hugo will not render
 * these as individual pages"; a leaf bundle has no descendants). Returns each such file with
 * its bundle's index. The content folder's own index (and a language folder's) makes no bundle.
 */
export function leafBundleResources(files: readonly string[], languages?: ReadonlySet<string>): Map<string, string> {
  const bundles = new Map<string, string>();
  for (const file of files) {
    const slash = file.lastIndexOf('/');
    if (slash < 0 || !INDEX_FILE.test(file.slice(slash + 1))) continue;
    const dir = file.slice(0, slash);
    if (!dir.includes('/') && canonicalLanguage(dir, languages)) continue;
    if (!bundles.has(dir)) bundles.set(dir, file);
  }
  const resources = new Map<string, string>();
  if (!bundles.size) return resources;
  for (const file of files) {
    const parts = file.split('/');
    // The outermost bundle above the file owns it (a bundle has no descendants).
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const index = bundles.get(dir);
      // The bundle's own index files (index.md, and translations as index.fr.md) are the page.
      const own = i === parts.length - 1 && INDEX_FILE.test(parts[i]!);
      if (index !== undefined && !own) {
        resources.set(file, index);
        break;
      }
    }
  }
  return resources;
}
