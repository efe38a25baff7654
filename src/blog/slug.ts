// Names (titles, file names, tags, categories) -> URL slugs. One rule for all of them, so
// "JavaScript", "javascript" and " JavaScript " are one tag.
import slugify from '@sindresorhus/slugify';

// Scripts with a faithful Latin transliteration ("Zürich" -> "zuerich", "Привет" -> "privet").
// Letters of other scripts (Han, Kana, Hangul, Arabic, Hebrew, Thai, Devanagari, ...) would
// be dropped or mangled by transliteration, so a name that has any keeps its Unicode letters.
const TRANSLITERATED = /^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}]$/u;
const LETTER = /\p{L}/gu;

const OPTIONS = {
  decamelize: false,
  // Keep tech names apart: "C", "C++" and "C#" are three tags.
  customReplacements: [
    ['++', ' plus plus '],
    ['+', ' plus '],
    ['#', ' sharp '],
  ] as [string, string][],
};

function unicodeSlug(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

// Tag and category names repeat across thousands of files: remember recent answers.
const cache = new Map<string, string>();
const CACHE_MAX = 10_000;

export function toSlug(name: string): string {
  let slug = cache.get(name);
  if (slug === undefined) {
    const letters = name.match(LETTER) ?? [];
    slug = letters.every((l) => TRANSLITERATED.test(l)) ? slugify(name, OPTIONS) : unicodeSlug(name);
    if (cache.size >= CACHE_MAX) cache.clear();
    // A copy of the name: a slice of a file's text would keep the whole file alive.
    cache.set(structuredClone(name), slug);
  }
  return slug;
}

/** What a slug written in front matter must look like (any script's letters allowed). */
export const SLUG_PATTERN = /^[\p{Ll}\p{Lo}\p{Lm}\p{M}\p{N}]+(?:-[\p{Ll}\p{Lo}\p{Lm}\p{M}\p{N}]+)*$/u;
