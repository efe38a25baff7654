// /tags and /categories: the same two routes over each taxonomy.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CategorySchema, ok, one, PageQuerySchema, pageOf, SlugParamsSchema, TagSchema } from '../../blog/schemas.js';
import { getTaxonomy, listTaxonomy, type TaxonomyKind } from '../../blog/taxonomies.queries.js';
import type { Db } from '../../db/client.js';
import { paginate } from '../pagination.js';
import { notFound, problemResponses } from '../problems.js';

const KINDS = [
  { kind: 'tag', path: 'tags', label: 'tag', Id: 'Tag', Ids: 'Tags', schema: TagSchema },
  { kind: 'category', path: 'categories', label: 'category', Id: 'Category', Ids: 'Categories', schema: CategorySchema },
] as const satisfies { kind: TaxonomyKind; [k: string]: unknown }[];

const ListQuery = PageQuerySchema.extend({ limit: PageQuerySchema.shape.limit.default(100) });

export const taxonomyRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  for (const { kind, path, label, Id, Ids, schema } of KINDS) {
    app.get(
      `/${path}`,
      {
        schema: {
          operationId: `list${Ids}`,
          summary: `${Ids} with published posts, by name, with post counts`,
          tags: ['taxonomies'],
          querystring: ListQuery,
          response: { 200: ok(`A page of ${path}`, pageOf(schema)), ...problemResponses(400) },
        },
      },
      async (request, reply) => {
        const { items, total } = await listTaxonomy(db, kind, request.query);
        return paginate(request, reply, request.query, items, total);
      },
    );

    app.get(
      `/${path}/:slug`,
      {
        schema: {
          operationId: `get${Id}`,
          summary: `One ${label} and its count of published posts`,
          tags: ['taxonomies'],
          params: SlugParamsSchema,
          response: { 200: ok(`The ${label}`, one(schema)), ...problemResponses(400, 404) },
        },
      },
      async (request) => {
        const item = await getTaxonomy(db, kind, request.params.slug);
        if (!item) throw notFound(`no ${label} "${request.params.slug}" with published posts`);
        return { data: item };
      },
    );
  }
};
