// Which generator built the site a content folder belongs to, and the settings of its own
// that change how a file reads (permalinks, slug rules, defaults). Each generator is known by
// the files at the top of its project, as it looks for them itself:
// - Hugo: hugo.toml|yaml|json, or config.toml|yaml|json (its older name) or config/_default/;
// - Zola: zola.toml, or a config.toml with Zola's `base_url` (Hugo spells it baseURL);
// - Jekyll: _config.yml|yaml|toml;
// - Eleventy: eleventy.config.*, .eleventy.js, or @11ty/eleventy in package.json;
// - Docusaurus: docusaurus.config.*, or @docusaurus/core in package.json;
// - Astro: astro.config.*, or astro in package.json;
// - Next.js: next.config.*, or next in package.json.
// QUIRE_GENERATOR names it when the folder is copied away from its project.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';

import { type Generator } from '../config.js';

export type { Generator };

export interface Site {
  /** Unknown (a plain folder of Markdown) when undefined. */
  generator: Generator | undefined;
  /** The project's folder (where the generator's configuration is), or the content folder. */
  root: string;
  /** The content folder's path inside the project ("content", "src/posts", ""). */
  contentPath: string;
  /** The generator's own configuration, when it is a data file Quire can read (not JavaScript). */
  config: Record<string, unknown>;
}

/** Folders above the content folder that may hold its project. */
const MAX_UP = 4;

const CONFIG_FILES: [Generator | 'hugo-or-zola', RegExp][] = [
  ['hugo', /^hugo\.(toml|ya?ml|json)$/],
  ['zola', /^zola\.toml$/],
  ['jekyll', /^_config\.(ya?ml|toml)$/],
  ['eleventy', /^(\.eleventy\.js|eleventy\.config\.(c|m)?(js|ts))$/],
  ['docusaurus', /^docusaurus\.config\.(c|m)?(js|ts)$/],
  ['astro', /^astro\.config\.(c|m)?(js|ts)$/],
  ['next', /^next\.config\.(c|m)?(js|ts)$/],
  ['hugo-or-zola', /^config\.(toml|ya?ml|json)$/],
];

const PACKAGES: [Generator, string][] = [
  ['eleventy', '@11ty/eleventy'],
  ['docusaurus', '@docusaurus/core'],
  ['astro', 'astro'],
  ['next', 'next'],
];

async function readData(file: string): Promise<Record<string, unknown>> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  try {
    const data: unknown = file.endsWith('.toml') ? parseToml(text) : file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  } catch {
    // A configuration the generator itself would refuse: the defaults stand.
    return {};
  }
}

async function fromPackage(dir: string): Promise<Generator | undefined> {
  const pkg = await readData(path.join(dir, 'package.json'));
  const deps = { ...(pkg.dependencies as object | undefined), ...(pkg.devDependencies as object | undefined) };
  return PACKAGES.find(([, name]) => name in deps)?.[0];
}

/** The generator of the project at `dir`, with its configuration file, when there is one. */
async function generatorAt(dir: string): Promise<{ generator: Generator; file?: string } | undefined> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const [generator, pattern] of CONFIG_FILES) {
    const name = names.find((n) => pattern.test(n));
    if (!name) continue;
    if (generator !== 'hugo-or-zola') return { generator, file: path.join(dir, name) };
    // Zola names it base_url; Hugo baseURL (any case) or nothing at all.
    const text = await readFile(path.join(dir, name), 'utf8').catch(() => '');
    return { generator: /^\s*base_url\s*=/m.test(text) ? 'zola' : 'hugo', file: path.join(dir, name) };
  }
  if (
    names.includes('config') &&
    (await readdir(path.join(dir, 'config', '_default')).catch(() => [] as string[])).some((n) =>
      /^(hugo|config)\.(toml|ya?ml|json)$/.test(n),
    )
  ) {
    return { generator: 'hugo', file: path.join(dir, 'config') };
  }
  if (names.includes('package.json')) {
    const generator = await fromPackage(dir);
    if (generator) return { generator };
  }
  return undefined;
}

/** Every file under a folder, with its path relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/**
 * Hugo's configuration folder, as config/configLoader.go (LoadConfigFromDir) reads it: every
 * file under config/_default, then config/production (a `hugo` build's environment); hugo.*
 * and config.* hold top-level keys, any other file the key it is named for (params.toml),
 * and a language suffix puts it under that language (languages.fr.toml, params.fr.toml).
 */
async function hugoConfigDir(dir: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const env of ['_default', 'production']) {
    for (const file of await filesUnder(path.join(dir, env))) {
      const m = /^(.+?)(?:\.([\w-]+))?\.(toml|ya?ml|json)$/.exec(path.basename(file));
      if (!m) continue;
      const [, name, lang] = m as unknown as [string, string, string | undefined];
      const data = await readData(file);
      if ((name === 'hugo' || name === 'config') && !lang) {
        Object.assign(out, data);
        continue;
      }
      const value = Object.keys(data).length === 1 && name in data ? data[name] : data;
      const keys = lang ? ['languages', lang, ...(name === 'params' || name === 'menus' || name === 'menu' ? [name] : [])] : [name];
      let at = out;
      for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
      const last = keys[keys.length - 1]!;
      const before = at[last];
      at[last] =
        before && typeof before === 'object' && value && typeof value === 'object' && !Array.isArray(value)
          ? { ...before, ...value }
          : value;
    }
  }
  return out;
}

async function configOf(generator: Generator, file: string | undefined): Promise<Record<string, unknown>> {
  if (!file) return {};
  if (generator === 'hugo' && path.basename(file) === 'config' && !/\.\w+$/.test(file)) return hugoConfigDir(file);
  return /\.(toml|ya?ml|json)$/.test(file) ? readData(file) : {};
}

/**
 * The site `contentDir` belongs to: the nearest folder at or above it (at most four up) that
 * holds a generator's configuration. `forced` (QUIRE_GENERATOR) names the generator instead.
 */
export async function detectSite(contentDir: string, forced?: Generator | 'none'): Promise<Site> {
  const start = path.resolve(contentDir);
  let dir = start;
  for (let up = 0; up <= MAX_UP; up++) {
    const found = await generatorAt(dir);
    if (found && (!forced || forced === found.generator)) {
      return {
        generator: found.generator,
        root: dir,
        contentPath: path.relative(dir, start).split(path.sep).join('/'),
        config: await configOf(found.generator, found.file),
      };
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return { generator: forced === 'none' ? undefined : forced, root: start, contentPath: '', config: {} };
}

/** A value of the generator's configuration by key, matched case-insensitively (Hugo's keys are). */
export function configValue(site: Site, key: string): unknown {
  const found = Object.keys(site.config).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : site.config[found];
}
