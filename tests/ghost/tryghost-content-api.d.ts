// @tryghost/content-api ships no types: what the tests use of it.
declare module '@tryghost/content-api' {
  type Params = Record<string, string | number | undefined>;
  type Item = Record<string, any>;
  type List = Item[] & {
    meta: { pagination: { page: number; limit: number | 'all'; pages: number; total: number; next: number | null; prev: number | null } };
  };
  interface Resource {
    browse(params?: Params): Promise<List>;
    read(data: { id?: string; slug?: string }, params?: Params): Promise<Item>;
  }
  interface Api {
    posts: Resource;
    pages: Resource;
    tags: Resource;
    authors: Resource;
    settings: { browse(params?: Params): Promise<Item> };
    tiers: { browse(params?: Params): Promise<List> };
    newsletters: { browse(params?: Params): Promise<List> };
    offers: { read(data: { id: string }): Promise<Item> };
  }
  export default function GhostContentAPI(options: {
    url: string;
    key: string;
    version: string | boolean;
    ghostPath?: string;
    userAgent?: string | boolean;
  }): Api;
}
