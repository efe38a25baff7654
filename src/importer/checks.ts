// Checks across documents, once each has its slug and path: two documents on one path (an
// error: a URL serves one page), and, as warnings that --strict makes errors, aliases that
// collide with another document and links that point at no document. Links to other
// documents (relative .md links, {% post_url %}, {{< ref >}}) are resolved to their paths.
import path from 'node:path';
import { sitePath } from '../blog/urls.js';
import type { InternalLink } from './links.js';
import type { FileProblem, Warning } from './report.js';
import { toSlug } from './slug.js';

/** A document as it will be after the run: one of this run's, or a row the run keeps. */
export interface SiteEntry {
  sourcePath: string;
  kind: string;
  lang: string;
  slug: string;
  path: string;
  aliases: readonly string[];
  links: readonly InternalLink[];
  inRun: boolean;
}

/** Aliases are old paths ("/2014/09/old.html", "2014/09/old/") or, with no slash or dot, old slugs. */
export function splitAliases(aliases: readonly string[]): { paths: string[]; slugs: string[] } {
  const paths: string[] = [];
  const slugs: string[] = [];
  for (const alias of aliases) {
    if (/[/.]/.test(alias)) paths.push(sitePath(alias));
    else if (toSlug(alias)) slugs.push(toSlug(alias));
  }
  return { paths: [...new Set(paths)], slugs: [...new Set(slugs)] };
}

const at = (lang: string, value: string) => `${lang}\0${value}`;

/** Documents on a path another already has: the later one (by the order given) is at fault. */
export function pathCollisions(entries: SiteEntry[], explicitKey: (file: string) => string | undefined): FileProblem[] {
  const owner = new Map<string, string>();
  const problems: FileProblem[] = [];
  for (const e of entries) {
    const first = owner.get(at(e.lang, e.path));
    if (first === undefined) {
      owner.set(at(e.lang, e.path), e.sourcePath);
      continue;
    }
    const field = explicitKey(e.sourcePath);
    problems.push({
      file: e.sourcePath,
      ...(field && { field }),
      message: `its path "${e.path}" is also the path of ${first}; a URL shows one page: give one of them a path of its own (url, path or permalink in front matter, or a different slug)`,
    });
  }
  return problems;
}

/** Finds the document a link names; undefined when none does. */
export function linkResolver(entries: SiteEntry[]) {
  const bySource = new Map(entries.map((e) => [e.sourcePath, e]));
  const byBase = new Map<string, SiteEntry[]>();
  for (const e of entries) {
    const base = path.posix.basename(e.sourcePath).replace(/\.(md|markdown|mdx)$/i, '');
    const name = base.toLowerCase() === 'index' ? path.posix.basename(path.posix.dirname(e.sourcePath)) : base;
    byBase.set(name, [...(byBase.get(name) ?? []), e]);
  }
  const bySlug = new Map(entries.filter((e) => e.kind === 'post').map((e) => [at(e.lang, e.slug), e]));
  const withExt = (p: string) => [p, `${p}.md`, `${p}.markdown`, `${p}.mdx`, `${p}/index.md`, `${p}/_index.md`];
  const unique = (list: SiteEntry[] | undefined) => (list?.length === 1 ? list[0] : undefined);
  return (link: InternalLink, from: SiteEntry): SiteEntry | undefined => {
    if (link.kind === 'file') return bySource.get(link.path);
    if (link.kind === 'slug') return bySlug.get(at(link.lang ?? from.lang, link.slug));
    if (link.kind !== 'ref') return undefined;
    const target = link.target.split(/[?#]/)[0]!.replace(/\/$/, '');
    if (link.by === 'post_url') {
      const name = path.posix.basename(target);
      return unique(byBase.get(name)?.filter((e) => /(^|\/)_posts\//.test(e.sourcePath) && e.sourcePath.includes(target)));
    }
    const rooted = target.replace(/^\/+/, '');
    const here = path.posix.normalize(path.posix.join(path.posix.dirname(from.sourcePath), target));
    for (const p of [...(target.startsWith('/') ? [] : withExt(here)), ...withExt(rooted)]) {
      const found = bySource.get(p);
      if (found) return found;
    }
    return unique(byBase.get(path.posix.basename(target).replace(/\.(md|markdown|mdx)$/i, '')));
  };
}

/** Alias collisions and broken links, for the documents of this run. */
export function crossFileWarnings(entries: SiteEntry[], resolve: ReturnType<typeof linkResolver>): Warning[] {
  const warnings: Warning[] = [];
  const paths = new Map<string, string>();
  const slugs = new Map<string, string>();
  for (const e of entries) {
    paths.set(at(e.lang, e.path), e.sourcePath);
    slugs.set(at(`${e.kind}\0${e.lang}`, e.slug), e.sourcePath);
  }
  const aliasOwner = new Map<string, string>();
  const aliasSlugs = new Set<string>();
  for (const e of entries) {
    const { paths: aliasPaths, slugs: oldSlugs } = splitAliases(e.aliases);
    const claims = [
      ...aliasPaths.map((p) => ({ k: at(e.lang, p), taken: paths.get(at(e.lang, p)), what: `path ${p}` })),
      ...oldSlugs.map((s) => ({ k: at(`${e.kind}\0${e.lang}`, s), taken: slugs.get(at(`${e.kind}\0${e.lang}`, s)), what: `slug ${s}` })),
    ];
    for (const s of oldSlugs) aliasSlugs.add(s);
    for (const c of claims) {
      const other = aliasOwner.get(c.k);
      if (!e.inRun) aliasOwner.set(c.k, e.sourcePath);
      else if (c.taken !== undefined && c.taken !== e.sourcePath) {
        warnings.push({
          code: 'alias-collision',
          file: e.sourcePath,
          message: `alias ${c.what} is the ${c.what.split(' ')[0]} of ${c.taken}, which wins; the alias leads nowhere`,
        });
      } else if (other !== undefined && other !== e.sourcePath) {
        warnings.push({ code: 'alias-collision', file: e.sourcePath, message: `alias ${c.what} is also an alias of ${other}, which wins` });
      } else aliasOwner.set(c.k, e.sourcePath);
    }
  }
  const anySlug = new Set([...entries.map((e) => e.slug), ...aliasSlugs]);
  for (const e of entries) {
    if (!e.inRun) continue;
    for (const link of e.links) {
      const found =
        link.kind === 'slug'
          ? link.lang
            ? slugs.has(at(`post\0${link.lang}`, link.slug)) || aliasSlugs.has(link.slug)
            : anySlug.has(link.slug)
          : resolve(link, e) !== undefined;
      if (!found) {
        const what = link.kind === 'ref' ? `${link.by === 'ref' ? 'ref' : link.by} "${link.target}"` : `link ${link.href}`;
        warnings.push({ code: 'broken-link', file: e.sourcePath, line: link.line, message: `${what} points at no document` });
      }
    }
  }
  return warnings;
}

/** Each link to another document (as written, without query or fragment) -> that document's path. */
export function linkMap(entry: SiteEntry, resolve: ReturnType<typeof linkResolver>): Record<string, string> {
  const entries: [string, string][] = [];
  for (const link of entry.links) {
    const target = resolve(link, entry);
    if (target) entries.push([link.href.split(/[?#]/)[0]!, target.path]);
  }
  return Object.fromEntries(entries.sort());
}
