// Request parameters, one zod schema each: validation, types and the OpenAPI document. Every
// constraint the server enforces is in the schema, so a client generated from the document
// cannot build a request refused for a reason the document did not say.
import { z } from 'zod';
import { FULL_FIELDS, Lang, Slug, text } from './schemas.js';

/** A whole number from a query string, with messages a client can act on. */
function wholeNumber(min: number, max: number) {
  const whole = { error: 'must be a whole number' };
  return z.coerce.number(whole).int(whole).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
}

export const MAX_LIMIT = 100;
const MAX_SLUGS = 20;

/** Slugs as repeated parameters (tag=a&tag=b) or comma-separated (tag=a,b). */
const slugList = z
  .union([z.array(text().min(1, 'must not be empty')), text().min(1, 'must name at least one slug')])
  .transform((v) =>
    (Array.isArray(v) ? v : [v])
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(Slug).min(1, 'must name at least one slug').max(MAX_SLUGS, `must name at most ${MAX_SLUGS} slugs`));

/** A day (YYYY-MM-DD) or a date-time; a day as the upper bound includes all of it. */
const dateBound = (end: boolean) =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time' })
    .transform((s) => {
      const day = s.length === 10;
      const d = new Date(day ? `${s}T00:00:00Z` : s);
      return day && end ? new Date(d.getTime() + 86_400_000 - 1) : d;
    });

const page = {
  page: wholeNumber(1, 1_000_000).default(1).describe('1-based page number (ignored with cursor)'),
  limit: wholeNumber(1, MAX_LIMIT).default(20).describe(`Items per page (at most ${MAX_LIMIT})`),
};
export const PageQuerySchema = z.strictObject(page);

export const SORTS = ['-publishedAt', 'publishedAt', '-updatedAt', 'updatedAt', 'title', '-title', 'relevance'] as const;
export type Sort = (typeof SORTS)[number];

export const filterShape = {
  tag: slugList.optional().describe('Posts with any of these tags (slugs; repeat the parameter or separate with commas)'),
  tagAll: slugList.optional().describe('Posts with all of these tags'),
  tagNot: slugList.optional().describe('Posts with none of these tags'),
  category: slugList.optional().describe('Posts in any of these categories'),
  categoryNot: slugList.optional().describe('Posts in none of these categories'),
  author: slugList.optional().describe('Posts by any of these authors'),
  lang: Lang.optional().describe('Posts in this language only'),
  from: dateBound(false).optional().describe('Published at or after (YYYY-MM-DD or ISO 8601)'),
  to: dateBound(true).optional().describe('Published at or before; a day includes all of it'),
};
export type Filters = { [K in keyof typeof filterShape]?: z.output<(typeof filterShape)[K]> };

const q = text().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const PostListQuerySchema = z.strictObject({
  ...page,
  ...filterShape,
  cursor: text()
    .max(500, 'is not a cursor this API gave out')
    .optional()
    .describe('Keyset paging: empty to start, then the nextCursor of the previous page'),
  sort: z
    .enum(SORTS, { error: `must be one of ${SORTS.join(', ')}` })
    .optional()
    .describe(
      'Order: -publishedAt (newest first, the default), publishedAt, -updatedAt, updatedAt, title, -title; relevance (with q; newest first without)',
    ),
  view: z
    .enum(['summary', 'full'], { error: 'must be summary or full' })
    .default('summary')
    .describe('summary (no body) or full (with html, toc, extra, aliases)'),
  q: q.optional().describe('Full-text search: words, "a phrase", -excluded, or; ranked title > description > body'),
});
export type PostListQuery = z.infer<typeof PostListQuerySchema>;

export const SearchQuerySchema = PostListQuerySchema.omit({ view: true }).extend({
  q: q.describe('Full-text search: words, "a phrase", -excluded, or; ranked title > description > body'),
});

/** One field, or several separated by commas: the pattern lets the document say which. */
const FIELD = `\\s*(${FULL_FIELDS.join('|')})\\s*`;
const FIELDS_PATTERN = new RegExp(`^${FIELD}(,${FIELD})*$`);
const fieldList = z
  .union([z.array(z.enum(FULL_FIELDS)), z.string().regex(FIELDS_PATTERN)], { error: `must name fields among ${FULL_FIELDS.join(', ')}` })
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((f) => f.trim()).filter(Boolean))
  .pipe(z.array(z.enum(FULL_FIELDS, { error: `must name fields among ${FULL_FIELDS.join(', ')}` })).min(1, 'must name at least one field'));

export const ExportQuerySchema = z.strictObject({
  ...filterShape,
  view: z.enum(['summary', 'full'], { error: 'must be summary or full' }).default('full').describe('full (the default) or summary'),
  fields: fieldList.optional().describe('Only these fields (repeat, or separate with commas); slug and lang always come'),
});
export type ExportQuery = z.infer<typeof ExportQuerySchema>;

const preview = text()
  .max(1_000, 'is not a preview token this API gave out')
  .optional()
  .describe('A preview token (POST /v1/admin/previews): shows a draft or scheduled document to its holder');

export const DocumentQuerySchema = z.strictObject({
  lang: Lang.optional().describe("Which language's document (default: QUIRE_DEFAULT_LANG, else the only one)"),
  format: z.enum(['html', 'text'], { error: 'must be html or text' }).default('html').describe('text adds the body as plain text'),
  preview,
});
export type DocumentQuery = z.infer<typeof DocumentQuerySchema>;

export const ResolveQuerySchema = DocumentQuerySchema.extend({
  path: text()
    .min(1, 'must be a path like /blog/2024/my-post/')
    .max(2_000, 'must be at most 2,000 characters')
    .describe('A path on the site, as a reader requested it (/blog/2024/my-post/)'),
});

export const PagesQuerySchema = z.strictObject({
  ...page,
  lang: Lang.optional().describe('Pages in this language only'),
});

export const TaxonomyListQuerySchema = z.strictObject({
  ...page,
  limit: page.limit.default(100),
  sort: z
    .enum(['name', '-name', 'count', '-count'], { error: 'must be name, -name, count or -count' })
    .default('name')
    .describe('name (A to Z, the default), -name, count (fewest first), -count (most posts first)'),
});

export const FeedQuerySchema = z.strictObject({
  lang: Lang.optional().describe('Posts in this language only'),
  limit: page.limit.describe(`The newest posts, at most ${MAX_LIMIT}`),
});

export const SlugParamsSchema = z.strictObject({ slug: Slug });
