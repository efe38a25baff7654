// Checks across files, once every file is parsed: two files claiming one slug (always an
// error, naming both), and, as warnings that --strict makes errors, aliases that collide
// with a slug and internal links that point at no article.
import { createHash } from 'node:crypto';
import { postPath } from '../blog/urls.js';
import type { NormalizedPost } from './normalize.js';
import type { FileProblem } from './problems.js';
import { toSlug } from './slug.js';

export interface Warning {
  file: string;
  line?: number;
  message: string;
}

/** What else exists beside the files being checked (the database, in a partial import). */
export interface Known {
  /** "lang\0slug" -> source path */
  slugs: Map<string, string>;
  /** source path -> its post */
  files: Map<string, { slug: string; lang: string }>;
}

export const postKey = (lang: string, slug: string) => `${lang}\0${slug}`;

/** The slug an alias stands for: its last path segment ("/2016/01/old-name/" -> "old-name"). */
export function aliasSlug(alias: string): string {
  const last = alias.split(/[?#]/)[0]!.split('/').filter(Boolean).pop() ?? '';
  return toSlug(last.replace(/\.(html?|md)$/i, ''));
}

export function duplicateSlugs(posts: NormalizedPost[], known?: Known): FileProblem[] {
  const seen = new Map<string, string>(known?.slugs);
  const multilingual = new Set(posts.map((p) => p.lang)).size > 1;
  const problems: FileProblem[] = [];
  for (const p of posts) {
    const key = postKey(p.lang, p.slug);
    const first = seen.get(key);
    if (first !== undefined && first !== p.sourcePath) {
      const lang = multilingual ? ` in language ${p.lang}` : '';
      problems.push({ file: p.sourcePath, field: 'slug', message: `"${p.slug}"${lang} is already used by ${first}` });
    } else seen.set(key, p.sourcePath);
  }
  return problems;
}

export function crossFileWarnings(posts: NormalizedPost[], known?: Known): Warning[] {
  const slugs = new Map<string, string>(known?.slugs);
  for (const p of posts) slugs.set(postKey(p.lang, p.slug), p.sourcePath);
  const files = new Set([...(known?.files.keys() ?? []), ...posts.map((p) => p.sourcePath)]);
  const warnings: Warning[] = [];

  // Aliases first: a link may point at another post's old slug.
  const aliases = new Map<string, string>();
  for (const p of posts) {
    for (const alias of p.aliases) {
      const slug = aliasSlug(alias);
      if (!slug) continue;
      const key = postKey(p.lang, slug);
      const owner = slugs.get(key);
      const other = aliases.get(key);
      if (owner !== undefined && owner !== p.sourcePath) {
        warnings.push({ file: p.sourcePath, message: `alias "${alias}" is the slug of ${owner}` });
      } else if (other !== undefined && other !== p.sourcePath) {
        warnings.push({ file: p.sourcePath, message: `alias "${alias}" is also an alias of ${other}` });
      } else aliases.set(key, p.sourcePath);
    }
  }

  const anyLang = new Set([...slugs.keys(), ...aliases.keys()].map((k) => k.slice(k.indexOf('\0') + 1)));
  for (const p of posts) {
    for (const link of p.links) {
      const found =
        link.kind === 'file'
          ? files.has(link.path)
          : link.lang
            ? slugs.has(postKey(link.lang, link.slug)) || aliases.has(postKey(link.lang, link.slug))
            : anyLang.has(link.slug);
      if (!found) warnings.push({ file: p.sourcePath, line: link.line, message: `link ${link.href} points at no article` });
    }
  }
  return warnings;
}


/**
 * Fills each post's linkMap: relative links to other files point at those posts' paths.
 * The targets join the content hash, so a post re-renders when a post it links to moves.
 */
export function resolveLinks(posts: NormalizedPost[], defaultLang: string, known?: Known): void {
  const bySource = new Map<string, { slug: string; lang: string }>(known?.files);
  for (const p of posts) bySource.set(p.sourcePath, p);
  for (const post of posts) {
    const entries: [string, string][] = [];
    for (const link of post.links) {
      const target = link.kind === 'file' ? bySource.get(link.path) : undefined;
      if (target) entries.push([link.href.split(/[?#]/)[0]!, postPath(target, defaultLang)]);
    }
    if (!entries.length) continue;
    post.linkMap = Object.fromEntries(entries.sort());
    post.contentHash = createHash('sha256').update(post.contentHash).update(JSON.stringify(post.linkMap)).digest('hex');
  }
}
