// Front matter as blogs write it -> Quire's fields. Each field accepts the keys other tools
// use for it (first one present wins, keys matched case-insensitively), and each value is
// validated with zod; a problem names the key the author wrote.
import { z } from 'zod';
import { parseDate } from './dates.js';
import { canonicalLanguage } from './language.js';
import { toSlug } from './slug.js';

export interface Author {
  name: string;
  url?: string;
}

export interface Fields {
  title?: string;
  slug?: string;
  date?: Date;
  updated?: Date;
  draft?: boolean;
  description?: string;
  image?: string;
  authors: Author[];
  tags: string[];
  categories: string[];
  lang?: string;
  aliases: string[];
  /** A path-like key (Zola `path`, Jekyll `permalink`, Hugo `url`), kept in extra too. */
  path?: string;
  /** Jekyll/Hugo layout, kept in extra too: a dated-less file with one is a page. */
  layout?: string;
}

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

const bool = z.union([z.boolean(), z.enum(['true', 'false', 'yes', 'no']), z.literal(0), z.literal(1)], {
  error: 'must be true or false',
}).transform((v) => v === true || v === 'true' || v === 'yes' || v === 1);

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
const image = z.union([z.string(), z.record(z.string(), z.unknown())], { error: 'must be a URL or path' }).transform((v, ctx) => {
  const found = typeof v === 'string' ? v : IMAGE_KEYS.map((k) => v[k]).find((x) => typeof x === 'string');
  if (typeof found !== 'string' || !found.trim()) {
    ctx.addIssue({ code: 'custom', message: `must be a URL or path, or an object with one of ${IMAGE_KEYS.join(', ')}` });
    return z.NEVER;
  }
  return found.trim();
});

const MD_LINK = /^\[([^\]]+)\]\(([^)\s]+)\)$/;
const authorText = z.string().transform((s): Author => {
  const m = MD_LINK.exec(s.trim());
  if (m) return { name: m[1]!.trim(), url: m[2]! };
  return { name: s.replace(/\s*<[^>]*>\s*$/, '').trim() }; // "Name <email>" -> Name
});
const authorObject = z
  .looseObject({ name: z.string().trim().min(1), url: z.string().optional(), link: z.string().optional() })
  .transform(({ name, url, link }): Author => ((url ?? link) ? { name, url: (url ?? link)! } : { name }));
const authors = z
  .union([authorText, authorObject, z.array(z.union([authorText, authorObject]))], {
    error: 'must be a name, "[Name](url)", { name, url } or a list of those',
  })
  .transform((v) => (Array.isArray(v) ? v : [v]).filter((a) => a.name));

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
    draft: { keys: ['draft'], schema: bool },
    description: { keys: ['description', 'summary', 'excerpt'], schema: optionalText },
    image: { keys: ['image', 'cover', 'featured_image', 'featuredimage'], schema: image },
    authors: { keys: ['authors', 'author'], schema: authors },
    tags: { keys: ['tags', 'tag'], schema: names },
    categories: { keys: ['categories', 'category'], schema: names },
    lang: { keys: ['lang', 'language', 'locale'], schema: language(languages) },
    aliases: { keys: ['aliases', 'redirect_from'], schema: stringList },
    path: { keys: ['path', 'permalink', 'url'], schema: z.string({ error: 'must be text' }) },
    layout: { keys: ['layout'], schema: scalarText },
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

/** Keys that hint rather than define: used when needed, and kept for the frontend as well. */
const ALSO_EXTRA = new Set(['path', 'layout']);

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
  const fields: Fields = { authors: [], tags: [], categories: [], aliases: [] };
  const out = fields as unknown as Record<string, unknown>;
  const used: Partial<Record<keyof Fields, string>> = {};

  for (const [name, spec] of Object.entries(fieldSpecs(languages))) {
    let keys = spec.keys.map((k) => byLower.get(k)).filter((k) => k !== undefined);
    // `published: false` means draft; `published: 2024-05-20` means date.
    const published = byLower.get('published');
    if (published !== undefined && typeof data[published] === 'boolean') {
      if (name === 'date') keys = keys.filter((k) => k !== published);
      if (name === 'draft') {
        consumed.add(published);
        if (data[published] === false) out.draft = true;
      }
    }
    const key = keys.find((k) => data[k] !== null && data[k] !== undefined && data[k] !== '');
    for (const k of keys) if (!ALSO_EXTRA.has(name)) consumed.add(k);
    if (key === undefined) continue;
    const field = name as keyof Fields;
    used[field] = key;
    const result = (spec.schema as z.ZodType).safeParse(data[key]);
    if (!result.success) problems.push({ field, key, message: result.error.issues[0]?.message ?? 'is invalid' });
    else if (name === 'draft') out.draft = Boolean(out.draft) || result.data === true;
    else out[name] = result.data;
  }
  const extra = Object.fromEntries(Object.entries(data).filter(([k]) => !consumed.has(k)));
  // Values from TOML (dates) and YAML become plain JSON for storage.
  return { fields, keys: used, extra: JSON.parse(JSON.stringify(extra)) as Record<string, unknown>, problems };
}
