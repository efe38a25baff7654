-- AlterTable
ALTER TABLE "Post" ADD COLUMN     "aliasSlugs" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "revisedAt" TIMESTAMPTZ(3),
ADD COLUMN     "searchVector" tsvector,
ADD COLUMN     "text" TEXT NOT NULL DEFAULT '';

-- Existing posts (edited by hand: the engine's diff cannot know the value): their own
-- updated date, else their publication date. Text, search vectors and alias slugs come
-- with the next import, which re-renders every post (the renderer version changed).
UPDATE "Post" SET "revisedAt" = COALESCE("updatedAt", "publishedAt");
ALTER TABLE "Post" ALTER COLUMN "revisedAt" SET NOT NULL;

-- CreateTable
CREATE TABLE "ContentState" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" INTEGER NOT NULL DEFAULT 0,
    "changedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContentState_pkey" PRIMARY KEY ("id")
);

-- The single row (edited by hand).
INSERT INTO "ContentState" ("id") VALUES (1);

-- CreateIndex
CREATE INDEX "Post_lang_publishedAt_id_idx" ON "Post"("lang", "publishedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Post_revisedAt_id_idx" ON "Post"("revisedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Post_title_id_idx" ON "Post"("title", "id");

-- CreateIndex
CREATE INDEX "Post_searchVector_idx" ON "Post" USING GIN ("searchVector");

-- CreateIndex
CREATE INDEX "Post_aliasSlugs_idx" ON "Post" USING GIN ("aliasSlugs");
