// The API's shapes, written for clients. One zod schema each: its type is z.infer, the
// same schema describes the response in the OpenAPI document (and, through it, the types
// of generated clients), and the read queries build their JSON from its keys (json.ts).
import { z } from 'zod';
import { COVER_EXAMPLE, POST_EXAMPLE, POST_SUMMARY_EXAMPLE, TAG_EXAMPLE } from './examples.js';

/** Text from a request: no control characters (a NUL cannot even reach PostgreSQL). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
export const text = () => z.string().refine((s) => !CONTROL.test(s), 'must not contain control characters');
export const Slug = text()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .describe('URL slug, e.g. "async-programming-patterns"');
export const Lang = text()
  .min(2, 'must be a language tag like en or pt-BR')
  .max(35, 'must be a language tag like en or pt-BR')
  .describe('BCP 47 language tag, e.g. "en", "pt-BR"');
export const IsoDateTime = z.iso.datetime({ offset: true }).describe('ISO 8601 date-time in UTC');

export const TermRefSchema = z
  .object({ slug: Slug, name: z.string() })
  .meta({ id: 'TermRef', description: 'A tag or category as attached to a post' });

export const AuthorRefSchema = z
  .object({
    slug: Slug,
    name: z.string(),
    url: z.string().nullable(),
    affiliation: z.string().nullable().describe('"(Org)" after the name in the front matter'),
  })
  .meta({ id: 'AuthorRef', description: 'An author as attached to a post' });

export const TocEntrySchema = z
  .object({
    depth: z.number().int().min(1).max(6).describe('Heading level (2 for ##)'),
    text: z.string(),
    id: z.string().describe("The heading's id in `html`, for #anchor links"),
  })
  .meta({ id: 'TocEntry' });
export type TocEntry = z.infer<typeof TocEntrySchema>;

export const CoverSchema = z
  .object({
    url: z.string().describe('Absolute URL of the image (served by /v1/media when it came with the post)'),
    width: z.number().int().nullable().describe('Pixels, when known'),
    height: z.number().int().nullable(),
    alt: z.string().nullable(),
    type: z.string().nullable().describe('MIME type, when known'),
    srcset: z.string().nullable().describe('Resized WebP copies for <img srcset>, when the image is one Quire serves'),
    placeholder: z.string().nullable().describe('A tiny blurred preview as a data: URL (ThumbHash), to show while the image loads'),
  })
  .meta({
    id: 'Cover',
    description: 'The cover image, with what a frontend needs to lay it out before it loads',
    examples: [COVER_EXAMPLE],
  });

const documentShape = {
  slug: Slug,
  lang: Lang,
  path: z.string().describe('Its URL path on the site, unique per language (the permalink, e.g. /blog/2024/kubecon-eu/)'),
  url: z.string().describe('QUIRE_SITE_URL followed by the path'),
  title: z.string(),
  description: z.string().nullable(),
  excerpt: z.string().describe('First paragraph as plain text, or the text before <!--more-->'),
  image: CoverSchema.nullable(),
};

const summaryShape = {
  ...documentShape,
  publishedAt: IsoDateTime,
  updatedAt: IsoDateTime.nullable().describe('The article\'s own "updated" date, when it has one'),
  readingMinutes: z.number().int().min(1),
  wordCount: z.number().int().min(0),
  featured: z.boolean(),
  tags: z.array(TermRefSchema),
  categories: z.array(TermRefSchema),
  authors: z.array(AuthorRefSchema),
};

const bodyShape = {
  html: z.string().describe('Sanitized HTML of the body; images point at /v1/media with width, height and srcset'),
  toc: z.array(TocEntrySchema).describe('Headings in document order'),
  extra: z.record(z.string(), z.unknown()).describe('Front-matter keys Quire has no field for, as written'),
  aliases: z.array(z.string()).describe('Old paths or slugs of the document; requests for them redirect here'),
};

export const PostSummarySchema = z.object(summaryShape).meta({ id: 'PostSummary', examples: [POST_SUMMARY_EXAMPLE] });
export const PostSchema = z.object({ ...summaryShape, ...bodyShape }).meta({ id: 'Post', examples: [POST_EXAMPLE] });
export type PostSummary = z.infer<typeof PostSummarySchema>;
export type Post = z.infer<typeof PostSchema>;

export const SearchHitSchema = PostSummarySchema.extend({
  rank: z.number().describe('Search relevance: higher is better'),
  snippet: z.string().describe('Matching passages of the body as HTML-escaped text, matches in <mark>'),
}).meta({ id: 'SearchHit' });

export const PostLinkSchema = z
  .object({ slug: Slug, lang: Lang, path: z.string(), url: z.string(), title: z.string(), publishedAt: IsoDateTime })
  .meta({ id: 'PostLink', description: 'Another post, as a link' });

export const TranslationSchema = z
  .object({ lang: Lang, slug: Slug, path: z.string(), url: z.string() })
  .meta({ id: 'Translation', description: 'The same document in another language' });

export const PostDetailSchema = PostSchema.extend({
  kind: z.literal('post'),
  text: z.string().optional().describe('The body as plain text (with format=text)'),
  previous: PostLinkSchema.nullable().describe('The post published just before, in the same language'),
  next: PostLinkSchema.nullable().describe('The post published just after, in the same language'),
  related: z.array(PostLinkSchema).describe('Up to 4 posts sharing the most tags (1 each) and categories (0.5 each)'),
  translations: z.array(TranslationSchema).describe('The same slug in other languages'),
}).meta({ id: 'PostDetail', examples: [{ ...POST_EXAMPLE, kind: 'post', previous: null, next: null, related: [], translations: [] }] });
export type PostDetail = z.infer<typeof PostDetailSchema>;

const pageShape = {
  ...documentShape,
  publishedAt: IsoDateTime.nullable().describe('A page needs no date'),
  updatedAt: IsoDateTime.nullable(),
};
export const PageSummarySchema = z
  .object(pageShape)
  .meta({ id: 'PageSummary', description: 'A page (About, Uses): undated, never in post lists or feeds' });
export const PageSchema = z
  .object({
    ...pageShape,
    kind: z.literal('page'),
    ...bodyShape,
    text: z.string().optional().describe('The body as plain text (with format=text)'),
    translations: z.array(TranslationSchema),
  })
  .meta({ id: 'Page' });
export type Page = z.infer<typeof PageSchema>;

export const DocumentSchema = z.discriminatedUnion('kind', [PostDetailSchema, PageSchema]).meta({
  id: 'Document',
  description: 'A post or a page, told apart by kind',
});

/** With fields=: the named fields, and slug and lang always. */
export const FULL_FIELDS = Object.keys({ ...summaryShape, ...bodyShape }) as (keyof Post)[];
export type PostField = (typeof FULL_FIELDS)[number];
export const PostFieldsSchema = PostSchema.partial()
  .extend({ slug: Slug, lang: Lang })
  .meta({ id: 'PostFields', description: 'A post with only the fields asked for (fields=), and slug and lang' });

const taxonomyShape = {
  slug: Slug,
  name: z.string(),
  postCount: z.number().int().min(1).describe('Published posts carrying it'),
};
export const TagSchema = z.object(taxonomyShape).meta({ id: 'Tag', examples: [TAG_EXAMPLE] });
export const CategorySchema = z
  .object(taxonomyShape)
  .meta({ id: 'Category', examples: [{ slug: 'programming', name: 'Programming', postCount: 7 }] });
export const AuthorSchema = z.object({ ...taxonomyShape, url: z.string().nullable(), affiliation: z.string().nullable() }).meta({
  id: 'Author',
  examples: [{ slug: 'ada-lovelace', name: 'Ada Lovelace', postCount: 3, url: 'https://ada.example.com', affiliation: null }],
});
export type Taxonomy = z.infer<typeof AuthorSchema>;

export const ListMetaSchema = z
  .object({
    page: z.number().int().optional().describe('With page-based paging'),
    limit: z.number().int(),
    total: z.number().int().describe('Items across all pages'),
    totalPages: z.number().int().optional().describe('With page-based paging'),
    nextCursor: z.string().nullable().optional().describe('With cursor paging: pass as cursor for the next page; null at the end'),
  })
  .meta({ id: 'ListMeta', examples: [{ page: 2, limit: 20, total: 57, totalPages: 3 }] });
export type ListMeta = z.infer<typeof ListMetaSchema>;

export const ListLinksSchema = z
  .object({
    self: z.string(),
    first: z.string(),
    last: z.string().optional(),
    prev: z.string().nullable().optional(),
    next: z.string().nullable(),
  })
  .meta({ id: 'ListLinks', description: 'Relative URLs of neighbouring pages, null at the ends' });
export type ListLinks = z.infer<typeof ListLinksSchema>;

export function list<T extends z.ZodType>(id: string, item: T, description: string) {
  return z.object({ data: z.array(item), meta: ListMetaSchema, links: ListLinksSchema }).meta({ id, description });
}
export function single<T extends z.ZodType>(id: string, item: T) {
  return z.object({ data: item }).meta({ id });
}

export const PostListSchema = list(
  'PostList',
  z.union([PostSummarySchema, PostSchema, SearchHitSchema]),
  'A page of posts: summaries, whole posts with view=full, or search hits (ranked, with rank and snippet) with q',
);
export const SearchResultsSchema = list('SearchResults', SearchHitSchema, 'A page of search hits');
export const PageListSchema = list('PageList', PageSummarySchema, 'A page of pages');
export const TagListSchema = list('TagList', TagSchema, 'A page of tags');
export const CategoryListSchema = list('CategoryList', CategorySchema, 'A page of categories');
export const AuthorListSchema = list('AuthorList', AuthorSchema, 'A page of authors');
export const PostResponseSchema = single('PostResponse', PostDetailSchema);
export const PageResponseSchema = single('PageResponse', PageSchema);
export const DocumentResponseSchema = single('DocumentResponse', DocumentSchema);
export const TagResponseSchema = single('TagResponse', TagSchema);
export const CategoryResponseSchema = single('CategoryResponse', CategorySchema);
export const AuthorResponseSchema = single('AuthorResponse', AuthorSchema);

/** A documented 200 response: its description and its JSON schema. */
export function ok<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } };
}
