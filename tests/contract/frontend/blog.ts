// A frontend as a team would write one against Quire: the generated types and openapi-fetch,
// nothing else. No casts, no digging through `paths[...]`: if this needs either, the
// document is what to fix. `npm run typecheck` compiles it with --strict.
import createClient from 'openapi-fetch';
import type { components, paths } from '../../../openapi/types.js';

type PostSummary = components['schemas']['PostSummary'];
type Cover = components['schemas']['Cover'];
type Problem = components['schemas']['Problem'];

export interface Article {
  title: string;
  html: string;
  tags: string[];
  cover: Cover | null;
}

export interface CoverLayout {
  width: number;
  height: number;
  srcset: string;
}

function fail(problem: Problem): never {
  throw new Error(`${problem.status} ${problem.title}: ${problem.detail}`);
}

export function blogClient(baseUrl: string) {
  const client = createClient<paths>({ baseUrl });

  return {
    async titlesTagged(tag: string): Promise<string[]> {
      const { data, error } = await client.GET('/v1/posts', { params: { query: { tag } } });
      if (error) fail(error);
      return data.data.map((post) => post.title);
    },

    /** Every published post (lang/slug: a slug can exist in several languages), page after page, by cursor. */
    async allPosts(): Promise<string[]> {
      const after = async (cursor: string) => {
        const { data, error } = await client.GET('/v1/posts', { params: { query: { cursor, limit: 2 } } });
        if (error) fail(error);
        return data;
      };
      const slugs: string[] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const { data, meta } = await after(cursor);
        slugs.push(...data.map((post) => `${post.lang}/${post.slug}`));
        cursor = meta.nextCursor ?? null;
      }
      return slugs;
    },

    async newest(count: number): Promise<PostSummary[]> {
      const { data, error } = await client.GET('/v1/posts', { params: { query: { limit: count, lang: 'en' } } });
      if (error) fail(error);
      return data.data;
    },

    async article(slug: string): Promise<Article> {
      const { data, error } = await client.GET('/v1/posts/{slug}', { params: { path: { slug } } });
      if (error) fail(error);
      const post = data.data;
      return { title: post.title, html: post.html, tags: post.tags.map((tag) => tag.name), cover: post.image };
    },

    async tagCloud(): Promise<string[]> {
      const { data, error } = await client.GET('/v1/tags', { params: { query: { sort: '-count' } } });
      if (error) fail(error);
      return data.data.map((tag) => `${tag.name} (${tag.postCount})`);
    },

    async search(q: string): Promise<{ title: string; snippet: string }[]> {
      const { data, error } = await client.GET('/v1/search', { params: { query: { q } } });
      if (error) fail(error);
      return data.data.map((hit) => ({ title: hit.title, snippet: hit.snippet }));
    },

    async page(slug: string): Promise<{ title: string; html: string; path: string }> {
      const { data, error } = await client.GET('/v1/pages/{slug}', { params: { path: { slug } } });
      if (error) fail(error);
      return { title: data.data.title, html: data.data.html, path: data.data.path };
    },

    /** What a catch-all route of the site shows for a path: a post (with its date) or a page. */
    async atPath(path: string): Promise<string> {
      const { data, error } = await client.GET('/v1/resolve', { params: { query: { path } } });
      if (error) fail(error);
      const doc = data.data;
      if (doc.kind === 'post') return `post: ${doc.title}, ${doc.publishedAt}, ${doc.related.length} related`;
      return `page: ${doc.title}`;
    },
  };
}

/** How to lay out a cover before it loads: its box and the copies to choose from. */
export function coverLayout(cover: Cover): CoverLayout | undefined {
  if (cover.width === null || cover.height === null || cover.srcset === null) return undefined;
  return { width: cover.width, height: cover.height, srcset: cover.srcset };
}
