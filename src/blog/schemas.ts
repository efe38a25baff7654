// The API's shapes, written for clients. One zod schema each: its type is z.infer, the
// same schema validates requests, serializes responses and becomes the OpenAPI document.
import { z } from 'zod';
import { POST_EXAMPLE, POST_SUMMARY_EXAMPLE, TAG_EXAMPLE } from './examples.js';

/** Text from a request: no control characters (a NUL cannot even reach PostgreSQL). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
const text = () => z.string().refine((s) => !CONTROL.test(s), 'must not contain control characters');
const Slug = text().min(1).max(200).describe('URL slug, e.g. "async-programming-patterns"');
export const Lang = text().min(2).max(35).describe('BCP 47 language tag, e.g. "en", "pt-BR"');
const IsoDateTime = z.iso.datetime({ offset: true }).describe('ISO 8601 date-time in UTC');

export const TermRefSchema = z
  .object({ slug: Slug, name: z.string() })
  .meta({ id: 'TermRef', description: 'A tag or category as attached to a post' });

export const AuthorRefSchema = z
  .object({ slug: Slug, name: z.string(), url: z.string().nullable() })
  .meta({ id: 'AuthorRef', description: 'An author as attached to a post' });

export const TocEntrySchema = z
  .object({
    depth: z.number().int().min(1).max(6).describe('Heading level (2 for ##)'),
    text: z.string(),
    id: z.string().describe('The heading\'s id in `html`, for #anchor links'),
  })
  .meta({ id: 'TocEntry' });

const summaryShape = {
  slug: Slug,
  lang: Lang,
  title: z.string(),
  description: z.string().nullable(),
  excerpt: z.string().describe('First paragraph as plain text, or the text before <!--more-->'),
  image: z.string().nullable().describe('Cover image URL or path, as the author wrote it'),
  url: z.string().describe('The post on the site: QUIRE_SITE_URL + /posts/<slug> (/<lang>/posts/<slug> outside the default language)'),
  publishedAt: IsoDateTime,
  updatedAt: IsoDateTime.nullable().describe('The article\'s own "updated" date, when it has one'),
  readingMinutes: z.number().int().min(1),
  wordCount: z.number().int().min(0),
  tags: z.array(TermRefSchema),
  categories: z.array(TermRefSchema),
  authors: z.array(AuthorRefSchema),
};

const fullShape = {
  ...summaryShape,
  html: z.string().describe('Sanitized HTML of the body; code blocks keep a language-* class'),
  toc: z.array(TocEntrySchema).describe('Headings in document order'),
  extra: z.record(z.string(), z.unknown()).describe('Front-matter keys Quire has no field for, as written'),
  aliases: z.array(z.string()).describe('Old slugs or paths of the post; requests for them redirect here'),
};

export const PostSummarySchema = z.object(summaryShape).meta({ id: 'PostSummary', examples: [POST_SUMMARY_EXAMPLE] });
export const PostSchema = z.object(fullShape).meta({ id: 'Post', examples: [POST_EXAMPLE] });

export const SUMMARY_FIELDS = Object.keys(summaryShape) as (keyof typeof summaryShape)[];
export const FULL_FIELDS = Object.keys(fullShape) as (keyof typeof fullShape)[];
export type PostField = (typeof FULL_FIELDS)[number];

export const PostListItemSchema = z
  .object(fullShape)
  .partial()
  .extend({
    slug: Slug,
    lang: Lang,
    rank: z.number().optional().describe('Search relevance (with q): higher is better'),
    snippet: z
      .string()
      .optional()
      .describe('With q: matching passages of the body as HTML-escaped text, matches in <mark>'),
  })
  .meta({
    id: 'PostListItem',
    examples: [POST_SUMMARY_EXAMPLE, { slug: 'async-programming-patterns', lang: 'en', title: 'Mastering Async Programming Patterns' }],
    description: 'A post in a list: the summary fields by default, the full post with view=full, or only those named in fields (slug and lang always)',
  });

export const PostLinkSchema = z
  .object({ slug: Slug, lang: Lang, title: z.string(), url: z.string(), publishedAt: IsoDateTime })
  .meta({ id: 'PostLink', description: 'Another post, as a link' });

export const PostDetailSchema = PostSchema.extend({
  text: z.string().optional().describe('The body as plain text (with format=text)'),
  previous: PostLinkSchema.nullable().describe('The post published just before, in the same language'),
  next: PostLinkSchema.nullable().describe('The post published just after, in the same language'),
  related: z.array(PostLinkSchema).describe('Up to 4 posts sharing the most tags (1 each) and categories (0.5 each)'),
  translations: z
    .array(z.object({ lang: Lang, slug: Slug, url: z.string() }))
    .describe('The same slug in other languages'),
}).meta({
  id: 'PostDetail',
  examples: [{ ...POST_EXAMPLE, previous: null, next: null, related: [], translations: [] }],
});

export const TaxonomySchema = z.object({
  slug: Slug,
  name: z.string(),
  postCount: z.number().int().min(1).describe('Published posts carrying it'),
});
export const TagSchema = TaxonomySchema.meta({ id: 'Tag', examples: [TAG_EXAMPLE] });
export const CategorySchema = TaxonomySchema.meta({ id: 'Category', examples: [{ slug: 'programming', name: 'Programming', postCount: 7 }] });
export const AuthorSchema = TaxonomySchema.extend({ url: z.string().nullable() }).meta({
  id: 'Author',
  examples: [{ slug: 'ada-lovelace', name: 'Ada Lovelace', postCount: 3, url: 'https://ada.example.com' }],
});

export type TermRef = z.infer<typeof TermRefSchema>;
export type AuthorRef = z.infer<typeof AuthorRefSchema>;
export type PostSummary = z.infer<typeof PostSummarySchema>;
export type Post = z.infer<typeof PostSchema>;
export type PostListItem = z.infer<typeof PostListItemSchema>;
export type PostLink = z.infer<typeof PostLinkSchema>;
export type PostDetail = z.infer<typeof PostDetailSchema>;
export type Taxonomy = z.infer<typeof TaxonomySchema> & { url?: string | null };

/** A whole number from a query string, with messages a client can act on. */
function wholeNumber(min: number, max: number) {
  const whole = { error: 'must be a whole number' };
  return z.coerce.number(whole).int(whole).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
}

export const MAX_LIMIT = 100;
const MAX_SLUGS = 20;

/** Slugs as "a,b" or repeated parameters. */
const slugList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(Slug).min(1, 'must name at least one slug').max(MAX_SLUGS, `must name at most ${MAX_SLUGS} slugs`));

const dateBound = (end: boolean) =>
  z.string().transform((s, ctx) => {
    const day = /^\d{4}-\d{2}-\d{2}$/.test(s);
    const d = new Date(day ? `${s}T00:00:00Z` : s);
    if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(s)) {
      ctx.addIssue({ code: 'custom', message: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time' });
      return z.NEVER;
    }
    // A day as the upper bound includes all of it.
    return day && end ? new Date(d.getTime() + 86_400_000 - 1) : d;
  });

export const PageQuerySchema = z.strictObject({
  page: wholeNumber(1, 1_000_000).default(1).describe('1-based page number'),
  limit: wholeNumber(1, MAX_LIMIT).default(20).describe(`Items per page (at most ${MAX_LIMIT})`),
});

export const SORTS = ['-publishedAt', 'publishedAt', '-updatedAt', 'updatedAt', 'title', '-title', 'relevance'] as const;
export type Sort = (typeof SORTS)[number];

const fieldList = z
  .string()
  .transform((s) => s.split(',').map((f) => f.trim()).filter(Boolean))
  .pipe(
    z.array(z.enum(FULL_FIELDS, { error: `must name fields among ${FULL_FIELDS.join(', ')}` })).min(1),
  );

const filterShape = {
  tag: slugList.optional().describe('Posts with any of these tags (slugs, comma-separated)'),
  tagAll: slugList.optional().describe('Posts with all of these tags'),
  tagNot: slugList.optional().describe('Posts with none of these tags'),
  category: slugList.optional().describe('Posts in any of these categories'),
  categoryNot: slugList.optional().describe('Posts in none of these categories'),
  author: slugList.optional().describe('Posts by any of these authors'),
  lang: Lang.optional().describe('Posts in this language only'),
  from: dateBound(false).optional().describe('Published at or after (YYYY-MM-DD or ISO 8601)'),
  to: dateBound(true).optional().describe('Published at or before; a day includes all of it'),
  q: text()
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .optional()
    .describe('Full-text search: words, "a phrase", -excluded, or; ranked title > description > body'),
};

export const PostListQuerySchema = PageQuerySchema.extend({
  ...filterShape,
  cursor: text().max(500).optional().describe('Keyset pagination: the nextCursor of the previous page (instead of page)'),
  sort: z
    .enum(SORTS, { error: `must be one of ${SORTS.join(', ')}` })
    .optional()
    .describe('Order: -publishedAt (newest first, the default), publishedAt, -updatedAt, updatedAt, title, -title; relevance with q (its default)'),
  view: z.enum(['summary', 'full'], { error: 'must be summary or full' }).default('summary').describe('summary (no body) or full (with html, toc, extra)'),
  fields: fieldList.optional().describe('Only these fields (comma-separated); slug and lang always come'),
});
export type PostListQuery = z.infer<typeof PostListQuerySchema>;

export const SearchQuerySchema = PostListQuerySchema.extend({
  q: filterShape.q.unwrap().describe(filterShape.q.description ?? ''),
});

export const ExportQuerySchema = z.strictObject({
  ...filterShape,
  view: z.enum(['summary', 'full'], { error: 'must be summary or full' }).default('full'),
  fields: fieldList.optional(),
});
export type ExportQuery = z.infer<typeof ExportQuerySchema>;

export const PostQuerySchema = z.strictObject({
  lang: Lang.optional().describe('Which language\'s post (default: QUIRE_DEFAULT_LANG, else the only one)'),
  format: z.enum(['html', 'text'], { error: 'must be html or text' }).default('html').describe('text adds the body as plain text'),
});

export const TaxonomyListQuerySchema = PageQuerySchema.extend({
  limit: PageQuerySchema.shape.limit.default(100),
  sort: z
    .enum(['name', '-name', 'count', '-count'], { error: 'must be name, -name, count or -count' })
    .default('name')
    .describe('name (A to Z, the default), -name, count (fewest first), -count (most posts first)'),
});

export const SlugParamsSchema = z.strictObject({ slug: Slug });

export const PageMetaSchema = z
  .object({
    page: z.number().int().optional().describe('With page-based paging'),
    limit: z.number().int(),
    total: z.number().int().describe('Items across all pages'),
    totalPages: z.number().int().optional().describe('With page-based paging'),
    nextCursor: z.string().nullable().optional().describe('With cursor paging: pass as cursor for the next page; null at the end'),
  })
  .meta({ id: 'PageMeta', examples: [{ page: 2, limit: 20, total: 57, totalPages: 3 }] });

export const PageLinksSchema = z
  .object({
    self: z.string(),
    first: z.string(),
    last: z.string().optional(),
    prev: z.string().nullable().optional(),
    next: z.string().nullable(),
  })
  .meta({ id: 'PageLinks', description: 'Relative URLs of neighbouring pages, null at the ends' });

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), meta: PageMetaSchema, links: PageLinksSchema });
}

export function one<T extends z.ZodType>(item: T) {
  return z.object({ data: item });
}

/** A documented 200 response: its description and its JSON schema. */
export function ok<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } };
}
