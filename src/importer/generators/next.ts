// A Next.js site's Markdown: Next has no content rules of its own; its blogs route a file by
// its path under the content folder (pages/ and app/ routes such as blog/[...slug], or a
// getStaticPaths over the folder's files): the path without its extension, an index file
// standing for its folder, case and periods as written, and no trailing slash (Next's
// `trailingSlash` is false by default: nextjs.org/docs/app/api-reference/config/next-config-js/trailingSlash).
// A locale suffix (`post.fr.mdx`, Nextra's i18n convention) is the locale's prefix: /fr/post.
import { exactPath, type GeneratorReading, type SourceFacts } from './common.js';

export function nextReading(f: SourceFacts): GeneratorReading {
  let route = f.rel.replace(/\.(md|markdown|mdx)$/i, '');
  const locale = /^(.*)\.([a-z]{2,3}(?:-[A-Za-z]{2,4})?)$/.exec(route);
  if (locale) route = `${locale[2]}/${locale[1]}`;
  route = route.replace(/(^|\/)index$/i, '');
  return { path: exactPath(`/${route}`).replace(/(.)\/$/, '$1'), ...(locale && { lang: locale[2] }) };
}
