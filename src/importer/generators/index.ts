// Each generator's own reading of a file: the URL it writes the page at, whether it writes
// one at all, and the date and language it gives it where front matter says nothing. A
// generator not known (a plain folder) leaves everything to Quire's common rules.
import type { GeneratorReading, SourceFacts } from './common.js';
import { hugoReading } from './hugo.js';
import { jekyllDefaults, jekyllReading } from './jekyll.js';
import type { Site } from '../site.js';

export type { GeneratorReading, SourceFacts } from './common.js';

export function generatorReading(f: SourceFacts): GeneratorReading {
  switch (f.site.generator) {
    case 'hugo':
      return hugoReading(f);
    case 'jekyll':
      return jekyllReading(f);
    default:
      return {};
  }
}

/** Front matter the generator gives a file before its own (Jekyll's `defaults`). */
export function generatorDefaults(rel: string, site: Site): Record<string, unknown> {
  switch (site.generator) {
    case 'jekyll':
      return jekyllDefaults(rel, site);
    default:
      return {};
  }
}
