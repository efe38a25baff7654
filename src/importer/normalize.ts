// One source file -> the post it describes, a reason it is not a post, or its problems.
import { readFields, type Author } from './fields.js';
import { splitFrontMatter } from './front-matter.js';
import { internalLinks, type InternalLink } from './links.js';
import { fromPathValue, pathInfo } from './paths.js';
import type { FileProblem } from './problems.js';
import { toSlug } from './slug.js';
import type { SourceFile } from './source.js';
import { preprocess } from './transforms.js';

export interface Term {
  slug: string;
  name: string;
}

export interface AuthorTerm extends Term {
  url: string | null;
}

export interface NormalizedPost {
  sourcePath: string;
  contentHash: string;
  slug: string;
  lang: string;
  title: string;
  description: string | null;
  publishedAt: Date;
  updatedAt: Date | null;
  draft: boolean;
  image: string | null;
  aliases: string[];
  tags: Term[];
  categories: Term[];
  authors: AuthorTerm[];
  extra: Record<string, unknown>;
  /** The body as rendered: other generators' syntax already turned into Markdown. */
  markdown: string;
  links: InternalLink[];
  /** Relative links to other files (as written) -> those posts' paths; see resolveLinks. */
  linkMap: Record<string, string>;
}

export interface NormalizeOptions {
  defaultLang: string;
  /** When set, only these languages are recognized (in front matter and in paths). */
  languages?: ReadonlySet<string>;
}

export type Normalized =
  | { kind: 'post'; post: NormalizedPost }
  | { kind: 'skip'; file: string; reason: string }
  | { kind: 'invalid'; problems: FileProblem[] };

/**
 * Limits that keep one file from weighing on every response it appears in. A slug longer
 * than the API takes in a path could never be asked for.
 */
export const LIMITS = { slug: 200, title: 1_000, description: 5_000, name: 200, terms: 100 };

/** Names -> terms, the first spelling of each slug kept, in the author's order. */
function toTerms<T extends { name: string }>(names: T[]): { terms: (T & { slug: string })[]; bad?: string } {
  const terms = new Map<string, T & { slug: string }>();
  for (const item of names) {
    const slug = toSlug(item.name);
    if (!slug) return { terms: [], bad: `"${item.name.slice(0, 50)}" has no letters or digits to make a slug from` };
    if (item.name.length > LIMITS.name) return { terms: [], bad: `"${item.name.slice(0, 50)}…" is longer than ${LIMITS.name} characters` };
    if (!terms.has(slug)) terms.set(slug, { ...item, slug });
  }
  if (terms.size > LIMITS.terms) return { terms: [], bad: `has ${terms.size} entries; at most ${LIMITS.terms}` };
  return { terms: [...terms.values()] };
}

export function normalize(file: SourceFile, options: NormalizeOptions): Normalized {
  const split = splitFrontMatter(file.path, file.text);
  if (!split.ok) return { kind: 'invalid', problems: split.problems };
  const info = pathInfo(file.path, options.languages);
  if (info.skip) return { kind: 'skip', file: file.path, reason: info.skip };
  if (split.format === 'none') {
    return {
      kind: 'invalid',
      problems: [{ file: file.path, line: 1, message: 'has no front matter: start the file with a --- block holding at least a title' }],
    };
  }
  const { fields, keys, extra, problems: fieldProblems } = readFields(split.data, options.languages);
  const at = (key: string) => ({ file: file.path, field: key, ...(split.lineOf(key) && { line: split.lineOf(key) }) });
  const problems: FileProblem[] = fieldProblems.map(({ key, message }) => ({ ...at(key), message }));
  const failed = new Set(fieldProblems.map((p) => p.field));
  const fromPath = fields.path ? fromPathValue(fields.path) : {};
  const date = fields.date ?? fromPath.date ?? info.date;
  if (!date && !failed.has('date')) {
    if (fields.layout !== undefined) return { kind: 'skip', file: file.path, reason: `a page (layout "${fields.layout}", no date)` };
    problems.push({ ...at('date'), message: 'is required (in front matter, or as a YYYY-MM-DD- file name prefix)' });
  }
  if (!fields.title && !failed.has('title')) problems.push({ ...at('title'), message: 'is required' });
  const slug = fields.slug ?? toSlug(fromPath.name ?? info.name);
  if (!slug && !failed.has('slug')) problems.push({ ...at('slug'), message: 'is missing and the file name gives none' });

  const tags = toTerms(fields.tags.map((name) => ({ name })));
  const categories = toTerms(fields.categories.map((name) => ({ name })));
  const authors = toTerms<Author>(fields.authors);
  for (const [field, result] of [['tags', tags], ['categories', categories], ['authors', authors]] as const) {
    if (result.bad !== undefined) problems.push({ ...at(keys[field] ?? field), message: result.bad });
  }
  for (const [field, value, max] of [
    ['slug', slug, LIMITS.slug],
    ['title', fields.title, LIMITS.title],
    ['description', fields.description, LIMITS.description],
  ] as const) {
    if (value && value.length > max) problems.push({ ...at(keys[field] ?? field), message: `is longer than ${max} characters` });
  }
  if (problems.length) return { kind: 'invalid', problems };

  const markdown = preprocess(split.body, { mdx: /\.mdx$/i.test(file.path) });
  return {
    kind: 'post',
    post: {
      sourcePath: file.path,
      contentHash: file.hash,
      slug,
      lang: fields.lang ?? info.lang ?? options.defaultLang,
      title: fields.title!,
      description: fields.description ?? null,
      publishedAt: date!,
      updatedAt: fields.updated ?? null,
      draft: (fields.draft ?? false) || info.draft,
      image: fields.image ?? null,
      aliases: fields.aliases,
      tags: tags.terms,
      categories: categories.terms,
      authors: authors.terms.map(({ slug: s, name, url }) => ({ slug: s, name, url: url ?? null })),
      extra,
      markdown,
      links: internalLinks(markdown, file.path, split.bodyLine),
      linkMap: {},
    },
  };
}
