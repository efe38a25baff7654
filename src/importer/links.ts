// What a body points at, found in one pass (code fences skipped, lines the file's):
// - internal links: `/posts/<slug>` (optionally under a language, `/ja/posts/x`), relative
//   links to other Markdown files, and the post references other generators write
//   ({% post_url %}, {{< ref >}}, turned into `quire-ref:` links by transforms.ts);
// - media: images and other files beside the post or under a static folder
//   (`![x](diagram.png)`, `<img src="/images/x.png">`, `[the slides](talk.pdf)`).
import path from 'node:path';
import { z } from 'zod';
import { POST_REF } from './transforms.js';

const at = { line: z.number().int(), href: z.string() };
export const InternalLinkSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('slug'), slug: z.string(), lang: z.string().optional(), ...at }),
  z.object({ kind: z.literal('file'), path: z.string(), ...at }),
  z.object({ kind: z.literal('ref'), by: z.enum(['post_url', 'ref', 'file']), target: z.string(), ...at }),
]);
export type InternalLink = z.infer<typeof InternalLinkSchema>;

export const MediaRefSchema = z.object({
  /** As written, without query or fragment, percent-decoded. */
  ref: z.string(),
  line: z.number().int().optional(),
});
export type MediaRef = z.infer<typeof MediaRefSchema>;

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
// A destination in angle brackets may hold spaces: ![x](<my photo.png>).
const INLINE = /(!?)\[[^\]]*\]\(\s*(?:<([^>\n]+)>|([^)\s]+))(?:\s+["'(][^)]*)?\)/g;
const ATTRS = /\b(href|src|srcset|poster)\s*=\s*(?:"([^"]+)"|'([^']+)')/gi;
const HAS_ATTR = /\b(?:href|src|srcset|poster)\s*=/i;
const DEFINITION = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/;
const POSTS = /^\/(?:([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\/)?posts\/([^/?#]+)\/?(?:[?#].*)?$/;
const MARKDOWN_FILE = /\.(md|markdown|mdx)$/i;
const PAGE_FILE = /\.(html?|php|aspx?)$/i;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
// A file name with an extension: "x.png", "a/b.pdf" (not "/about/" or "/blog/post").
const FILE_NAME = /\.[a-z0-9]{1,5}$/i;

const decode = (s: string) => {
  try {
    return decodeURI(s);
  } catch {
    return s;
  }
};

function classifyLink(href: string, fromFile: string, line: number): InternalLink | undefined {
  if (href.startsWith(POST_REF)) {
    const [by, ...rest] = href.slice(POST_REF.length).split('/');
    return { kind: 'ref', by: by as 'post_url' | 'ref' | 'file', target: decode(rest.join('/')), line, href };
  }
  // Zola: "@/blog/post.md" names a file from the content folder's root.
  if (href.startsWith('@/')) return { kind: 'ref', by: 'file', target: decode(href.slice(2)), line, href };
  const posts = POSTS.exec(href);
  if (posts) return { kind: 'slug', slug: decode(posts[2]!), ...(posts[1] && { lang: posts[1] }), line, href };
  if (SCHEME.test(href) || href.startsWith('/') || href.startsWith('#')) return undefined;
  const target = href.split(/[?#]/)[0]!;
  if (!MARKDOWN_FILE.test(target)) return undefined;
  return { kind: 'file', path: path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), decode(target))), line, href };
}

/** A reference to a local file that is not a page: an image, a PDF, a video. */
export function mediaRef(href: string): string | undefined {
  if (!href || SCHEME.test(href) || href.startsWith('//') || href.startsWith('#') || href.startsWith(POST_REF)) return undefined;
  const target = decode(href.split(/[?#]/)[0]!);
  if (!FILE_NAME.test(target) || MARKDOWN_FILE.test(target) || PAGE_FILE.test(target)) return undefined;
  return target;
}

export interface References {
  links: InternalLink[];
  media: MediaRef[];
}

/** `bodyLine` is the file line the body starts on, so reported lines are the file's. */
export function references(body: string, file: string, bodyLine: number): References {
  const links: InternalLink[] = [];
  const media: MediaRef[] = [];
  const take = (raw: string, at: number) => {
    const href = raw.replace(/`/g, '');
    const link = classifyLink(href, file, at);
    if (link) links.push(link);
    const ref = mediaRef(href);
    if (ref && !media.some((m) => m.ref === ref)) media.push({ ref, line: at });
  };
  let fence: { char: string; length: number } | undefined;
  const lines = body.split('\n');
  const found: { at: number; hrefs: string[] }[] = [];
  for (const [i, line] of lines.entries()) {
    const f = FENCE.exec(line);
    if (fence) {
      if (f && f[1]![0] === fence.char && f[1]!.length >= fence.length && !f[2]!.trim()) fence = undefined;
      lines[i] = '';
      continue;
    }
    if (f) {
      fence = { char: f[1]![0]!, length: f[1]!.length };
      lines[i] = '';
      continue;
    }
    if (!line.includes('](') && !line.trimStart().startsWith('[')) continue;
    found.push({
      at: bodyLine + i,
      hrefs: [...[...line.matchAll(INLINE)].map((m) => (m[2] ?? m[3])!), ...(DEFINITION.exec(line)?.slice(1, 2) ?? [])],
    });
  }
  // HTML attributes, over the whole body (code fences blanked): a tag's attributes, and a
  // srcset's candidates, may run over several lines. Every srcset candidate, on <img> and
  // on <source> in a <picture>, and a video's poster and sources are files too.
  const html = lines.join('\n');
  if (HAS_ATTR.test(html)) {
    let line = 0;
    let last = 0;
    for (const m of html.matchAll(ATTRS)) {
      for (let k = html.indexOf('\n', last); k >= 0 && k < m.index; k = html.indexOf('\n', k + 1)) line++;
      last = m.index;
      const value = m[2] ?? m[3]!;
      const hrefs =
        m[1]!.toLowerCase() === 'srcset'
          ? value
              .split(',')
              .map((c) => c.trim().split(/\s+/)[0]!)
              .filter(Boolean)
          : [value.trim()];
      found.push({ at: bodyLine + line, hrefs });
    }
  }
  found.sort((a, b) => a.at - b.at);
  for (const { at, hrefs } of found) for (const raw of hrefs) take(raw, at);
  return { links, media };
}
