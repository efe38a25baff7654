// Front matter as blogs write it -> Quire's fields. Each field accepts the keys other tools
// use for it (first one present wins, keys matched case-insensitively), and each value is
// validated with zod; a problem names the key the author wrote.
import { z } from 'zod';
import { type Author, parseAuthors } from './authors.js';
import { parseDate } from './dates.js';
import { canonicalLanguage } from './language.js';
import { type FieldKeys, keysFor, NO_FIELD_KEYS } from './field-keys.js';
import { toSlug } from '../blog/slug.js';

const scalarText = z.union([z.string(), z.number(), z.boolean()], { error: 'must be text' }).transform(String);
const text = scalarText.transform((s) => s.replace(/\s+/g, ' ').trim());
const optionalText = text.transform((s) => s || undefined);

const date = z.unknown().transform((value, ctx) => {
  const d = parseDate(value);
  if (!d) {
    ctx.addIssue({ code: 'custom', message: `is not a date (use YYYY-MM-DD or ISO 8601), got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return d;
});

const bool = z
  .union([z.boolean(), z.enum(['true', 'false', 'yes', 'no']), z.literal(0), z.literal(1)], {
    error: 'must be true or false',
  })
  .transform((v) => v === true || v === 'true' || v === 'yes' || v === 1);

/** A string is a list split at commas, or at spaces when it has none (Jekyll's rule). */
const names = z
  .union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))], {
    error: 'must be a list of names or a comma-separated string',
  })
  .transform((v) => {
    const list = Array.isArray(v) ? v.map(String) : typeof v === 'number' ? [String(v)] : v.split(v.includes(',') ? ',' : /\s+/);
    return list.map((s) => s.replace(/\s+/g, ' ').trim()).filter(Boolean);
  });

const stringList = z
  .union([z.string(), z.array(z.string())], { error: 'must be a list of text' })
  .transform((v) => (Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean));

const IMAGE_KEYS = ['image', 'src', 'url', 'path', 'filename'];
// A list (the Next.js starter's `images`) gives its first entry.
const image = z
  .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())], { error: 'must be a URL or path' })
  .transform((list, ctx) => {
    const v = Array.isArray(list) ? list[0] : list;
    const found =
      typeof v === 'string'
        ? v
        : v && typeof v === 'object'
          ? IMAGE_KEYS.map((k) => (v as Record<string, unknown>)[k]).find((x) => typeof x === 'string')
          : undefined;
    if (typeof found !== 'string' || !found.trim()) {
      ctx.addIssue({ code: 'custom', message: `must be a URL or path, or an object with one of ${IMAGE_KEYS.join(', ')}` });
      return z.NEVER;
    }
    const alt =
      v && typeof v === 'object'
        ? ['alt', 'caption'].map((k) => (v as Record<string, unknown>)[k]).find((x) => typeof x === 'string')
        : undefined;
    return { src: found.trim(), ...(alt && { alt: alt.trim() }) };
  });

// "A, B and C" and "[A](url) (Org)" in one string are several authors (authors.ts).
const authorText = z.string().transform((s) => parseAuthors(s));
const authorObject = z
  .looseObject({ name: z.string().trim().min(1), url: z.string().optional(), link: z.string().optional() })
  .transform(({ name, url, link }): Author[] => [(url ?? link) ? { name, url: (url ?? link)! } : { name }]);
const authors = z
  .union([authorText, authorObject, z.array(z.union([authorText, authorObject]))], {
    error: 'must be a name, "[Name](url)", { name, url } or a list of those',
  })
  .transform((v) => (Array.isArray(v[0]) || !v.length ? (v as Author[][]).flat() : (v as Author[])).filter((a) => a.name));

const slug = scalarText.transform((s, ctx) => {
  const out = toSlug(s);
  if (!out) {
    ctx.addIssue({ code: 'custom', message: `"${s}" has no letters or digits to make a slug from` });
    return z.NEVER;
  }
  return out;
});

function language(allowed?: ReadonlySet<string>) {
  return scalarText.transform((s, ctx) => {
    const tag = canonicalLanguage(s.trim(), allowed);
    if (!tag) {
      const hint = allowed?.size ? `one of ${[...allowed].join(', ')}` : 'a language tag like en, ja or pt-BR';
      ctx.addIssue({ code: 'custom', message: `"${s}" is not ${hint}` });
      return z.NEVER;
    }
    return tag;
  });
}

/** Each field: the keys that mean it (in priority order), and how its value is read. */
function makeSpecs(languages?: ReadonlySet<string>) {
  return {
    title: { keys: ['title'], schema: text.pipe(z.string().min(1, 'must not be empty')) },
    slug: { keys: ['slug'], schema: slug },
    date: { keys: ['date', 'pubdate', 'publishdate', 'published', 'published_at', 'publishedat'], schema: date },
    updated: { keys: ['updated', 'lastmod', 'modified', 'updated_at', 'updatedat', 'last_modified_at'], schema: date },
    expires: { keys: ['expirydate', 'expiry_date', 'expires', 'expires_at', 'expiresat', 'unpublishdate'], schema: date },
    draft: { keys: ['draft'], schema: bool },
    description: { keys: ['description', 'summary', 'excerpt'], schema: optionalText },
    featured: { keys: ['featured'], schema: bool },
    image: {
      keys: ['image', 'cover', 'featured_image', 'featuredimage', 'feature_image', 'cover_image', 'heroimage', 'hero', 'images'],
      schema: image,
    },
    imageAlt: {
      keys: ['image_alt', 'imagealt', 'cover_alt', 'feature_image_alt', 'featured_image_alt', 'heroimagealt'],
      schema: optionalText,
    },
    authors: { keys: ['authors', 'author'], schema: authors },
    tags: { keys: ['tags', 'tag'], schema: names },
    categories: { keys: ['categories', 'category'], schema: names },
    lang: { keys: ['lang', 'language', 'locale'], schema: language(languages) },
    aliases: { keys: ['aliases', 'redirect_from'], schema: stringList },
    path: { keys: ['path', 'permalink', 'url'], schema: z.string({ error: 'must be text' }) },
    layout: { keys: ['layout'], schema: scalarText },
    type: { keys: ['type'], schema: scalarText },
  } as const;
}

// Built once per language setting, not once per file.
const specs = new WeakMap<ReadonlySet<string>, ReturnType<typeof makeSpecs>>();
const defaultSpecs = makeSpecs();
function fieldSpecs(languages?: ReadonlySet<string>) {
  if (!languages) return defaultSpecs;
  let found = specs.get(languages);
  if (!found) specs.set(languages, (found = makeSpecs(languages)));
  return found;
}

type Specs = ReturnType<typeof makeSpecs>;
/** What the front matter says, by Quire's field names; each field's type is its schema's output. */
export type Fields = { -readonly [K in keyof Specs]?: z.output<Specs[K]['schema']> };

/** Keys that hint rather than define: used when needed, and kept for the frontend as well. */
const ALSO_EXTRA = new Set(['path', 'layout', 'type']);

export interface FieldProblem {
  /** The field, by Quire's name. */
  field: keyof Fields;
  /** The key the author wrote for it. */
  key: string;
  message: string;
}

export function readFields(
  data: Record<string, unknown>,
  languages?: ReadonlySet<string>,
  fieldKeys: FieldKeys = NO_FIELD_KEYS,
): {
  fields: Fields;
  /** For each field found, the key the author wrote for it. */
  keys: Partial<Record<keyof Fields, string>>;
  extra: Record<string, unknown>;
  problems: FieldProblem[];
} {
  // Zola keeps tags and categories in a [taxonomies] table (kept in extra as written, too).
  const taxonomies = Object.entries(data).find(([k]) => k.toLowerCase() === 'taxonomies')?.[1];
  if (taxonomies && typeof taxonomies === 'object' && !Array.isArray(taxonomies)) {
    const lifted = Object.fromEntries(Object.entries(taxonomies).filter(([k]) => /^(tags|categories)$/i.test(k)));
    data = { ...lifted, ...data };
  }
  const byLower = new Map(Object.keys(data).map((k) => [k.toLowerCase(), k]));
  const consumed = new Set<string>();
  const problems: FieldProblem[] = [];
  const fields: Fields = {};
  const used: Partial<Record<keyof Fields, string>> = {};
  const specs = fieldSpecs(languages);
  // `published: false` means draft; `published: 2024-05-20` means date.
  const published = byLower.get('published');
  const publishedFlag = published !== undefined && typeof data[published] === 'boolean' ? published : undefined;
  if (publishedFlag) consumed.add(publishedFlag);

  const read = <K extends keyof Specs>(name: K) => {
    const keys = keysFor(name, specs[name].keys, fieldKeys)
      .map((k) => byLower.get(k))
      .filter((k): k is string => k !== undefined && k !== publishedFlag);
    // An empty value, or an empty list (`images: []`), is no value.
    const key = keys.find(
      (k) => data[k] !== null && data[k] !== undefined && data[k] !== '' && !(Array.isArray(data[k]) && !data[k].length),
    );
    if (!ALSO_EXTRA.has(name)) for (const k of keys) consumed.add(k);
    if (key === undefined) return;
    used[name] = key;
    const result = (specs[name].schema as z.ZodType<Fields[K]>).safeParse(data[key]);
    if (result.success) fields[name] = result.data;
    else problems.push({ field: name, key, message: result.error.issues[0]?.message ?? 'is invalid' });
  };
  for (const name of Object.keys(specs) as (keyof Specs)[]) read(name);
  if (publishedFlag && data[publishedFlag] === false) fields.draft = true;
  // One author and their link in a key of its own: Docusaurus's legacy `author` with
  // `author_url` (or `authorURL`), as its blog front matter reads them.
  const authorUrlKey = ['author_url', 'authorurl', 'author_link', 'authorlink'].map((k) => byLower.get(k)).find((k) => k !== undefined);
  const authorUrl = authorUrlKey === undefined ? undefined : data[authorUrlKey];
  if (typeof authorUrl === 'string' && authorUrl.trim() && fields.authors?.length === 1 && !fields.authors[0]!.url) {
    fields.authors = [{ ...fields.authors[0]!, url: authorUrl.trim() }];
    consumed.add(authorUrlKey!);
  }
  const extra = Object.fromEntries(Object.entries(data).filter(([k]) => !consumed.has(k)));
  // Values from TOML (dates) and YAML become plain JSON for storage.
  return { fields, keys: used, extra: JSON.parse(JSON.stringify(extra)) as Record<string, unknown>, problems };
}
