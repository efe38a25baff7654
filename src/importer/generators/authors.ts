// Authors a post names by key, from the generator's data file of authors:
// - Docusaurus: `authors.yml` (or .json) in the blog folder, `authors: [key]` in a post
//   (docusaurus.io/docs/blog#global-authors), each with name, url, title, image_url;
// - Jekyll: `_data/authors.yml` (site.data.authors, themes' `author: key` convention);
// - Hugo: `data/authors.*` (site.Data.authors);
// - Eleventy: `_data/authors.json`.
// A key found there becomes that author (name and url); anything else is left as written.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import type { Site } from '../site.js';

export interface AuthorEntry {
  name: string;
  url?: string;
}

const loaded = new WeakMap<Site, Map<string, AuthorEntry>>();

function candidates(site: Site, contentDir: string): string[] {
  const names = (dir: string, exts: string[]) => exts.map((e) => path.join(dir, `authors.${e}`));
  switch (site.generator) {
    case 'docusaurus':
      return names(contentDir, ['yml', 'yaml', 'json']);
    case 'jekyll':
      return names(path.join(site.root, '_data'), ['yml', 'yaml', 'json']);
    case 'hugo':
      return names(path.join(site.root, 'data'), ['yaml', 'yml', 'toml', 'json']);
    case 'eleventy':
      return names(path.join(contentDir, '_data'), ['json']);
    default:
      return [];
  }
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

export async function prepareAuthors(site: Site, contentDir: string): Promise<void> {
  const authors = new Map<string, AuthorEntry>();
  for (const file of candidates(site, contentDir)) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    let data: unknown;
    try {
      data = file.endsWith('.json') ? JSON.parse(text) : file.endsWith('.toml') ? parseToml(text) : parseYaml(text);
    } catch {
      continue;
    }
    if (!data || typeof data !== 'object') continue;
    // A map of key -> author, or a list of authors with a key (id, key or handle).
    const entries: [string, unknown][] = Array.isArray(data)
      ? data.flatMap((a) => {
          const key =
            a && typeof a === 'object' ? (str((a as Record<string, unknown>).id) ?? str((a as Record<string, unknown>).key)) : undefined;
          return key ? [[key, a] as [string, unknown]] : [];
        })
      : Object.entries(data);
    for (const [key, a] of entries) {
      if (!a || typeof a !== 'object') continue;
      const o = a as Record<string, unknown>;
      const name = str(o.name) ?? str(o.display_name) ?? str(o.title) ?? key;
      const url = str(o.url) ?? str(o.link) ?? str(o.website) ?? str(o.page);
      authors.set(key, { name, ...(url && { url }) });
    }
    break;
  }
  loaded.set(site, authors);
}

export const authorsDigest = (site: Site) => JSON.stringify([...(loaded.get(site) ?? [])]);

/** `author`/`authors` keys found in the site's authors file, replaced by those authors. */
export function resolveAuthors(site: Site, data: Record<string, unknown>): Record<string, unknown> {
  const authors = loaded.get(site);
  if (!authors?.size) return data;
  const out = { ...data };
  for (const key of Object.keys(data)) {
    if (!/^authors?$/i.test(key)) continue;
    const v = data[key];
    const list: unknown[] = Array.isArray(v) ? v : [v];
    if (!list.some((x) => typeof x === 'string' && authors.has(x))) continue;
    out[key] = list.map((x) => (typeof x === 'string' && authors.has(x) ? authors.get(x) : x));
  }
  return out;
}
