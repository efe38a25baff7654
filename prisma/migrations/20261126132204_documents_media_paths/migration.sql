-- CreateEnum
CREATE TYPE "DocumentKind" AS ENUM ('post', 'page');

-- DropIndex
DROP INDEX "Post_draft_publishedAt_id_idx";

-- DropIndex
DROP INDEX "Post_lang_draft_publishedAt_id_idx";

-- DropIndex
DROP INDEX "Post_slug_lang_key";

-- DropIndex
DROP INDEX "Post_sourcePath_idx";

-- AlterTable
ALTER TABLE "Author" ADD COLUMN     "affiliation" TEXT;

-- AlterTable
ALTER TABLE "Post" ADD COLUMN     "aliasPaths" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "authorsJson" JSON NOT NULL DEFAULT '[]',
ADD COLUMN     "categoriesJson" JSON NOT NULL DEFAULT '[]',
ADD COLUMN     "cover" JSON,
ADD COLUMN     "expiresAt" TIMESTAMPTZ(3),
ADD COLUMN     "featured" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "formerPaths" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "formerSlugs" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "kind" "DocumentKind" NOT NULL DEFAULT 'post',
ADD COLUMN     "nextId" INTEGER,
ADD COLUMN     "path" TEXT,
ADD COLUMN     "previousId" INTEGER,
ADD COLUMN     "related" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "requestedSlug" TEXT,
ADD COLUMN     "tagsJson" JSON NOT NULL DEFAULT '[]',
ADD COLUMN     "urlPath" TEXT NOT NULL,
ADD COLUMN     "uuid" UUID NOT NULL DEFAULT gen_random_uuid(),
ALTER COLUMN "toc" SET DATA TYPE JSON,
ALTER COLUMN "publishedAt" DROP NOT NULL,
ALTER COLUMN "extra" SET DATA TYPE JSON,
ALTER COLUMN "revisedAt" DROP NOT NULL;

-- Existing posts (edited by hand: the engine's diff cannot know the values): the path they
-- had under the old URL rule's slug, and the slug they asked for. The next import re-renders
-- every post (the renderer's version changed) and writes their real paths.
UPDATE "Post" SET "path" = '/' || "slug" || '/', "requestedSlug" = "slug";
ALTER TABLE "Post" ALTER COLUMN "path" SET NOT NULL, ALTER COLUMN "requestedSlug" SET NOT NULL;

-- CreateTable
CREATE TABLE "Media" (
    "hash" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "width" INTEGER,
    "height" INTEGER,
    "placeholder" TEXT,
    "bytes" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Media_pkey" PRIMARY KEY ("hash")
);

-- CreateTable
CREATE TABLE "PostMedia" (
    "postId" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "PostMedia_pkey" PRIMARY KEY ("postId","hash")
);

-- CreateTable
CREATE TABLE "MediaVariant" (
    "hash" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "format" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "actualWidth" INTEGER NOT NULL,
    "actualHeight" INTEGER NOT NULL,
    "size" INTEGER NOT NULL,
    "bytes" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MediaVariant_pkey" PRIMARY KEY ("hash","width","format")
);

-- CreateTable
CREATE TABLE "SourceFile" (
    "path" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "mtimeMs" DOUBLE PRECISION NOT NULL,
    "hash" TEXT NOT NULL,
    "meta" JSONB,

    CONSTRAINT "SourceFile_pkey" PRIMARY KEY ("path")
);

-- CreateTable
CREATE TABLE "ContentChange" (
    "version" INTEGER NOT NULL,
    "keys" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContentChange_pkey" PRIMARY KEY ("version")
);

-- CreateIndex
CREATE INDEX "PostMedia_hash_idx" ON "PostMedia"("hash");

-- CreateIndex
CREATE INDEX "Post_kind_draft_publishedAt_id_idx" ON "Post"("kind", "draft", "publishedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Post_kind_lang_draft_publishedAt_id_idx" ON "Post"("kind", "lang", "draft", "publishedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Post_aliasPaths_idx" ON "Post" USING GIN ("aliasPaths");

-- CreateIndex
CREATE UNIQUE INDEX "Post_slug_lang_kind_key" ON "Post"("slug", "lang", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "Post_path_lang_key" ON "Post"("path", "lang");

-- CreateIndex
CREATE UNIQUE INDEX "Post_uuid_key" ON "Post"("uuid");

-- CreateIndex
CREATE UNIQUE INDEX "Post_sourcePath_key" ON "Post"("sourcePath");

-- AddForeignKey
ALTER TABLE "PostMedia" ADD CONSTRAINT "PostMedia_postId_fkey" FOREIGN KEY ("postId") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PostMedia" ADD CONSTRAINT "PostMedia_hash_fkey" FOREIGN KEY ("hash") REFERENCES "Media"("hash") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MediaVariant" ADD CONSTRAINT "MediaVariant_hash_fkey" FOREIGN KEY ("hash") REFERENCES "Media"("hash") ON DELETE CASCADE ON UPDATE CASCADE;
