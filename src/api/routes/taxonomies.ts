// /tags, /categories and /authors: a list with post counts, one by slug, and its posts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PostListQuerySchema, SlugParamsSchema, TaxonomyListQuerySchema } from '../../blog/params.js';
import {
  AuthorListSchema,
  AuthorResponseSchema,
  CategoryListSchema,
  CategoryResponseSchema,
  ok,
  PostListSchema,
  TagListSchema,
  TagResponseSchema,
} from '../../blog/schemas.js';
import type { TaxonomyKind } from '../../blog/taxonomies.js';
import { getTaxonomy, listTaxonomy } from '../../blog/taxonomies.queries.js';
import { sendList, sendOne } from '../pagination.js';
import { cacheable } from '../plugins/delivery.js';
import { documented } from '../responses.js';
import { notFound } from '../problem-details.js';
import type { ReadDeps } from './read-deps.js';
import { sendPostList } from './read-responses.js';

const KINDS = [
  { kind: 'tag', path: 'tags', Id: 'Tag', Ids: 'Tags', list: TagListSchema, one: TagResponseSchema },
  { kind: 'category', path: 'categories', Id: 'Category', Ids: 'Categories', list: CategoryListSchema, one: CategoryResponseSchema },
  { kind: 'author', path: 'authors', Id: 'Author', Ids: 'Authors', list: AuthorListSchema, one: AuthorResponseSchema },
] as const satisfies { kind: TaxonomyKind; [k: string]: unknown }[];

export const taxonomyRoutes: FastifyPluginAsyncZod<ReadDeps> = async (app, deps) => {
  const { reader, clock, changedAt } = deps;
  for (const { kind, path, Id, Ids, list, one } of KINDS) {
    app.get(
      `/${path}`,
      {
        schema: {
          operationId: `list${Ids}`,
          summary: `${Ids} with published posts, with post counts`,
          tags: ['taxonomies'],
          querystring: TaxonomyListQuerySchema,
          response: documented(ok(`A page of ${path}`, list), { list: true }, 400),
        },
      },
      async (request, reply) => {
        const result = await listTaxonomy(reader, kind, request.query, clock());
        cacheable(reply, await changedAt(), [path, ...result.keys]);
        return sendList(request, reply, request.query, result);
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
          response: documented(ok(`The ${kind}`, one), {}, 400, 404),
        },
      },
      async (request, reply) => {
        const json = await getTaxonomy(reader, kind, request.params.slug, clock());
        if (!json) throw notFound(`no ${kind} "${request.params.slug}" with published posts`);
        cacheable(reply, await changedAt(), [path, `${kind}:${request.params.slug}`]);
        return sendOne(reply, json);
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
          response: documented(ok('A page of posts', PostListSchema), { list: true }, 400, 404),
        },
      },
      async (request, reply) => {
        const { slug } = request.params;
        if (!(await getTaxonomy(reader, kind, slug, clock()))) throw notFound(`no ${kind} "${slug}" with published posts`);
        const fixed = kind === 'tag' ? { tagAll: [...(request.query.tagAll ?? []), slug] } : { [kind]: [slug] };
        return sendPostList(deps, request, reply, request.query, fixed);
      },
    );
  }
};
