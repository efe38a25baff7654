// Markdown -> sanitized HTML plus the fields derived from it (table of contents, excerpt,
// word count, reading time), in one pass over one syntax tree.
import type { Element, Root as HastRoot, RootContent } from 'hast';
import { toString as hastText } from 'hast-util-to-string';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeSlug from 'rehype-slug';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';

/** Bump when the rendered output changes, so the next import re-renders every file. */
export const RENDERER_VERSION = 1;

export type TocEntry = {
  depth: number;
  text: string;
  id: string;
};

export interface Rendered {
  html: string;
  toc: TocEntry[];
  excerpt: string;
  wordCount: number;
  readingMinutes: number;
}

const WORDS_PER_MINUTE = 220;
const EXCERPT_MAX = 300;
const MORE = /<!--\s*more\s*-->/i;

// GitHub's sanitizer schema (no script, no event handlers, no javascript: URLs); keeps
// `language-*` classes on code. Ids are not prefixed: rehype-slug adds them after sanitizing.
const schema = { ...defaultSchema, clobberPrefix: '' };

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rehypeRaw)
  .use(rehypeSanitize, schema)
  .use(rehypeSlug)
  .use(rehypeStringify)
  .freeze();

const HEADING = /^h([1-6])$/;

function collectToc(tree: HastRoot): TocEntry[] {
  const toc: TocEntry[] = [];
  for (const node of tree.children) {
    if (node.type !== 'element') continue;
    const m = HEADING.exec(node.tagName);
    if (m && typeof node.properties.id === 'string') {
      toc.push({ depth: Number(m[1]), text: hastText(node).trim(), id: node.properties.id });
    }
  }
  return toc;
}

function firstParagraph(children: RootContent[]): Element | undefined {
  return children.find((n): n is Element => n.type === 'element' && n.tagName === 'p');
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

export function render(markdown: string): Rendered {
  const tree = processor.runSync(processor.parse(markdown));
  const html = processor.stringify(tree);
  const text = hastText(tree);
  const more = MORE.exec(markdown);
  // The author's <!--more--> marks the excerpt; otherwise the first paragraph stands for it.
  const excerptSource = more
    ? hastText(processor.runSync(processor.parse(markdown.slice(0, more.index))))
    : hastText(firstParagraph(tree.children) ?? tree);
  const wordCount = countWords(text);
  return {
    html,
    toc: collectToc(tree),
    excerpt: truncate(excerptSource, EXCERPT_MAX),
    wordCount,
    readingMinutes: Math.max(1, Math.round(wordCount / WORDS_PER_MINUTE)),
  };
}
