// Ghost's Content API shapes, as Ghost 5 and 6 send them: one zod schema each, whose keys
// (in Ghost's order) the queries build their JSON from (blog/json.ts). Quire has no value
// for many of Ghost's fields (code injection, Open Graph images unless the front matter sets
// them, members): they are present, with Ghost's own "not set" (null, false, []).
import { z } from 'zod';
import { text } from '../blog/schemas.js';

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

/** settings/: the site as Ghost describes it (settings.ts builds it from QUIRE_SITE_*). */
export const GhostSettingsSchema = z
  .object({
    title: z.string(),
    description: z.string(),
    logo: nullableText,
    icon: nullableText,
    accent_color: nullableText,
    cover_image: nullableText,
    facebook: nullableText,
    twitter: nullableText,
    lang: z.string(),
    locale: z.string(),
    timezone: z.string(),
    codeinjection_head: nullableText,
    codeinjection_foot: nullableText,
    navigation: z.array(z.object({ label: z.string(), url: z.string() })),
    secondary_navigation: z.array(z.object({ label: z.string(), url: z.string() })),
    meta_title: nullableText,
    meta_description: nullableText,
    og_image: nullableText,
    og_title: nullableText,
    og_description: nullableText,
    twitter_image: nullableText,
    twitter_title: nullableText,
    twitter_description: nullableText,
    members_support_address: nullableText,
    members_enabled: z.boolean(),
    allow_self_signup: z.boolean(),
    members_invite_only: z.boolean(),
    members_signup_access: z.string(),
    paid_members_enabled: z.boolean(),
    firstpromoter_account: nullableText,
    portal_button_style: nullableText,
    portal_button_signup_text: nullableText,
    portal_button_icon: nullableText,
    portal_signup_terms_html: nullableText,
    portal_signup_checkbox_required: z.boolean(),
    portal_plans: z.array(z.string()),
    portal_default_plan: nullableText,
    portal_name: z.boolean(),
    portal_button: z.boolean(),
    comments_enabled: z.string(),
    recommendations_enabled: z.boolean(),
    outbound_link_tagging: z.boolean(),
    default_email_address: nullableText,
    support_email_address: nullableText,
    editor_default_email_recipients: z.string(),
    labs: z.record(z.string(), z.unknown()),
    url: z.string().describe("QUIRE_SITE_URL, ending with a slash as Ghost's does"),
  })
  .meta({ id: 'GhostSettings' });
export type GhostSettings = z.infer<typeof GhostSettingsSchema>;

export const GhostSettingsResponseSchema = z
  .object({ settings: GhostSettingsSchema, meta: z.object({}) })
  .meta({ id: 'GhostSettingsRead', description: 'The site; meta is always empty' });

export const GHOST_MAX_LIMIT = 100;
const DEFAULT_LIMIT = 15;

/** The query parameters of a browse. Unknown ones are ignored, as Ghost does (the key is checked before, in routes.ts). */
const param = (max: number) => text().max(max, `must be at most ${max} characters`).optional();

export const GhostBrowseQuerySchema = z.object({
  include: param(200).describe(
    'Comma-separated. Posts and pages: tags, authors, tiers; tags and authors: count.posts. Others are dropped, as Ghost drops them',
  ),
  fields: param(2000).describe('Comma-separated: only these fields (plus what include adds); unknown names are ignored'),
  formats: param(200).describe('Posts and pages: html (the default), plaintext, or both, comma-separated; anything else is a 422'),
  // Frontends filter by a few dozen ids or slugs at most; this bounds the SQL a request makes.
  filter: param(8000).describe(
    "NQL, as Ghost parses it, for the fields docs/ghost.md lists, e.g. tag:javascript+published_at:>'2024-01-01'. One Quire does not support is a 400 naming it",
  ),
  order: param(500).describe(
    'Comma-separated "field asc|desc". Posts and pages: published_at, created_at, updated_at, title, slug, featured, reading_time, id; tags and authors: name, slug, count.posts',
  ),
  // Past 100, Ghost 6 sends 100 and the pages that follow; so it does for "all", unless
  // QUIRE_GHOST_LIMIT_ALL=on (docs/ghost.md).
  limit: z
    .union([
      z.literal('all'),
      z.coerce.number({ error: 'must be a whole number or all' }).int('must be a whole number or all').min(1, 'must be at least 1'),
    ])
    .default(DEFAULT_LIMIT)
    .transform((l) => (l === 'all' ? l : Math.min(l, GHOST_MAX_LIMIT)))
    .describe(
      `Items per page: 1 or more (above ${GHOST_MAX_LIMIT}, ${GHOST_MAX_LIMIT}); all is ${GHOST_MAX_LIMIT} as in Ghost 6, or every item where the server allows it (QUIRE_GHOST_LIMIT_ALL)`,
    ),
  page: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1_000_000)
    .default(1)
    .describe('1-based; past the end, an empty list'),
});
export type GhostBrowseQuery = z.infer<typeof GhostBrowseQuerySchema>;

export const GhostReadQuerySchema = GhostBrowseQuerySchema.pick({ include: true, fields: true, formats: true });
export type GhostReadQuery = z.infer<typeof GhostReadQuerySchema>;

// A path segment over 200 characters matches no route (app.ts's maxParamLength).
export const GhostIdParamsSchema = z.object({
  id: text().max(200).describe('A Ghost id (24 hex characters); any other finds nothing, a 404'),
});
export const GhostSlugParamsSchema = z.object({ slug: text().max(200) });
