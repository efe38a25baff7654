// The baseline for uncached reads: what a team would write instead of Quire, a Fastify
// server over the same database with node-postgres, one query a request, JSON made by
// Fastify. It answers the two routes bench/http.ts compares, in their plainest form:
//   GET /v1/posts/:slug   the post with its HTML, tags, categories and authors
//   GET /v1/posts?page=N  20 posts, newest first, with their terms (no total, no links)
// Usage: node bench/plain-pg.ts <database url> <port>
import Fastify from 'fastify';
import pg from 'pg';

const [url, port] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 10 });

// Terms through the join tables, as on any normalized schema.
const TERMS = `
  (SELECT coalesce(json_agg(json_build_object('slug', t.slug, 'name', t.name) ORDER BY pt.position), '[]') FROM "PostTag" pt JOIN "Tag" t ON t.id = pt."tagId" WHERE pt."postId" = p.id) AS tags,
  (SELECT coalesce(json_agg(json_build_object('slug', c.slug, 'name', c.name) ORDER BY pc.position), '[]') FROM "PostCategory" pc JOIN "Category" c ON c.id = pc."categoryId" WHERE pc."postId" = p.id) AS categories,
  (SELECT coalesce(json_agg(json_build_object('slug', a.slug, 'name', a.name) ORDER BY pa.position), '[]') FROM "PostAuthor" pa JOIN "Author" a ON a.id = pa."authorId" WHERE pa."postId" = p.id) AS authors`;
const PUBLIC = `p.kind = 'post' AND NOT p.draft AND p."publishedAt" <= now() AND (p."expiresAt" IS NULL OR p."expiresAt" > now())`;
const SUMMARY = `p.slug, p.lang, p.path, p.title, p.description, p.excerpt, p."publishedAt", p."updatedAt", p."readingMinutes", p.cover`;

const app = Fastify({ logger: false });
app.get<{ Params: { slug: string } }>('/v1/posts/:slug', async (request, reply) => {
  const { rows } = await pool.query<Record<string, unknown>>({
    name: 'post',
    text: `SELECT ${SUMMARY}, p.html, p.toc, ${TERMS} FROM "Post" p WHERE p.slug = $1 AND ${PUBLIC} LIMIT 1`,
    values: [request.params.slug],
  });
  if (!rows[0]) return reply.code(404).send({ title: 'not found' });
  return { data: rows[0] };
});
app.get<{ Querystring: { page?: string } }>('/v1/posts', async (request) => {
  const page = Math.max(1, Number(request.query.page ?? 1) || 1);
  const { rows } = await pool.query<Record<string, unknown>>({
    name: 'list',
    text: `SELECT ${SUMMARY}, ${TERMS} FROM "Post" p WHERE ${PUBLIC} ORDER BY p."publishedAt" DESC, p.id DESC LIMIT 20 OFFSET $1`,
    values: [(page - 1) * 20],
  });
  return { data: rows };
});
await app.listen({ host: '127.0.0.1', port: Number(port) });
process.stdout.write('ready\n');
