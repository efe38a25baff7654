// One source file -> the document it describes (a post or a page), a reason it is none, or
// its problems. A document leaves here without its body: what the checks across files need
// is small, and the body is read again when the document is written (run.ts).
import { z } from 'zod';
import type { Author } from './authors.js';
import type { FieldKeys } from './field-keys.js';
import { readFields } from './fields.js';
import { generatorDate, LENIENT_YAML, REFUSES_BAD_DATES } from './generators/values.js';
import { generatorData, type GeneratorReading, generatorReading } from './generators/index.js';
import { canonicalLanguage } from './language.js';
import { splitFrontMatter } from './front-matter.js';
import { InternalLinkSchema, MediaRefSchema, mediaRef, references } from './links.js';
import { fromPathValue, pathInfo } from './paths.js';
import { type FileProblem, type Warning, WarningSchema } from './report.js';
import { AuthorRefSchema, TermRefSchema } from '../blog/schemas.js';
import { toSlug } from '../blog/slug.js';
import type { Site } from './site.js';
import type { SourceFile } from './source.js';
import { droppedHtml } from './render.js';
import { preprocess } from './transforms.js';

// A document's terms are kept as the API sends them (blog/schemas.ts): one shape for both.
export type Term = z.infer<typeof TermRefSchema>;
export type AuthorTerm = z.infer<typeof AuthorRefSchema>;

/** What the importer keeps of a document between reading it and writing it (and caches). */
export const DocSchema = z.object({
  sourcePath: z.string(),
  /** sha256 of the file's bytes. */
  fileHash: z.string(),
  kind: z.enum(['post', 'page']),
  /** A page only because it has no date. */
  undated: z.boolean(),
  requestedSlug: z.string(),
  /** The line that asked for the slug (the slug key), for messages about it. */
  slugLine: z.number().int(),
  lang: z.string(),
  /** Front matter's own path (Zola path, Hugo url, Jekyll permalink), as written. */
  explicitPath: z.string().optional(),
  /** The URL path the site's generator writes the page at, exactly as it makes it. */
  generatorPath: z.string().optional(),
  /** What the file's place says, for its permalink. */
  place: z.object({
    dirs: z.array(z.string()),
    jekyll: z.array(z.string()).optional(),
    langFrom: z.enum(['suffix', 'folder']).optional(),
  }),
  title: z.string(),
  description: z.string().nullable(),
  publishedAt: z.coerce.date().nullable(),
  updatedAt: z.coerce.date().nullable(),
  /** Hugo's expiryDate: not public from then on. */
  expiresAt: z.coerce.date().nullable(),
  draft: z.boolean(),
  featured: z.boolean(),
  image: z.object({ src: z.string(), alt: z.string().optional(), line: z.number().int().optional() }).nullable(),
  aliases: z.array(z.string()),
  tags: z.array(TermRefSchema),
  categories: z.array(TermRefSchema),
  authors: z.array(AuthorRefSchema),
  extra: z.record(z.string(), z.unknown()),
  links: z.array(InternalLinkSchema),
  /** Local files the body and the cover use. */
  media: z.array(MediaRefSchema),
  warnings: z.array(WarningSchema),
});
export type Doc = z.infer<typeof DocSchema>;

export interface NormalizeOptions {
  defaultLang: string;
  /** When set, only these languages are recognized (in front matter and in paths). */
  languages?: ReadonlySet<string>;
  /** Files that are pages whatever their front matter says (picomatch test). */
  isPage?: (path: string) => boolean;
  /** The site the file belongs to: its generator's rules. */
  site?: Site;
  /** Hosts whose <iframe> embeds are kept; an embed from another is reported. */
  embedHosts?: readonly string[];
  /** Key names of the site's own for Quire's fields. */
  fieldKeys?: FieldKeys;
}

export type Normalized =
  | { kind: 'doc'; doc: Doc; markdown: string }
  | { kind: 'skip'; file: string; reason: string }
  | { kind: 'invalid'; problems: FileProblem[] };

/**
 * Limits that keep one file from weighing on every response it appears in. A slug longer
 * than the API takes in a path could never be asked for.
 */
export const LIMITS = { slug: 200, title: 1_000, description: 5_000, name: 200, terms: 100, path: 1_000 };

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

/** The text of an ATX level-1 heading the body starts with ("# Title"), emphasis marks and a trailing id taken off. */
function firstHeading(body: string): string | undefined {
  const line = /^\s*#[ \t]+(.+?)[ \t#]*$/m.exec(body.replace(/^(\s*\n)*/, '').split('\n', 1)[0] ?? '');
  const text = line?.[1]
    ?.replace(/\s*\\?\{[#/][^}]*\}\s*$/, '')
    .replace(/[*_`]/g, '')
    .trim();
  return text || undefined;
}

/** "2009-05-18-bananas" -> "Bananas", as Jekyll titles a post from its file name. */
const titleFrom = (name: string) => {
  const words = name.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const valueOf = (data: Record<string, unknown>, key: string) => data[Object.keys(data).find((k) => k.toLowerCase() === key) ?? ''];

/** Why the generator writes no page for this file, when it writes none. */
function notBuilt(data: Record<string, unknown>, generator: Site['generator']): string | undefined {
  if (generator === undefined || generator === 'hugo') {
    // Hugo's headless bundles and build options (gohugo.io/content-management/build-options/):
    // `render: never` (or the older `headless: true`) builds no page; its content is for others to include.
    if (valueOf(data, 'headless') === true) return 'headless (headless: true): Hugo builds no page for it';
    const build = (valueOf(data, 'build') ?? valueOf(data, '_build')) as Record<string, unknown> | undefined;
    if (build && typeof build === 'object' && String(valueOf(build, 'render')).toLowerCase() === 'never')
      return 'build.render is never: Hugo builds no page for it';
  }
  if ((generator === undefined || generator === 'eleventy') && valueOf(data, 'permalink') === false) {
    // Eleventy: `permalink: false` writes no file (11ty.dev/docs/permalinks/#skip-writing-to-the-file-system).
    return 'permalink is false: Eleventy writes no page for it';
  }
  return undefined;
}

export function normalize(file: SourceFile, options: NormalizeOptions): Normalized {
  const lenientYaml = options.site?.generator && LENIENT_YAML[options.site.generator];
  const split = splitFrontMatter(file.path, file.text, lenientYaml ? { lenientYaml } : {});
  if (!split.ok) return { kind: 'invalid', problems: split.problems };
  // Hugo's and Zola's home is their _index.md; other generators build an index.md at the root as the home page.
  const home = !!options.site?.generator && !['hugo', 'zola'].includes(options.site.generator);
  const info = pathInfo(file.path, options.languages, home);
  if (info.skip) return { kind: 'skip', file: file.path, reason: info.skip };
  const site = options.site;
  // What the generator's cascade gives the file (Jekyll's defaults…), under its own front matter.
  const data = site?.generator ? generatorData(file.path, site, split.data) : split.data;
  const unbuilt = notBuilt(data, site?.generator);
  if (unbuilt) return { kind: 'skip', file: file.path, reason: unbuilt };
  const read = readFields(data, options.languages, options.fieldKeys);
  const { fields, keys, extra } = read;
  const lenientNotes: Warning[] = [];
  // A value the generator builds the page with is no reason to refuse the file: read as the
  // generator reads it, or left out of its field and said so; what it refuses stays an error.
  const fieldProblems = site?.generator ? read.problems.filter((p) => !tolerate(p, site.generator!)) : read.problems;
  function tolerate(p: (typeof read.problems)[number], generator: NonNullable<Site['generator']>): boolean {
    const line = split.ok ? split.lineOf(p.key) : undefined;
    const at = { file: file.path, ...(line && { line }) };
    // Eleventy's own date words: the file's times or its git history (Template.js getMappedDate).
    if (generator === 'eleventy' && p.field === 'date' && /^(git )?(last modified|created)$/i.test(String(data[p.key]).trim())) {
      lenientNotes.push({
        code: 'approximated',
        ...at,
        message: `${p.key}: "${String(data[p.key])}" is a date Eleventy takes from the file's times or git history; the document is left undated`,
      });
      return true;
    }
    if (p.field === 'date' || p.field === 'updated' || p.field === 'expires') {
      const read = generatorDate(generator, data[p.key]);
      if (read) {
        fields[p.field] = read.date;
        lenientNotes.push({
          code: 'approximated',
          ...at,
          message: `${p.key}: ${JSON.stringify(data[p.key])} read as ${read.how} reads it: ${read.date.toISOString()}`,
        });
        return true;
      }
      if (p.field === 'date' && REFUSES_BAD_DATES.has(generator)) return false;
    }
    extra[p.key] = JSON.parse(JSON.stringify(data[p.key] ?? null)) as unknown;
    lenientNotes.push({
      code: 'invalid-value',
      ...at,
      message: `${p.key} ${p.message}: not used as the ${p.field}, kept as written in extra`,
    });
    return true;
  }
  // The generator's own reading: the URL it writes the page at, or none; its language and date.
  const generated: GeneratorReading = site?.generator
    ? generatorReading({
        rel: file.path,
        data,
        hasFrontMatter: split.format !== 'none',
        title: fields.title ?? '',
        date: fields.date,
        lang: fields.lang ?? info.lang ?? options.defaultLang,
        defaultLang: options.defaultLang,
        categories: fields.categories ?? [],
        info,
        site,
      })
    : {};
  if (generated.skip) return { kind: 'skip', file: file.path, reason: generated.skip };
  if (generated.note) lenientNotes.push({ code: 'approximated', file: file.path, line: 1, message: generated.note });
  // A file without front matter is a page to Hugo, Eleventy, Jekyll (in _posts and
  // collections), Astro, Next.js and Docusaurus; Zola refuses one, and so does a plain folder.
  if (split.format === 'none' && (!site?.generator || site.generator === 'zola')) {
    return {
      kind: 'invalid',
      problems: [{ file: file.path, line: 1, message: 'has no front matter: start the file with a --- block holding at least a title' }],
    };
  }
  const at = (key: string) => ({ file: file.path, field: key, ...(split.lineOf(key) && { line: split.lineOf(key) }) });
  const problems: FileProblem[] = fieldProblems.map(({ key, message }) => ({ ...at(key), message }));
  const warnings = [...split.warnings, ...lenientNotes];
  const failed = new Set(fieldProblems.map((p) => p.field));
  const fromPath = fields.path ? fromPathValue(fields.path) : {};
  const date = fields.date ?? generated.date ?? fromPath.date ?? info.date;
  // A page: said so (`type: page`, Jekyll's `layout: page`), in a pages folder (QUIRE_PAGES),
  // or undated (a post has a date: Jekyll's about.md, Hugo's and Zola's sections of docs).
  // An undated file among dated posts is more likely a post whose date was forgotten: the
  // checks across files say so (run.ts).
  const pageByMatter = [fields.type, fields.layout].some((v) => v?.toLowerCase() === 'page');
  const declared = pageByMatter || !!options.isPage?.(file.path);
  const undated = !declared && !date && !failed.has('date');
  const isPage = declared || undated;
  // A title key left empty is a mistake; no title key at all takes the first heading when
  // the body starts with one (Docusaurus's own rule), else the file's name (Jekyll's).
  const titleKey = Object.keys(data).find((k) => k.toLowerCase() === 'title');
  let title = fields.title;
  if (!title && !failed.has('title')) {
    const heading = firstHeading(split.body);
    const written = titleKey === undefined ? undefined : split.data[titleKey];
    const empty =
      titleKey !== undefined && titleKey in split.data && (written === null || (typeof written === 'string' && !written.trim()));
    if (empty) problems.push({ ...at(titleKey), message: 'is empty: write a title, or remove the key to take it from the file name' });
    else if (heading) {
      title = heading;
      if (site?.generator !== 'docusaurus')
        warnings.push({
          code: 'title-from-file-name',
          file: file.path,
          line: 1,
          message: `has no title: "${title}", its first heading, is used`,
        });
    } else {
      title = titleFrom(fromPath.name ?? info.name);
      warnings.push({
        code: 'title-from-file-name',
        file: file.path,
        line: 1,
        message: `has no title: "${title}", from the file name, is used`,
      });
    }
  }
  const requestedSlug = fields.slug ?? toSlug(fromPath.name ?? info.name);
  if (!requestedSlug && !failed.has('slug'))
    problems.push({ ...at('slug'), message: 'is missing and the file name gives none: add a slug' });

  const tags = toTerms((fields.tags ?? []).map((name) => ({ name })));
  const categories = toTerms((fields.categories ?? []).map((name) => ({ name })));
  const authors = toTerms<Author>(fields.authors ?? []);
  for (const [field, result] of [
    ['tags', tags],
    ['categories', categories],
    ['authors', authors],
  ] as const) {
    if (result.bad !== undefined) problems.push({ ...at(keys[field] ?? field), message: result.bad });
  }
  for (const [field, value, max] of [
    ['slug', requestedSlug, LIMITS.slug],
    ['title', title, LIMITS.title],
    ['description', fields.description, LIMITS.description],
    ['path', fields.path, LIMITS.path],
  ] as const) {
    if (value && value.length > max) problems.push({ ...at(keys[field] ?? field), message: `is longer than ${max} characters` });
  }
  if (problems.length) return { kind: 'invalid', problems };

  // Docusaurus reads .md files as MDX too (its `markdown.format` is "mdx" by default).
  const mdx = /\.mdx$/i.test(file.path) || options.site?.generator === 'docusaurus';
  const { markdown, notes } = preprocess(split.body, { mdx, bodyLine: split.bodyLine, params: split.data });
  for (const note of notes) warnings.push({ code: 'shortcode', file: file.path, line: note.line, message: note.message });
  for (const note of droppedHtml(markdown, options.embedHosts ?? [])) {
    warnings.push({ code: 'removed-html', file: file.path, line: split.bodyLine + note.line - 1, message: note.message });
  }
  const refs = references(markdown, file.path, split.bodyLine);
  // Front matter's image, else the one the generator takes (a Hugo bundle's featured.*).
  const own = fields.image ?? (generated.image ? { src: generated.image } : undefined);
  const image = own ? { ...own, ...((fields.imageAlt ?? own.alt) && { alt: fields.imageAlt ?? own.alt }) } : null;
  const imageLine = keys.image ? split.lineOf(keys.image) : undefined;
  const cover = image && mediaRef(image.src);
  const media =
    cover && !refs.media.some((m) => m.ref === cover) ? [{ ref: cover, ...(imageLine && { line: imageLine }) }, ...refs.media] : refs.media;
  return {
    kind: 'doc',
    markdown,
    doc: {
      sourcePath: file.path,
      fileHash: file.hash,
      kind: isPage ? 'page' : 'post',
      undated,
      requestedSlug,
      slugLine: split.lineOf('slug') ?? 1,
      lang: fields.lang ?? (generated.lang && (canonicalLanguage(generated.lang) ?? generated.lang)) ?? info.lang ?? options.defaultLang,
      ...(fields.path && { explicitPath: fields.path }),
      ...(generated.path && { generatorPath: generated.path }),
      place: { dirs: info.dirs, ...(info.jekyll && { jekyll: info.jekyll }), ...(info.langFrom && { langFrom: info.langFrom }) },
      title: title!,
      description: fields.description ?? null,
      publishedAt: date ?? null,
      updatedAt: fields.updated ?? null,
      expiresAt: fields.expires ?? null,
      draft: (fields.draft ?? false) || info.draft,
      featured: fields.featured ?? false,
      image: image && { ...image, ...(imageLine && { line: imageLine }) },
      aliases: generated.aliases ?? fields.aliases ?? [],
      tags: tags.terms,
      categories: categories.terms,
      authors: authors.terms.map(({ slug, name, url, affiliation }) => ({
        slug,
        name,
        url: url ?? null,
        affiliation: affiliation ?? null,
      })),
      extra,
      links: refs.links,
      media,
      warnings,
    },
  };
}
