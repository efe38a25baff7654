// Quire's columns as Ghost's fields: each Ghost shape's SQL expressions, for PostgreSQL to
// build the JSON (blog/json.ts), and the filter and order fields of each resource.
import { raw, type Sql, sql } from '../db/sql.js';
import { MEDIA_ORIGIN } from '../media/urls.js';

/** Ghost's date format: ISO 8601 with an explicit offset, always UTC here. */
export const ghostTime = (expr: string) => raw(`to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+00:00"')`);

/**
 * Ghost ids are 24 hex characters (MongoDB ObjectIds). A document's is the start of its
 * uuid (kept across imports); a term's is a hash of its kind and slug (stable by slug).
 */
export const documentId = (a = 'p') => raw(`left(replace(${a}.uuid::text, '-', ''), 24)`);
export const termId = (kind: 'tag' | 'author', slug: Sql) => sql`left(md5(${raw(`'${kind}:'`)} || ${slug}), 24)`;

const NULL = raw('NULL::text');

/** A key of the front matter Quire keeps unmapped (`extra`), as text, or null. */
const fromFrontMatter = (a: string, ...keys: string[]) =>
  raw(
    keys.length === 1
      ? `nullif(${a}.extra->>'${keys[0]}', '')`
      : `coalesce(${keys.map((k) => `nullif(${a}.extra->>'${k}', '')`).join(', ')})`,
  );

export interface Origins {
  site: string;
  api: string;
}

/** A tag, from its slug and name (a post's tagsJson element, or a Tag row). */
export const tagExprs = (slug: Sql, name: Sql, site: string) => ({
  id: termId('tag', slug),
  name,
  slug,
  description: NULL,
  feature_image: NULL,
  visibility: raw(`'public'`),
  og_image: NULL,
  og_title: NULL,
  og_description: NULL,
  twitter_image: NULL,
  twitter_title: NULL,
  twitter_description: NULL,
  meta_title: NULL,
  meta_description: NULL,
  codeinjection_head: NULL,
  codeinjection_foot: NULL,
  canonical_url: NULL,
  accent_color: NULL,
  url: sql`${`${site}/tag/`} || ${slug} || '/'`,
});

/** An author, from its slug, name, link and affiliation. */
export const authorExprs = (t: { slug: Sql; name: Sql; url: Sql; affiliation: Sql }, site: string) => ({
  id: termId('author', t.slug),
  name: t.name,
  slug: t.slug,
  profile_image: NULL,
  cover_image: NULL,
  bio: t.affiliation,
  website: t.url,
  location: NULL,
  facebook: NULL,
  twitter: NULL,
  meta_title: NULL,
  meta_description: NULL,
  url: sql`${`${site}/author/`} || ${t.slug} || '/'`,
});

const cover = (a: string, o: Origins) => sql`replace(${raw(`${a}.cover`)}::text, ${MEDIA_ORIGIN}, ${o.api})::json`;

/** A post or page, every field but the included relations (tags, authors). */
export const documentExprs = (o: Origins, a = 'p') => ({
  id: documentId(a),
  uuid: raw(`${a}.uuid::text`),
  title: raw(`${a}.title`),
  slug: raw(`${a}.slug`),
  html: sql`replace(${raw(`${a}.html`)}, ${MEDIA_ORIGIN}, ${o.api})`,
  plaintext: raw(`${a}.text`),
  comment_id: documentId(a),
  feature_image: sql`${cover(a, o)}->>'url'`,
  featured: raw(`${a}.featured`),
  visibility: raw(`'public'`),
  created_at: ghostTime(`coalesce(${a}."publishedAt", ${a}."createdAt")`),
  updated_at: ghostTime(`coalesce(${a}."revisedAt", ${a}."createdAt")`),
  published_at: ghostTime(`coalesce(${a}."publishedAt", ${a}."createdAt")`),
  custom_excerpt: raw(`${a}.description`),
  codeinjection_head: NULL,
  codeinjection_foot: NULL,
  custom_template: NULL,
  canonical_url: fromFrontMatter(a, 'canonical_url', 'canonical', 'canonicalURL', 'canonical_link'),
  url: sql`${o.site} || ${raw(`${a}."urlPath"`)}`,
  // As Ghost: the custom excerpt when there is one, else one from the body.
  excerpt: raw(`coalesce(nullif(${a}.description, ''), ${a}.excerpt)`),
  reading_time: raw(`${a}."readingMinutes"`),
  access: raw('true'),
  comments: raw('false'),
  og_image: fromFrontMatter(a, 'og_image'),
  og_title: fromFrontMatter(a, 'og_title'),
  og_description: fromFrontMatter(a, 'og_description'),
  twitter_image: fromFrontMatter(a, 'twitter_image'),
  twitter_title: fromFrontMatter(a, 'twitter_title'),
  twitter_description: fromFrontMatter(a, 'twitter_description'),
  meta_title: fromFrontMatter(a, 'meta_title'),
  meta_description: fromFrontMatter(a, 'meta_description'),
  email_subject: NULL,
  frontmatter: NULL,
  feature_image_alt: sql`${cover(a, o)}->>'alt'`,
  feature_image_caption: fromFrontMatter(a, 'feature_image_caption', 'image_caption', 'caption'),
});
