// /tags, /categories and /authors: a list with post counts, one by slug, and its posts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AuthorSchema,
  CategorySchema,
  ok,
  one,
  pageOf,
  PostListItemSchema,
  PostListQuerySchema,
  SlugParamsSchema,
  TagSchema,
  TaxonomyListQuerySchema,
} from '../../blog/schemas.js';
import { getTaxonomy, listTaxonomy, type TaxonomyKind } from '../../blog/taxonomies.queries.js';
import { paginate } from '../pagination.js';
import { cacheable } from '../plugins/delivery.js';
import { notFound, problemResponses } from '../problems.js';
import { type ReadDeps, sendPostList } from './posts.js';

const KINDS = [
  { kind: 'tag', path: 'tags', Id: 'Tag', Ids: 'Tags', schema: TagSchema },
  { kind: 'category', path: 'categories', Id: 'Category', Ids: 'Categories', schema: CategorySchema },
  { kind: 'author', path: 'authors', Id: 'Author', Ids: 'Authors', schema: AuthorSchema },
] as const satisfies { kind: TaxonomyKind; [k: string]: unknown }[];

export const taxonomyRoutes: FastifyPluginAsyncZod<ReadDeps> = async (app, deps) => {
  const { db, clock, changedAt } = deps;
  for (const { kind, path, Id, Ids, schema } of KINDS) {
    app.get(
      `/${path}`,
      {
        schema: {
          operationId: `list${Ids}`,
          summary: `${Ids} with published posts, with post counts`,
          tags: ['taxonomies'],
          querystring: TaxonomyListQuerySchema,
          response: { 200: ok(`A page of ${path}`, pageOf(schema)), ...problemResponses(400) },
        },
      },
      async (request, reply) => {
        const now = clock();
        const { items, total } = await listTaxonomy(db, kind, request.query, now);
        cacheable(reply, await changedAt(), [path, ...items.map((t) => `${kind}:${t.slug}`)]);
        return paginate(request, reply, request.query, items, total);
      },
    );

    app.get(
      `/${path}/:slug`,
      {
        schema: {
          operationId: `get${Id}`,
          summary: `One ${kind} and its count of published posts`,
          tags: ['taxonomies'],
          params: SlugParamsSchema,
          response: { 200: ok(`The ${kind}`, one(schema)), ...problemResponses(400, 404) },
        },
      },
      async (request, reply) => {
        const now = clock();
        const item = await getTaxonomy(db, kind, request.params.slug, now);
        if (!item) throw notFound(`no ${kind} "${request.params.slug}" with published posts`);
        cacheable(reply, await changedAt(), [path, `${kind}:${item.slug}`]);
        return { data: item };
      },
    );

    app.get(
      `/${path}/:slug/posts`,
      {
        schema: {
          operationId: `list${Id}Posts`,
          summary: `The published posts of one ${kind}: the list's filters, sorts and paging`,
          tags: ['taxonomies'],
          params: SlugParamsSchema,
          querystring: PostListQuerySchema,
          response: { 200: ok('A page of posts', pageOf(PostListItemSchema)), ...problemResponses(400, 404) },
        },
      },
      async (request, reply) => {
        const { slug } = request.params;
        if (!(await getTaxonomy(db, kind, slug, clock()))) throw notFound(`no ${kind} "${slug}" with published posts`);
        const fixed = kind === 'tag' ? { tagAll: [...(request.query.tagAll ?? []), slug] } : { [kind]: [slug] };
        return sendPostList(deps, request, reply, request.query, fixed);
      },
    );
  }
};
