// The three taxonomies, and the tables that hold them: one description for the importer
// (which writes them) and the queries (which read them). Identifiers in SQL come from here
// only, never from a request.
export const TAXONOMIES = {
  tag: { key: 'tags', table: 'Tag', join: 'PostTag', fk: 'tagId', slugs: 'tagSlugs' },
  category: { key: 'categories', table: 'Category', join: 'PostCategory', fk: 'categoryId', slugs: 'categorySlugs' },
  author: { key: 'authors', table: 'Author', join: 'PostAuthor', fk: 'authorId', slugs: 'authorSlugs' },
} as const;

export type TaxonomyKind = keyof typeof TAXONOMIES;
export const TAXONOMY_KINDS = Object.keys(TAXONOMIES) as TaxonomyKind[];
