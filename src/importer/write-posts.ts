// Writing posts in bulk: one statement per chunk, rows passed as one JSON parameter and
// unpacked by jsonb_to_recordset. The search vector is made in the same statement, in the
// post's language, so no row is written twice. (Through the ORM, creating 10,000 posts and
// then indexing them took 13 s of a 21 s import.)
import type { Prisma } from '../db/client.js';
import { searchConfig } from '../blog/search-config.js';
import { aliasSlug } from './checks.js';
import type { NormalizedPost, Term } from './normalize.js';
import type { Rendered } from './render.js';

type Tx = Prisma.TransactionClient;

// tsvector positions stop at 16,383 and a vector at 1 MB: index the start of long bodies.
const SEARCH_TEXT_MAX = 100_000;

function row(p: NormalizedPost, r: Rendered) {
  return {
    slug: p.slug,
    lang: p.lang,
    title: p.title,
    description: p.description,
    markdown: p.markdown,
    html: r.html,
    text: r.text,
    excerpt: r.excerpt,
    toc: r.toc,
    wordCount: r.wordCount,
    readingMinutes: r.readingMinutes,
    publishedAt: p.publishedAt.toISOString(),
    updatedAt: p.updatedAt?.toISOString() ?? null,
    revisedAt: (p.updatedAt ?? p.publishedAt).toISOString(),
    draft: p.draft,
    image: p.image,
    aliases: p.aliases,
    aliasSlugs: [...new Set(p.aliases.map(aliasSlug).filter(Boolean))],
    extra: p.extra,
    sourcePath: p.sourcePath,
    contentHash: p.contentHash,
    config: searchConfig(p.lang),
  };
}

// The record type jsonb_to_recordset unpacks: the columns above, typed.
const RECORD = `r(slug text, lang text, title text, description text, markdown text, html text, text text,
  excerpt text, toc jsonb, "wordCount" int, "readingMinutes" int, "publishedAt" timestamptz,
  "updatedAt" timestamptz, "revisedAt" timestamptz, draft boolean, image text, aliases text[],
  "aliasSlugs" text[], extra jsonb, "sourcePath" text, "contentHash" text, config text, id int)`;

const VECTOR = `setweight(to_tsvector(r.config::regconfig, r.title), 'A') ||
  setweight(to_tsvector(r.config::regconfig, coalesce(r.description, '')), 'B') ||
  setweight(to_tsvector(r.config::regconfig, left(r.text, ${SEARCH_TEXT_MAX})), 'C')`;

const COLUMNS = [
  'slug', 'lang', 'title', 'description', 'markdown', 'html', 'text', 'excerpt', 'toc', 'wordCount',
  'readingMinutes', 'publishedAt', 'updatedAt', 'revisedAt', 'draft', 'image', 'aliases', 'aliasSlugs',
  'extra', 'sourcePath', 'contentHash',
];
const quoted = COLUMNS.map((c) => `"${c}"`).join(', ');

/** Inserts posts; returns their ids by language and slug. */
export async function insertPosts(tx: Tx, posts: { post: NormalizedPost; rendered: Rendered }[]) {
  const json = JSON.stringify(posts.map(({ post, rendered }) => row(post, rendered)));
  return tx.$queryRawUnsafe<{ id: number; slug: string; lang: string }[]>(
    `INSERT INTO "Post" (${quoted}, "modifiedAt", "searchVector")
     SELECT ${COLUMNS.map((c) => `r."${c}"`).join(', ')}, now(), ${VECTOR}
     FROM jsonb_to_recordset($1::jsonb) AS ${RECORD}
     RETURNING id, slug, lang`,
    json,
  );
}

/** Rewrites posts (by id) with their new content. */
export async function updatePosts(tx: Tx, posts: { id: number; post: NormalizedPost; rendered: Rendered }[]) {
  const json = JSON.stringify(posts.map(({ id, post, rendered }) => ({ ...row(post, rendered), id })));
  await tx.$executeRawUnsafe(
    `UPDATE "Post" p SET ${COLUMNS.map((c) => `"${c}" = r."${c}"`).join(', ')}, "modifiedAt" = now(), "searchVector" = ${VECTOR}
     FROM jsonb_to_recordset($1::jsonb) AS ${RECORD}
     WHERE p.id = r.id`,
    json,
  );
}

export type TermIds = { tags: Map<string, number>; categories: Map<string, number>; authors: Map<string, number> };

const JOINS = [
  { key: 'tags', table: 'PostTag', fk: 'tagId' },
  { key: 'categories', table: 'PostCategory', fk: 'categoryId' },
  { key: 'authors', table: 'PostAuthor', fk: 'authorId' },
] as const;

/** Sets each post's tags, categories and authors, in the author's order. */
export async function replaceJoins(tx: Tx, posts: { id: number; post: NormalizedPost }[], ids: TermIds) {
  const postIds = posts.map((p) => p.id);
  for (const { key, table, fk } of JOINS) {
    const rows = posts.flatMap(({ id, post }) => (post[key] as Term[]).map((t, position) => [id, ids[key].get(t.slug)!, position]));
    await tx.$executeRawUnsafe(`DELETE FROM "${table}" WHERE "postId" = ANY($1::int[])`, postIds);
    if (!rows.length) continue;
    await tx.$executeRawUnsafe(
      `INSERT INTO "${table}" ("postId", "${fk}", position) SELECT * FROM unnest($1::int[], $2::int[], $3::int[])`,
      rows.map((r) => r[0]),
      rows.map((r) => r[1]),
      rows.map((r) => r[2]),
    );
  }
}
