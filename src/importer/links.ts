// Internal links in a body: `/posts/<slug>` (optionally under a language, `/ja/posts/x`) and
// relative links to other Markdown files. Code fences are skipped; lines are the body's.
import path from 'node:path';

export type InternalLink =
  | { kind: 'slug'; slug: string; lang?: string; line: number; href: string }
  | { kind: 'file'; path: string; line: number; href: string };

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const INLINE = /(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+["'(][^)]*)?\)/g;
const HREF = /\bhref\s*=\s*["']([^"']+)["']/gi;
const DEFINITION = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/;
const POSTS = /^\/(?:([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\/)?posts\/([^/?#]+)\/?(?:[?#].*)?$/;
const MARKDOWN_FILE = /\.(md|markdown|mdx)$/i;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function classify(href: string, fromFile: string, line: number): InternalLink | undefined {
  const posts = POSTS.exec(href);
  if (posts) {
    let slug = posts[2]!;
    try {
      slug = decodeURIComponent(slug);
    } catch {
      // keep it as written
    }
    return { kind: 'slug', slug, ...(posts[1] && { lang: posts[1] }), line, href };
  }
  if (SCHEME.test(href) || href.startsWith('/') || href.startsWith('#')) return undefined;
  const target = href.split(/[?#]/)[0]!;
  if (!MARKDOWN_FILE.test(target)) return undefined;
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), decodeURI(target)));
  return { kind: 'file', path: resolved, line, href };
}

/** `bodyLine` is the file line the body starts on, so reported lines are the file's. */
export function internalLinks(body: string, file: string, bodyLine: number): InternalLink[] {
  const links: InternalLink[] = [];
  let fence: { char: string; length: number } | undefined;
  for (const [i, line] of body.split('\n').entries()) {
    const f = FENCE.exec(line);
    if (fence) {
      if (f && f[1]![0] === fence.char && f[1]!.length >= fence.length && !f[2]!.trim()) fence = undefined;
      continue;
    }
    if (f) {
      fence = { char: f[1]![0]!, length: f[1]!.length };
      continue;
    }
    if (!line.includes('](') && !/href/i.test(line) && !line.trimStart().startsWith('[')) continue;
    const at = bodyLine + i;
    const hrefs = [
      ...[...line.matchAll(INLINE)].filter((m) => !m[1]).map((m) => m[2]!),
      ...[...line.matchAll(HREF)].map((m) => m[1]!),
      ...(DEFINITION.exec(line)?.slice(1, 2) ?? []),
    ];
    for (const href of hrefs) {
      const link = classify(href.replace(/`/g, ''), file, at);
      if (link) links.push(link);
    }
  }
  return links;
}
