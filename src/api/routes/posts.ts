import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getPost, listPosts } from '../../blog/posts.queries.js';
import { ok, one, pageOf, PostListQuerySchema, PostSchema, PostSummarySchema, SlugParamsSchema } from '../../blog/schemas.js';
import type { Db } from '../../db/client.js';
import { paginate } from '../pagination.js';
import { notFound, problemResponses } from '../problems.js';

export const postRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/posts',
    {
      schema: {
        operationId: 'listPosts',
        summary: 'Published posts, newest first',
        tags: ['posts'],
        querystring: PostListQuerySchema,
        response: { 200: ok('A page of post summaries', pageOf(PostSummarySchema)), ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      const { items, total } = await listPosts(db, request.query);
      return paginate(request, reply, request.query, items, total);
    },
  );

  app.get(
    '/posts/:slug',
    {
      schema: {
        operationId: 'getPost',
        summary: 'One published post, with its HTML',
        tags: ['posts'],
        params: SlugParamsSchema,
        response: { 200: ok('The post', one(PostSchema)), ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const post = await getPost(db, request.params.slug);
      if (!post) throw notFound(`no published post with slug "${request.params.slug}"`);
      return { data: post };
    },
  );
};
