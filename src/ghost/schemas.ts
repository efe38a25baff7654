// Ghost's Content API shapes, as Ghost 5 and 6 send them: one zod schema each, whose keys
// (in Ghost's order) the queries build their JSON from (blog/json.ts). Quire has no value
// for many of Ghost's fields (code injection, Open Graph images unless the front matter sets
// them, members): they are present, with Ghost's own "not set" (null, false, []).
import { z } from 'zod';
import { text } from '../blog/schemas.js';

const nullableText = z.string().nullable();
/** Ghost writes dates as ISO 8601 with an explicit UTC offset: 2024-05-20T00:00:00.000+00:00. */
const GhostDate = z.string();

export const GhostTagSchema = z
  .object({
    id: z.string().describe('24 hex characters, stable for a slug'),
    name: z.string(),
    slug: z.string(),
    description: nullableText,
    feature_image: nullableText,
    visibility: z.literal('public'),
    og_image: nullableText,
    og_title: nullableText,
    og_description: nullableText,
    twitter_image: nullableText,
    twitter_title: nullableText,
    twitter_description: nullableText,
    meta_title: nullableText,
    meta_description: nullableText,
    codeinjection_head: nullableText,
    codeinjection_foot: nullableText,
    canonical_url: nullableText,
    accent_color: nullableText,
    url: z.string(),
    count: z.object({ posts: z.number().int() }).optional().describe('With include=count.posts'),
  })
  .meta({ id: 'GhostTag' });

export const GhostAuthorSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    profile_image: nullableText,
    cover_image: nullableText,
    bio: nullableText,
    website: nullableText,
    location: nullableText,
    facebook: nullableText,
    twitter: nullableText,
    meta_title: nullableText,
    meta_description: nullableText,
    url: z.string(),
    count: z.object({ posts: z.number().int() }).optional(),
  })
  .meta({ id: 'GhostAuthor' });

export const GhostPostSchema = z
  .object({
    id: z.string().describe('24 hex characters, from the document\'s uuid'),
    uuid: z.string(),
    title: z.string(),
    slug: z.string(),
    html: z.string().optional().describe('With formats=html (the default)'),
    plaintext: z.string().optional().describe('With formats=plaintext'),
    comment_id: z.string(),
    feature_image: nullableText,
    featured: z.boolean(),
    visibility: z.literal('public'),
    created_at: GhostDate,
    updated_at: GhostDate,
    published_at: GhostDate,
    custom_excerpt: nullableText,
    codeinjection_head: nullableText,
    codeinjection_foot: nullableText,
    custom_template: nullableText,
    canonical_url: nullableText,
    tags: z.array(GhostTagSchema).optional(),
    tiers: z.array(z.unknown()).optional(),
    authors: z.array(GhostAuthorSchema).optional(),
    primary_author: GhostAuthorSchema.nullable().optional(),
    primary_tag: GhostTagSchema.nullable().optional(),
    url: z.string(),
    excerpt: z.string(),
    reading_time: z.number().int(),
    access: z.boolean(),
    comments: z.boolean(),
    og_image: nullableText,
    og_title: nullableText,
    og_description: nullableText,
    twitter_image: nullableText,
    twitter_title: nullableText,
    twitter_description: nullableText,
    meta_title: nullableText,
    meta_description: nullableText,
    email_subject: nullableText,
    frontmatter: nullableText,
    feature_image_alt: nullableText,
    feature_image_caption: nullableText,
  })
  .meta({ id: 'GhostPost' });

/** With fields=: only the fields asked for. */
export const GhostPostFieldsSchema = GhostPostSchema.partial();
export const GhostTagFieldsSchema = GhostTagSchema.partial();
export const GhostAuthorFieldsSchema = GhostAuthorSchema.partial();

export const GhostPaginationSchema = z.object({
  page: z.number().int(),
  limit: z.union([z.number().int(), z.literal('all')]),
  pages: z.number().int(),
  total: z.number().int(),
  next: z.number().int().nullable(),
  prev: z.number().int().nullable(),
});
export type GhostPagination = z.infer<typeof GhostPaginationSchema>;

const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 15;

/** The query parameters of a browse. Unknown ones are ignored, as Ghost does. */
const param = (max: number) => text().max(max, `must be at most ${max} characters`).optional();

export const GhostBrowseQuerySchema = z.object({
  key: z.string().optional(),
  include: param(200),
  fields: param(2000),
  formats: param(200),
  // Frontends filter by a few dozen ids or slugs at most; this bounds the SQL a request makes.
  filter: param(8000),
  order: param(500),
  // Past 100, Ghost 6 sends 100 and the pages that follow; "all" is honoured (docs/ghost.md).
  limit: z
    .union([z.literal('all'), z.coerce.number({ error: 'must be a whole number or all' }).int('must be a whole number or all').min(1, 'must be at least 1')])
    .default(DEFAULT_LIMIT)
    .transform((l) => (l === 'all' ? l : Math.min(l, MAX_LIMIT))),
  page: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(1_000_000).default(1),
});
export type GhostBrowseQuery = z.infer<typeof GhostBrowseQuerySchema>;

export const GhostReadQuerySchema = GhostBrowseQuerySchema.pick({ key: true, include: true, fields: true, formats: true });
export type GhostReadQuery = z.infer<typeof GhostReadQuerySchema>;

export const GhostIdParamsSchema = z.object({ id: text() });
export const GhostSlugParamsSchema = z.object({ slug: text() });
