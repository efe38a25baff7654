// Writing documents in bulk: one statement per chunk, rows passed as one JSON parameter and
// unpacked by json_to_recordset (json, not jsonb: the json columns keep the compact text
// JSON.stringify wrote, which reads then send as it is). The search vector is made in the same statement, in the
// document's language, so no row is written twice. (Through the ORM, creating 10,000 posts
// and then indexing them took 13 s of a 21 s import.)
import { searchConfig } from '../blog/search-config.js';
import { TAXONOMIES, TAXONOMY_KINDS } from '../blog/taxonomies.js';
import { encodePath } from '../blog/urls.js';
import type { Prisma } from '../db/client.js';
import type { PlannedDoc } from './plan.js';
import type { Rendered } from './render.js';
import { splitAliases } from './checks.js';

type Tx = Prisma.TransactionClient;

// tsvector positions stop at 16,383 and a vector at 1 MB: index the start of long bodies.
const SEARCH_TEXT_MAX = 100_000;

/** The columns written, with the type jsonb_to_recordset reads each as. */
const COLUMNS = {
  kind: '"DocumentKind"',
  slug: 'text',
  requestedSlug: 'text',
  lang: 'text',
  path: 'text',
  urlPath: 'text',
  title: 'text',
  description: 'text',
  markdown: 'text',
  html: 'text',
  text: 'text',
  excerpt: 'text',
  toc: 'json',
  wordCount: 'int',
  readingMinutes: 'int',
  publishedAt: 'timestamptz',
  updatedAt: 'timestamptz',
  revisedAt: 'timestamptz',
  expiresAt: 'timestamptz',
  draft: 'boolean',
  featured: 'boolean',
  image: 'text',
  cover: 'json',
  aliases: 'text[]',
  aliasPaths: 'text[]',
  aliasSlugs: 'text[]',
  formerSlugs: 'text[]',
  formerPaths: 'text[]',
  extra: 'json',
  sourcePath: 'text',
  contentHash: 'text',
  tagSlugs: 'text[]',
  categorySlugs: 'text[]',
  authorSlugs: 'text[]',
} as const;
type Row = Record<keyof typeof COLUMNS, unknown>;

export interface WrittenDoc {
  planned: PlannedDoc;
  markdown: string;
  rendered: Rendered;
  cover: unknown;
}

function row({ planned: p, markdown, rendered: r, cover }: WrittenDoc): Row & { config: string } {
  const d = p.doc;
  const aliases = splitAliases(d.aliases);
  const revised = d.updatedAt ?? d.publishedAt;
  return {
    kind: d.kind,
    slug: p.slug,
    requestedSlug: d.requestedSlug,
    lang: d.lang,
    path: p.path,
    urlPath: encodePath(p.path),
    title: d.title,
    description: d.description,
    markdown,
    html: r.html,
    text: r.text,
    excerpt: r.excerpt,
    toc: r.toc,
    wordCount: r.wordCount,
    readingMinutes: r.readingMinutes,
    publishedAt: d.publishedAt?.toISOString() ?? null,
    updatedAt: d.updatedAt?.toISOString() ?? null,
    revisedAt: revised?.toISOString() ?? null,
    expiresAt: d.expiresAt?.toISOString() ?? null,
    draft: d.draft,
    featured: d.featured,
    image: d.image?.src ?? null,
    cover,
    aliases: d.aliases,
    aliasPaths: [...new Set([...aliases.paths, ...p.formerPaths])],
    aliasSlugs: [...new Set([...aliases.slugs, ...p.formerSlugs])],
    formerSlugs: p.formerSlugs,
    formerPaths: p.formerPaths,
    extra: d.extra,
    sourcePath: d.sourcePath,
    contentHash: p.contentHash,
    tagSlugs: d.tags.map((t) => t.slug),
    categorySlugs: d.categories.map((t) => t.slug),
    authorSlugs: d.authors.map((t) => t.slug),
    config: searchConfig(d.lang),
  };
}

const NAMES = Object.keys(COLUMNS) as (keyof typeof COLUMNS)[];
const RECORD = `r(${NAMES.map((c) => `"${c}" ${COLUMNS[c]}`).join(', ')}, config text, id int)`;
const quoted = NAMES.map((c) => `"${c}"`).join(', ');

const HEAD = `setweight(to_tsvector(r.config::regconfig, r.title), 'A') ||
  setweight(to_tsvector(r.config::regconfig, coalesce(r.description, '')), 'B')`;
const VECTOR = `${HEAD} || setweight(to_tsvector(r.config::regconfig, left(r.text, ${SEARCH_TEXT_MAX})), 'C')`;

/** Inserts documents; returns their ids by source path. */
export async function insertDocs(tx: Tx, docs: WrittenDoc[]): Promise<Map<string, number>> {
  const rows = await tx.$queryRawUnsafe<{ id: number; sourcePath: string }[]>(
    `INSERT INTO "Post" (${quoted}, "modifiedAt", "searchVector", "headVector")
     SELECT ${NAMES.map((c) => `r."${c}"`).join(', ')}, now(), ${VECTOR}, ${HEAD}
     FROM json_to_recordset($1::json) AS ${RECORD}
     RETURNING id, "sourcePath"`,
    JSON.stringify(docs.map(row)),
  );
  return new Map(rows.map((r) => [r.sourcePath, r.id]));
}

/** Rewrites documents (by id) with their new content. */
export async function updateDocs(tx: Tx, docs: (WrittenDoc & { id: number })[]): Promise<void> {
  await tx.$executeRawUnsafe(
    `UPDATE "Post" p SET ${NAMES.map((c) => `"${c}" = r."${c}"`).join(', ')}, "modifiedAt" = now(), "searchVector" = ${VECTOR}, "headVector" = ${HEAD}
     FROM json_to_recordset($1::json) AS ${RECORD}
     WHERE p.id = r.id`,
    JSON.stringify(docs.map((d) => ({ ...row(d), id: d.id }))),
  );
}

export type TermIds = Record<(typeof TAXONOMIES)[keyof typeof TAXONOMIES]['key'], Map<string, number>>;

/** Sets each document's tags, categories and authors, in the author's order, and its media. */
export async function replaceJoins(tx: Tx, docs: { id: number; planned: PlannedDoc; media: string[] }[], ids: TermIds): Promise<void> {
  const postIds = docs.map((d) => d.id);
  for (const kind of TAXONOMY_KINDS) {
    const { key, join, fk } = TAXONOMIES[kind];
    const rows = docs.flatMap(({ id, planned }) => planned.doc[key].map((t, position) => [id, ids[key].get(t.slug)!, position] as const));
    await tx.$executeRawUnsafe(`DELETE FROM "${join}" WHERE "postId" = ANY($1::int[])`, postIds);
    if (!rows.length) continue;
    await tx.$executeRawUnsafe(
      `INSERT INTO "${join}" ("postId", "${fk}", position) SELECT * FROM unnest($1::int[], $2::int[], $3::int[])`,
      rows.map((r) => r[0]),
      rows.map((r) => r[1]),
      rows.map((r) => r[2]),
    );
  }
  await tx.$executeRawUnsafe(`DELETE FROM "PostMedia" WHERE "postId" = ANY($1::int[])`, postIds);
  const media = docs.flatMap((d) => [...new Set(d.media)].map((hash) => [d.id, hash] as const));
  if (media.length) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "PostMedia" ("postId", hash) SELECT * FROM unnest($1::int[], $2::text[])`,
      media.map((m) => m[0]),
      media.map((m) => m[1]),
    );
  }
}

/**
 * Writes each document's tags, categories and authors as the API sends them (names as the
 * term tables hold them, which the first file to spell a term decides).
 */
export async function refreshTermsJson(tx: Tx, postIds: number[]): Promise<void> {
  if (!postIds.length) return;
  const rows = await tx.$queryRaw<
    { postId: number; key: 'tags' | 'categories' | 'authors'; slug: string; name: string; url: string | null; affiliation: string | null }[]
  >`
    SELECT j."postId", 'tags' AS key, t.slug, t.name, NULL AS url, NULL AS affiliation, j.position FROM "PostTag" j JOIN "Tag" t ON t.id = j."tagId" WHERE j."postId" = ANY(${postIds}::int[])
    UNION ALL SELECT j."postId", 'categories', t.slug, t.name, NULL, NULL, j.position FROM "PostCategory" j JOIN "Category" t ON t.id = j."categoryId" WHERE j."postId" = ANY(${postIds}::int[])
    UNION ALL SELECT j."postId", 'authors', t.slug, t.name, t.url, t.affiliation, j.position FROM "PostAuthor" j JOIN "Author" t ON t.id = j."authorId" WHERE j."postId" = ANY(${postIds}::int[])
    ORDER BY 1, 2, 7`;
  const terms = new Map(postIds.map((id) => [id, { tags: [] as unknown[], categories: [] as unknown[], authors: [] as unknown[] }]));
  for (const r of rows) {
    const list = terms.get(r.postId)![r.key];
    list.push(
      r.key === 'authors' ? { slug: r.slug, name: r.name, url: r.url, affiliation: r.affiliation } : { slug: r.slug, name: r.name },
    );
  }
  const json = JSON.stringify(
    [...terms].map(([id, t]) => ({
      id,
      tags: JSON.stringify(t.tags),
      categories: JSON.stringify(t.categories),
      authors: JSON.stringify(t.authors),
    })),
  );
  await tx.$executeRawUnsafe(
    `UPDATE "Post" p SET "tagsJson" = r.tags::json, "categoriesJson" = r.categories::json, "authorsJson" = r.authors::json
     FROM json_to_recordset($1::json) AS r(id int, tags text, categories text, authors text)
     WHERE p.id = r.id AND (p."tagsJson"::text, p."categoriesJson"::text, p."authorsJson"::text) IS DISTINCT FROM (r.tags, r.categories, r.authors)`,
    json,
  );
}
