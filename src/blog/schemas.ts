// The API's shapes, written for clients. One zod schema each: its type is z.infer, the
// same schema validates requests, serializes responses and becomes the OpenAPI document.
import { z } from 'zod';

const Slug = z.string().min(1).max(200).describe('URL slug, e.g. "async-programming-patterns"');
const IsoDateTime = z.iso.datetime().describe('ISO 8601 date-time in UTC');

export const TermRefSchema = z
  .object({ slug: Slug, name: z.string() })
  .meta({ id: 'TermRef', description: 'A tag or category as attached to a post' });

export const TocEntrySchema = z
  .object({
    depth: z.number().int().min(1).max(6).describe('Heading level (2 for ##)'),
    text: z.string(),
    id: z.string().describe('The heading\'s id in `html`, for #anchor links'),
  })
  .meta({ id: 'TocEntry' });

export const PostSummarySchema = z
  .object({
    slug: Slug,
    title: z.string(),
    description: z.string().nullable(),
    excerpt: z.string().describe('First paragraph as plain text, or the text before <!--more-->'),
    publishedAt: IsoDateTime,
    updatedAt: IsoDateTime.nullable().describe('The article\'s own "updated" date, when it has one'),
    readingMinutes: z.number().int().min(1),
    wordCount: z.number().int().min(0),
    tags: z.array(TermRefSchema),
    categories: z.array(TermRefSchema),
  })
  .meta({ id: 'PostSummary' });

export const PostSchema = PostSummarySchema.extend({
  html: z.string().describe('Sanitized HTML of the body; code blocks keep a language-* class'),
  toc: z.array(TocEntrySchema).describe('Headings in document order'),
  extra: z
    .record(z.string(), z.unknown())
    .describe('Front-matter keys Quire has no field for, as the author wrote them'),
}).meta({ id: 'Post' });

export const TaxonomySchema = z.object({
  slug: Slug,
  name: z.string(),
  postCount: z.number().int().min(1).describe('Published posts carrying it'),
});
export const TagSchema = TaxonomySchema.meta({ id: 'Tag' });
export const CategorySchema = TaxonomySchema.meta({ id: 'Category' });

export type TermRef = z.infer<typeof TermRefSchema>;
export type PostSummary = z.infer<typeof PostSummarySchema>;
export type Post = z.infer<typeof PostSchema>;
export type Taxonomy = z.infer<typeof TaxonomySchema>;

/** A whole number from a query string, with messages a client can act on. */
function wholeNumber(min: number, max: number) {
  const whole = { error: 'must be a whole number' };
  return z.coerce.number(whole).int(whole).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
}

export const MAX_LIMIT = 100;

export const PageQuerySchema = z.strictObject({
  page: wholeNumber(1, 1_000_000).default(1).describe('1-based page number'),
  limit: wholeNumber(1, MAX_LIMIT).default(20).describe(`Items per page (at most ${MAX_LIMIT})`),
});

export const PostListQuerySchema = PageQuerySchema.extend({
  tag: Slug.optional().describe('Only posts with this tag (slug)'),
  category: Slug.optional().describe('Only posts in this category (slug)'),
});
export type PostListQuery = z.infer<typeof PostListQuerySchema>;

export const SlugParamsSchema = z.strictObject({ slug: Slug });

export const PageMetaSchema = z
  .object({
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int().describe('Items across all pages'),
    totalPages: z.number().int(),
  })
  .meta({ id: 'PageMeta' });

export const PageLinksSchema = z
  .object({
    self: z.string(),
    first: z.string(),
    last: z.string(),
    prev: z.string().nullable(),
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
