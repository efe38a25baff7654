// One source file -> the post it describes, with slugs for it, its tags and categories.
import path from 'node:path';
import { parseFrontMatter } from './front-matter.js';
import type { FileProblem } from './problems.js';
import { toSlug } from './slug.js';
import type { SourceFile } from './source.js';

export interface Term {
  slug: string;
  name: string;
}

export interface NormalizedPost {
  sourcePath: string;
  contentHash: string;
  slug: string;
  title: string;
  description: string | null;
  publishedAt: Date;
  updatedAt: Date | null;
  draft: boolean;
  tags: Term[];
  categories: Term[];
  extra: Record<string, unknown>;
  markdown: string;
}

/** Names -> terms, first spelling of each slug kept, in the author's order. */
function toTerms(file: string, field: string, names: string[]): Term[] | FileProblem {
  const terms = new Map<string, Term>();
  for (const name of names) {
    const slug = toSlug(name);
    if (!slug) return { file, field, message: `"${name}" has no letters or digits to make a slug from` };
    if (!terms.has(slug)) terms.set(slug, { slug, name });
  }
  return [...terms.values()];
}

export function normalize(file: SourceFile): { ok: true; post: NormalizedPost } | { ok: false; problems: FileProblem[] } {
  const parsed = parseFrontMatter(file.path, file.text);
  if (!parsed.ok) return parsed;
  const { data } = parsed;
  const slug = data.slug ?? toSlug(path.posix.basename(file.path).replace(/\.[^.]+$/, ''));
  const problems: FileProblem[] = [];
  if (!slug) problems.push({ file: file.path, field: 'slug', message: 'is missing and the file name gives none' });
  const tags = toTerms(file.path, 'tags', data.tags);
  const categories = toTerms(file.path, 'categories', data.categories);
  for (const t of [tags, categories]) if (!Array.isArray(t)) problems.push(t);
  if (problems.length || !Array.isArray(tags) || !Array.isArray(categories)) return { ok: false, problems };
  return {
    ok: true,
    post: {
      sourcePath: file.path,
      contentHash: file.hash,
      slug,
      title: data.title,
      description: data.description ?? null,
      publishedAt: data.date,
      updatedAt: data.updated ?? null,
      draft: data.draft,
      tags,
      categories,
      extra: parsed.extra,
      markdown: parsed.body,
    },
  };
}

/** Two files claiming one slug: an error naming both. */
export function duplicateSlugs(posts: NormalizedPost[]): FileProblem[] {
  const seen = new Map<string, string>();
  const problems: FileProblem[] = [];
  for (const p of posts) {
    const first = seen.get(p.slug);
    if (first) problems.push({ file: p.sourcePath, field: 'slug', message: `"${p.slug}" is already used by ${first}` });
    else seen.set(p.slug, p.sourcePath);
  }
  return problems;
}
