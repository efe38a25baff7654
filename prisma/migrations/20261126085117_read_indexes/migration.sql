-- DropIndex
DROP INDEX "Post_lang_publishedAt_id_idx";

-- DropIndex
DROP INDEX "Post_lang_slug_key";

-- DropIndex
DROP INDEX "Post_publishedAt_id_idx";

-- CreateIndex
CREATE INDEX "Post_draft_publishedAt_id_idx" ON "Post"("draft", "publishedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Post_lang_draft_publishedAt_id_idx" ON "Post"("lang", "draft", "publishedAt" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Post_slug_lang_key" ON "Post"("slug", "lang");
