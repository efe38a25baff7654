-- AlterTable
ALTER TABLE "Media" ADD COLUMN     "name" TEXT;

-- AlterTable
ALTER TABLE "Post" ADD COLUMN     "authorSlugs" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "headVector" tsvector,
ADD COLUMN     "categorySlugs" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "tagSlugs" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "ConsoleSession" (
    "idHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ConsoleSession_pkey" PRIMARY KEY ("idHash")
);

-- CreateIndex
CREATE INDEX "ConsoleSession_expiresAt_idx" ON "ConsoleSession"("expiresAt");

-- CreateIndex
CREATE INDEX "Post_tagSlugs_idx" ON "Post" USING GIN ("tagSlugs");

-- CreateIndex
CREATE INDEX "Post_categorySlugs_idx" ON "Post" USING GIN ("categorySlugs");

-- CreateIndex
CREATE INDEX "Post_authorSlugs_idx" ON "Post" USING GIN ("authorSlugs");

-- Backfill: the slugs of each document's terms, in their order, from the join tables.
UPDATE "Post" p SET
  "tagSlugs" = coalesce((SELECT array_agg(t.slug ORDER BY j.position) FROM "PostTag" j JOIN "Tag" t ON t.id = j."tagId" WHERE j."postId" = p.id), ARRAY[]::TEXT[]),
  "categorySlugs" = coalesce((SELECT array_agg(t.slug ORDER BY j.position) FROM "PostCategory" j JOIN "Category" t ON t.id = j."categoryId" WHERE j."postId" = p.id), ARRAY[]::TEXT[]),
  "authorSlugs" = coalesce((SELECT array_agg(t.slug ORDER BY j.position) FROM "PostAuthor" j JOIN "Author" t ON t.id = j."authorId" WHERE j."postId" = p.id), ARRAY[]::TEXT[]);
UPDATE "Post" SET "headVector" = ts_filter("searchVector", '{a,b}') WHERE "searchVector" IS NOT NULL;

-- The documents a full-text query matches, found through the GIN index alone: with most
-- documents matching a common word, the planner would otherwise scan every row and read each
-- whole vector. The columns are what a search filters, orders and ranks candidates by.
CREATE FUNCTION quire_search(q tsquery)
RETURNS TABLE (id integer, kind "DocumentKind", slug text, lang text, title text, draft boolean, "publishedAt" timestamptz, "revisedAt" timestamptz,
  "expiresAt" timestamptz, "tagSlugs" text[], "categorySlugs" text[], "authorSlugs" text[], head boolean)
LANGUAGE sql STABLE PARALLEL SAFE
SET enable_seqscan = off
AS $$
  SELECT p.id, p.kind, p.slug, p.lang, p.title, p.draft, p."publishedAt", p."revisedAt", p."expiresAt", p."tagSlugs", p."categorySlugs", p."authorSlugs",
    coalesce(p."headVector" @@ q, false)
  FROM "Post" p WHERE p."searchVector" @@ q
$$;
