// Astro's content collections (the glob loader, astro/src/content/loaders/glob.ts and
// utils.ts getContentEntryIdAndSlug): an entry's id is its front matter `slug`, else its path
// in the collection without the extension, each segment slugged by github-slugger (lower
// case; periods and other punctuation dropped, `_` and `-` kept; "index" standing for its
// folder). The site routes a collection by that id: Starlight's `docs` collection at the
// root, a blog's `blog` collection under /blog/ (src/pages/blog/[...slug].astro, as Astro's
// blog starter does), with the trailing slash of Astro's default directory build format.
import GithubSlugger from 'github-slugger';
import { exactPath, type GeneratorReading, type SourceFacts, text } from './common.js';

const slug = (segment: string) => new GithubSlugger().slug(segment);

export function astroReading(f: SourceFacts): GeneratorReading {
  const collection = /(?:^|\/)src\/content\/([^/]+)$/.exec(f.site.contentPath)?.[1];
  const base = collection && collection !== 'docs' ? `/${collection}` : '';
  const own = text(f.data, 'slug');
  const id =
    own ??
    f.rel
      .replace(/\.(md|markdown|mdx|mdoc)$/i, '')
      .split('/')
      .map(slug)
      .join('/')
      .replace(/(^|\/)index$/, '');
  return { path: exactPath(`${base}/${id}/`) };
}
