// Ghost's Content API shapes, as Ghost 5 and 6 send them: one zod schema each, whose keys
// (in Ghost's order) the queries build their JSON from (blog/json.ts). Quire has no value
// for many of Ghost's fields (code injection, Open Graph images unless the front matter sets
// them, members): they are present, with Ghost's own "not set" (null, false, []).
import { z } from 'zod';

const nullableText = z.string().nullable();

/** The social and search fields Ghost gives posts, pages and tags alike. */
const seoFields = {
  og_image: nullableText,
  og_title: nullableText,
  og_description: nullableText,
  twitter_image: nullableText,
  twitter_title: nullableText,
  twitter_description: nullableText,
  meta_title: nullableText,
  meta_description: nullableText,
};
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
    ...seoFields,
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
    id: z.string().describe("24 hex characters, from the document's uuid"),
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
    ...seoFields,
    email_subject: nullableText,
    frontmatter: nullableText,
    feature_image_alt: nullableText,
    feature_image_caption: nullableText,
  })
  .meta({ id: 'GhostPost' });

/** With fields=: only the fields asked for (and what include adds). */
export const GhostPostFieldsSchema = GhostPostSchema.partial().meta({
  id: 'GhostPostFields',
  description: 'A post or page with fields=: only the fields named, and what include adds',
});
export const GhostTagFieldsSchema = GhostTagSchema.partial().meta({
  id: 'GhostTagFields',
  description: 'A tag with fields=: only the fields named',
});
export const GhostAuthorFieldsSchema = GhostAuthorSchema.partial().meta({
  id: 'GhostAuthorFields',
  description: 'An author with fields=: only the fields named',
});

export const GhostPaginationSchema = z
  .object({
    page: z.number().int(),
    limit: z.union([z.number().int(), z.literal('all')]),
    pages: z.number().int(),
    total: z.number().int(),
    next: z.number().int().nullable(),
    prev: z.number().int().nullable(),
  })
  .meta({ id: 'GhostPagination', examples: [{ page: 1, limit: 15, pages: 2, total: 17, next: 2, prev: null }] });
export type GhostPagination = z.infer<typeof GhostPaginationSchema>;

// The envelopes, as routes.ts writes them: a browse is { <resource>: [...], meta: { pagination } },
// a read the same key holding one item and no meta. An item is the whole shape, or with
// fields= only what was named: the document says both (a union), as the queries build both.
const browse = (id: string, key: string, item: z.ZodType, description: string, max?: number) =>
  z
    .object({ [key]: max === undefined ? z.array(item) : z.array(item).max(max), meta: z.object({ pagination: GhostPaginationSchema }) })
    .meta({ id, description });
const read = (id: string, key: string, item: z.ZodType, description: string) =>
  z.object({ [key]: z.array(item).length(1) }).meta({ id, description });

const postItem = z.union([GhostPostSchema, GhostPostFieldsSchema]);
const tagItem = z.union([GhostTagSchema, GhostTagFieldsSchema]);
const authorItem = z.union([GhostAuthorSchema, GhostAuthorFieldsSchema]);

export const GHOST_ENVELOPES = {
  posts: {
    browse: browse('GhostPostsBrowse', 'posts', postItem, 'A page of public posts'),
    read: read('GhostPostsRead', 'posts', postItem, 'One post, as a one-element array'),
  },
  pages: {
    browse: browse('GhostPagesBrowse', 'pages', postItem, 'A page of public pages (pages have the post shape)'),
    read: read('GhostPagesRead', 'pages', postItem, 'One page, as a one-element array'),
  },
  tags: {
    browse: browse('GhostTagsBrowse', 'tags', tagItem, 'A page of the tags public posts carry'),
    read: read('GhostTagsRead', 'tags', tagItem, 'One tag, as a one-element array'),
  },
  authors: {
    browse: browse('GhostAuthorsBrowse', 'authors', authorItem, 'A page of the authors of public posts'),
    read: read('GhostAuthorsRead', 'authors', authorItem, 'One author, as a one-element array'),
  },
} as const;

/** What Quire has none of (no members, no paid tiers): always an empty list. */
const empty = (key: string) =>
  browse(`Ghost${key[0]!.toUpperCase()}${key.slice(1)}Browse`, key, z.unknown(), `Always empty: Quire has no ${key}`, 0);
export const GHOST_EMPTY_ENVELOPES = {
  tiers: empty('tiers'),
  newsletters: empty('newsletters'),
  offers: empty('offers'),
  recommendations: empty('recommendations'),
};
export const GHOST_EMPTY_LISTS = Object.keys(GHOST_EMPTY_ENVELOPES) as (keyof typeof GHOST_EMPTY_ENVELOPES)[];
