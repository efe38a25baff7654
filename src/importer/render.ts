// Markdown -> sanitized HTML plus the fields derived from it (table of contents, excerpt,
// word count, reading time), from one token stream.
//
// markdown-it (CommonMark) with GFM's tables and strikethrough built in, footnotes and
// task lists by plugin, heading ids as GitHub makes them (github-slugger). It renders a
// 3 MB article in about a second where a syntax-tree pipeline took over ten; raw HTML is
// then cleaned by sanitize-html with an allow-list.
import GithubSlugger from 'github-slugger';
import MarkdownIt from 'markdown-it';
import footnote from 'markdown-it-footnote';
import taskLists from 'markdown-it-task-lists';
import sanitizeHtml from 'sanitize-html';
import { type MediaFacts, type MediaUrlSettings, mediaUrl, srcset } from '../media/urls.js';
import type { TocEntry } from '../blog/schemas.js';

type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

/** Bump when the rendered output changes, so the next import re-renders every file. */
export const RENDERER_VERSION = 8;

export interface Rendered {
  html: string;
  /** What a reader sees, as plain text: prose, inline code and code blocks. */
  text: string;
  toc: TocEntry[];
  excerpt: string;
  wordCount: number;
  readingMinutes: number;
}

const WORDS_PER_MINUTE = 220;
const EXCERPT_MAX = 300;
const MORE = /^<!--\s*more\s*-->\s*$/im;

const md = new MarkdownIt({ html: true, linkify: true }).use(footnote).use(taskLists, { enabled: false });

// Ids written in the source, at the end of a heading, are the heading's id and not its text:
// - `{#id}`, with classes or other attributes after it (`{#id .class}`): Hugo's Goldmark
//   attributes (markup.goldmark.parser.attribute.title), kramdown's IAL (`{: #id}`), Pandoc's
//   header attributes, Docusaurus's heading ids (parseMarkdownHeadingId), `\{#id\}` escaped in MDX;
// - `{/*id*/}` and `{/* #id */}`: MDX comments holding the id (react.dev's remark plugin,
//   Docusaurus's "mdx-comment" heading id syntax).
// Taken off the heading's source before inline parsing, so `*` in them is no emphasis.
const ATTRIBUTE = String.raw`(?:[#.][^\s{}\\]+|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s{}\\]+))`;
const ATTRIBUTES = new RegExp(String.raw`\s*\\?\{:?\s*(${ATTRIBUTE}(?:\s+${ATTRIBUTE})*)\s*\\?\}\s*$`);
const MDX_COMMENT_ID = /\s*\{\/\*\s*#?([^*\s]+)\s*\*\/\}\s*$/;

md.core.ruler.after('block', 'heading_explicit_ids', (state) => {
  state.tokens.forEach((t, i) => {
    const inline = state.tokens[i + 1];
    if (t.type !== 'heading_open' || inline?.type !== 'inline') return;
    const comment = MDX_COMMENT_ID.exec(inline.content);
    const attrs = comment ? undefined : ATTRIBUTES.exec(inline.content);
    const id =
      comment?.[1] ??
      attrs?.[1]!
        .split(/\s+/)
        .find((a) => a.startsWith('#'))
        ?.slice(1);
    if (!comment && !attrs) return;
    inline.content = inline.content.slice(0, (comment ?? attrs)!.index);
    if (id) t.meta = { ...(t.meta as object), explicitId: id };
  });
});

// Heading ids, unique within the document ("intro", "intro-1"): one slugger per render
// keeps that linear in the number of headings, however many repeat. An id written in the
// source is kept as written, and no id made from a heading's text takes it.
md.core.ruler.push('heading_ids', (state) => {
  const slugger = new GithubSlugger();
  const explicit = (t: Token) => (t.meta as { explicitId?: string } | null)?.explicitId;
  const taken = new Set(state.tokens.map((t) => (t.type === 'heading_open' ? explicit(t) : undefined)).filter((id) => id !== undefined));
  state.tokens.forEach((t, i) => {
    if (t.type !== 'heading_open') return;
    let id = explicit(t);
    if (id === undefined) {
      const text = textOf([state.tokens[i + 1]!]).trim();
      do id = slugger.slug(text);
      while (taken.has(id));
    }
    t.attrSet('id', id);
  });
});

// What survives sanitizing: Markdown's own output, common inline HTML, figures, video and
// audio. No script, style, object or form; no event handlers (no on* attribute is allowed
// anywhere); links and media only with http(s), mailto and tel URLs or relative ones.
// <iframe> only from the embed hosts (QUIRE_EMBED_HOSTS), sandboxed (sanitizeOptions).
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags,
    'img',
    'del',
    's',
    'ins',
    'input',
    'details',
    'summary',
    'figure',
    'figcaption',
    'picture',
    'source',
    'video',
    'audio',
    'track',
    'iframe',
  ],
  allowedAttributes: {
    '*': ['id', 'title', 'lang', 'dir'],
    a: ['href', 'name', 'target', 'rel'],
    img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height', 'loading', 'decoding'],
    source: ['src', 'srcset', 'sizes', 'media', 'type'],
    video: ['src', 'poster', 'controls', 'width', 'height', 'autoplay', 'muted', 'loop', 'playsinline', 'preload'],
    audio: ['src', 'controls', 'autoplay', 'muted', 'loop', 'preload'],
    track: ['src', 'kind', 'srclang', 'label', 'default'],
    iframe: ['src', 'width', 'height', 'title', 'allowfullscreen', 'loading', 'sandbox', 'referrerpolicy'],
    input: ['type', 'checked', 'disabled'],
    ol: ['start'],
    td: ['style', 'colspan', 'rowspan'],
    th: ['style', 'colspan', 'rowspan'],
    details: ['open'],
  },
  allowedClasses: {
    code: [/^language-[\w+#.-]+$/],
    ul: ['contains-task-list'],
    li: ['task-list-item', 'footnote-item'],
    input: ['task-list-item-checkbox'],
    section: ['footnotes'],
    ol: ['footnotes-list'],
    hr: ['footnotes-sep'],
    sup: ['footnote-ref'],
    a: ['footnote-backref'],
  },
  allowedStyles: { '*': { 'text-align': [/^(left|right|center)$/] } },
  // Void elements, written as such (sanitize-html's list lacks these).
  selfClosing: [...sanitizeHtml.defaults.selfClosing, 'source', 'track', 'wbr'],
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesAppliedToAttributes: ['href', 'src', 'srcset', 'cite', 'poster'],
  allowProtocolRelative: true,
  // An embed from no allowed host (or with a relative src) has no src left: it goes whole.
  allowIframeRelativeUrls: false,
  // <input> only as a task list's disabled checkbox.
  exclusiveFilter: (frame) =>
    (frame.tag === 'input' && frame.attribs.type !== 'checkbox') || (frame.tag === 'iframe' && !frame.attribs.src),
};

/** The sandbox an embed runs in: its own scripts and origin (a player needs both), no top navigation, no forms. */
export const EMBED_SANDBOX = 'allow-scripts allow-same-origin allow-popups allow-presentation';

const decode = (s: string) => {
  try {
    return decodeURI(s);
  } catch {
    return s;
  }
};

/** What a body's references to local files become: served media. */
export interface MediaContext {
  settings: MediaUrlSettings;
  /** Each reference as written (decoded, no query or fragment) -> its file. */
  files: ReadonlyMap<string, MediaFacts>;
}

/**
 * Sanitizing, and pointing local files at the media route: an <img> gets its absolute URL,
 * its pixel size (no layout shift), a srcset of resized copies and lazy loading; a link to a
 * local file (a PDF) its URL. External URLs are left alone.
 */
function sanitizeOptions(
  links: Readonly<Record<string, string>>,
  media: MediaContext | undefined,
  embedHosts: readonly string[],
): sanitizeHtml.IOptions {
  const find = (value: string | undefined) => {
    if (!value || !media?.files.size) return undefined;
    const bare = value.split(/[?#]/)[0]!;
    return media.files.get(bare) ?? media.files.get(decode(bare));
  };
  // An author's own srcset ("a.webp 1x, a@2x.webp 2x"): each local candidate becomes its URL.
  const rewriteSrcset = (value: string) =>
    value
      .split(',')
      .map((candidate) => {
        const [url, ...descriptor] = candidate.trim().split(/\s+/);
        const m = find(url);
        return [m && media ? mediaUrl(media.settings, m) : url, ...descriptor].join(' ');
      })
      .join(', ');
  // Links to other documents, by their href as written or as markdown-it encoded it.
  const targets = new Map(
    Object.entries(links).flatMap(([k, v]) => [
      [k, v],
      [decode(k), v],
    ]),
  );
  const linked = (href: string) => {
    const cut = href.search(/[?#]/);
    const [base, rest] = cut < 0 ? [href, ''] : [href.slice(0, cut), href.slice(cut)];
    const target = targets.get(base) ?? targets.get(decode(base));
    return target === undefined ? undefined : target + rest;
  };
  const local = (value: string | undefined) => {
    const m = find(value);
    return m && media ? mediaUrl(media.settings, m) : value;
  };
  const withMedia = (attribs: sanitizeHtml.Attributes, names: string[]) => {
    const out = { ...attribs };
    for (const name of names) if (out[name] !== undefined) out[name] = local(out[name])!;
    if (out.srcset) out.srcset = rewriteSrcset(out.srcset);
    return out;
  };
  return {
    ...SANITIZE,
    allowedIframeDomains: [...embedHosts],
    transformTags: {
      input: (tagName, attribs) => ({ tagName, attribs: { ...attribs, disabled: '' } }),
      video: (tagName, attribs) => ({ tagName, attribs: withMedia(attribs, ['src', 'poster']) }),
      audio: (tagName, attribs) => ({ tagName, attribs: withMedia(attribs, ['src']) }),
      track: (tagName, attribs) => ({ tagName, attribs: withMedia(attribs, ['src']) }),
      iframe: (tagName, attribs) => ({
        tagName,
        attribs: { ...attribs, sandbox: EMBED_SANDBOX, loading: 'lazy', referrerpolicy: 'strict-origin-when-cross-origin' },
      }),
      img: (tagName, attribs) => {
        const m = find(attribs.src);
        if (!m || !media) return { tagName, attribs: attribs.srcset ? { ...attribs, srcset: rewriteSrcset(attribs.srcset) } : attribs };
        const set = srcset(media.settings, m);
        const width: Record<string, string> = m.width && m.height ? { width: String(m.width), height: String(m.height) } : {};
        return {
          tagName,
          attribs: {
            ...attribs,
            src: mediaUrl(media.settings, m),
            ...width,
            ...(set
              ? { srcset: set, sizes: `(max-width: ${m.width}px) 100vw, ${m.width}px` }
              : attribs.srcset && { srcset: rewriteSrcset(attribs.srcset) }),
            loading: 'lazy',
            decoding: 'async',
          },
        };
      },
      source: (tagName, attribs) => ({ tagName, attribs: withMedia(attribs, ['src']) }),
      a: (tagName, attribs) => {
        const m = find(attribs.href);
        const href = m && media ? mediaUrl(media.settings, m) : attribs.href !== undefined ? linked(attribs.href) : undefined;
        return { tagName, attribs: href === undefined ? attribs : { ...attribs, href } };
      },
    },
  };
}

// Documents with no link or media share their options, per list of embed hosts.
const plainOptions = new WeakMap<readonly string[], sanitizeHtml.IOptions>();
const plainSanitize = (embedHosts: readonly string[]) => {
  let options = plainOptions.get(embedHosts);
  if (!options) plainOptions.set(embedHosts, (options = sanitizeOptions({}, undefined, embedHosts)));
  return options;
};

/** The text a reader sees in these tokens: prose, inline code and code blocks. */
function textOf(tokens: Token[]): string {
  const parts: string[] = [];
  for (const t of tokens) {
    if (t.type === 'inline') {
      for (const c of t.children ?? []) {
        if (c.type === 'text' || c.type === 'code_inline') parts.push(c.content);
        else if (c.type === 'softbreak' || c.type === 'hardbreak') parts.push('\n');
      }
      parts.push('\n');
    } else if (t.type === 'fence' || t.type === 'code_block') parts.push(t.content, '\n');
  }
  return parts.join('');
}

function collectToc(tokens: Token[]): TocEntry[] {
  const toc: TocEntry[] = [];
  tokens.forEach((t, i) => {
    const id = t.type === 'heading_open' ? t.attrGet('id') : null;
    // level 0: headings of the document, not those inside blockquotes or lists
    if (id !== null && t.level === 0) {
      toc.push({ depth: Number(t.tag.slice(1)), text: textOf([tokens[i + 1]!]).trim(), id: String(id) });
    }
  });
  return toc;
}

/** The first top-level paragraph with words in it (one holding only an image says nothing). */
function firstParagraph(tokens: Token[]): Token[] {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.type === 'paragraph_open' && tokens[i]!.level === 0 && textOf([tokens[i + 1]!]).trim()) return [tokens[i + 1]!];
  }
  return tokens;
}

function truncate(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2)).trimEnd()}…`;
}

export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}

// Raw HTML the sanitizer takes out: said at import, with its line, so nothing goes silently.
const DROPPED = /<(script|style|noscript|iframe|object|embed|applet|form|textarea|select|button|svg|math|canvas|frameset|frame)\b[^>]*>/gi;
const MAY_DROP = new RegExp(DROPPED.source, 'i');
const WHY: Record<string, string> = {
  script: 'Quire serves no scripts',
  style: 'Quire serves no style sheets',
  noscript: 'Quire serves no scripts',
  form: 'Quire serves no forms',
  textarea: 'Quire serves no forms',
  select: 'Quire serves no forms',
  button: 'Quire serves no forms',
  svg: 'inline SVG can hold script: use an .svg file as an image',
  math: 'MathML is not among the tags Quire keeps',
  canvas: 'it is drawn by script',
};

const hostOf = (src: string | undefined) => {
  try {
    return src ? new URL(src.startsWith('//') ? `https:${src}` : src).hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
};

/** Whether an embed's src is on one of the hosts, or a subdomain of one. */
export function embedAllowed(src: string | undefined, embedHosts: readonly string[]): boolean {
  const host = hostOf(src);
  return !!host && /^(https?:)?\/\//i.test(src!) && embedHosts.some((h) => host === h || host.endsWith(`.${h}`));
}

/**
 * The raw HTML in a body that rendering drops (a <script>, an <iframe> from a host not
 * allowed), each with its 1-based line in `markdown`; outside code, as Markdown reads it.
 */
export function droppedHtml(markdown: string, embedHosts: readonly string[]): { line: number; message: string }[] {
  if (!MAY_DROP.test(markdown)) return [];
  const notes: { line: number; message: string }[] = [];
  const check = (html: string, line: number) => {
    for (const m of html.matchAll(DROPPED)) {
      const tag = m[1]!.toLowerCase();
      const at = line + html.slice(0, m.index).split('\n').length - 1;
      if (tag === 'iframe') {
        const src = /\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(m[0]);
        const url = src?.[1] ?? src?.[2] ?? src?.[3];
        if (embedAllowed(url, embedHosts)) continue;
        const host = hostOf(url);
        notes.push({
          line: at,
          message: host
            ? `<iframe> from ${host} was removed: the host is not in QUIRE_EMBED_HOSTS`
            : '<iframe> without an absolute http(s) src was removed',
        });
      } else notes.push({ line: at, message: `<${tag}> was removed (${WHY[tag] ?? 'embedded objects are not kept'})` });
    }
  };
  for (const t of md.parse(markdown, {})) {
    const line = (t.map?.[0] ?? 0) + 1;
    if (t.type === 'html_block') check(t.content, line);
    else if (t.type === 'inline') for (const c of t.children ?? []) if (c.type === 'html_inline') check(c.content, line);
  }
  return notes;
}

export interface RenderOptions {
  /** Hosts whose <iframe> embeds are kept (QUIRE_EMBED_HOSTS); none when not given. */
  embedHosts?: readonly string[];
}

const NO_HOSTS: readonly string[] = [];

export function render(
  markdown: string,
  links: Readonly<Record<string, string>> = {},
  media?: MediaContext,
  options: RenderOptions = {},
): Rendered {
  const env = {};
  const tokens = md.parse(markdown, env);
  const plain = !media?.files.size && !Object.keys(links).length;
  const hosts = options.embedHosts ?? NO_HOSTS;
  const html = sanitizeHtml(
    md.renderer.render(tokens, md.options, env),
    plain ? plainSanitize(hosts) : sanitizeOptions(links, media, hosts),
  );
  // The author's <!--more--> marks the excerpt; otherwise the first paragraph stands for it.
  const more = MORE.exec(markdown);
  const excerpt = more ? textOf(md.parse(markdown.slice(0, more.index), {})) : textOf(firstParagraph(tokens));
  const text = textOf(tokens)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const wordCount = countWords(text);
  return {
    html,
    text,
    toc: collectToc(tokens),
    excerpt: truncate(excerpt, EXCERPT_MAX),
    wordCount,
    readingMinutes: Math.max(1, Math.round(wordCount / WORDS_PER_MINUTE)),
  };
}
