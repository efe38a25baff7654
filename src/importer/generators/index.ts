// Each generator's own reading of a file: the URL it writes the page at, whether it writes
// one at all, and the date and language it gives it where front matter says nothing. A
// generator not known (a plain folder) leaves everything to Quire's common rules.
import type { GeneratorReading, SourceFacts } from './common.js';
import { hugoReading } from './hugo.js';

export type { GeneratorReading, SourceFacts } from './common.js';

export function generatorReading(f: SourceFacts): GeneratorReading {
  switch (f.site.generator) {
    case 'hugo':
      return hugoReading(f);
    default:
      return {};
  }
}
