-- DropIndex
DROP INDEX "Post_kind_draft_publishedAt_id_idx";

-- DropIndex
DROP INDEX "Post_kind_lang_draft_publishedAt_id_idx";

-- CreateIndex
CREATE INDEX "Post_kind_draft_publishedAt_id_expiresAt_idx" ON "Post"("kind", "draft", "publishedAt" DESC, "id" DESC, "expiresAt");

-- CreateIndex
CREATE INDEX "Post_kind_lang_draft_publishedAt_id_expiresAt_idx" ON "Post"("kind", "lang", "draft", "publishedAt" DESC, "id" DESC, "expiresAt");
