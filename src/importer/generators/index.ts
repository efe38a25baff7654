// Each generator's own reading of a file: the URL it writes the page at, whether it writes
// one at all, and the date and language it gives it where front matter says nothing. A
// generator not known (a plain folder) leaves everything to Quire's common rules.
import type { GeneratorReading, SourceFacts } from './common.js';
import { astroReading } from './astro.js';
import { authorsDigest, prepareAuthors, resolveAuthors } from './authors.js';
import { docusaurusReading } from './docusaurus.js';
import { eleventyDefaults, eleventyDigest, eleventyMerge, eleventyReading, prepareEleventy } from './eleventy.js';
import { hugoDefaults, hugoDigest, hugoReading, prepareHugo } from './hugo.js';
import { jekyllDefaults, jekyllReading } from './jekyll.js';
import { nextReading } from './next.js';
import { zolaReading } from './zola.js';
import type { Site } from '../site.js';

export type { GeneratorReading, SourceFacts } from './common.js';

export function generatorReading(f: SourceFacts): GeneratorReading {
  switch (f.site.generator) {
    case 'hugo':
      return hugoReading(f);
    case 'jekyll':
      return jekyllReading(f);
    case 'docusaurus':
      return docusaurusReading(f);
    case 'next':
      return nextReading(f);
    case 'astro':
      return astroReading(f);
    case 'zola':
      return zolaReading(f);
    case 'eleventy':
      return eleventyReading(f);
    default:
      return {};
  }
}

/**
 * The file's data as the generator's cascade makes it: what the cascade gives (Jekyll's
 * `defaults`, Eleventy's data files) under the file's own front matter. Jekyll merges
 * objects key by key (Utils.deep_merge_hashes); Eleventy joins arrays too (tags from a
 * directory data file and from the file add up).
 */
export function generatorData(rel: string, site: Site, own: Record<string, unknown>): Record<string, unknown> {
  switch (site.generator) {
    case 'jekyll':
      return resolveAuthors(site, { ...jekyllDefaults(rel, site), ...own });
    case 'eleventy':
      return resolveAuthors(site, eleventyMerge(eleventyDefaults(rel, site), own));
    case 'hugo':
      return resolveAuthors(site, { ...hugoDefaults(rel, site), ...own });
    default:
      return resolveAuthors(site, own);
  }
}

/** Reads the files a generator's cascade needs (Eleventy's data files), once per run. */
export async function prepareGenerator(site: Site, contentDir: string, files: readonly string[]): Promise<void> {
  if (site.generator === 'eleventy') await prepareEleventy(site, contentDir, files);
  if (site.generator === 'hugo') await prepareHugo(site, contentDir, files);
  await prepareAuthors(site, contentDir);
}

/** What the prepared files hold, so a cached reading made without them is made again. */
export function generatorDigest(site: Site): string {
  return (site.generator === 'eleventy' ? eleventyDigest(site) : site.generator === 'hugo' ? hugoDigest(site) : '') + authorsDigest(site);
}
