// Docusaurus's blog plugin (plugin-content-blog, blogUtils.ts), for the blog folder:
// - the files are **/*.{md,mdx} but those starting with _ (or in a folder that does) and
//   tests (the plugin's default `exclude`);
// - a post's URL is /<routeBasePath>/<slug> ("blog" by default), where the slug is the
//   front matter's `slug`, else the file's path: a date in its name ("2024-05-20-x.md",
//   "2024/05/20/x/index.md") is moved to the front as /YYYY/MM/DD/ (parseBlogFileName), an
//   index file stands for its folder; normalizeUrl squeezes slashes and adds no trailing one
//   (the site's trailingSlash left undefined);
// - its date is the front matter's, else the one in the file name (in UTC).
import { exactPath, type GeneratorReading, type SourceFacts, text } from './common.js';

const DATE_FILENAME = /^(?<folder>.*)(?<date>\d{4}[-/]\d{1,2}[-/]\d{1,2})[-/]?(?<text>.*?)(?:\/index)?\.mdx?$/;
const EXCLUDED = /(^|\/)_[^/]*(\/|$)|\.test\.[jt]sx?$|(^|\/)__tests__\//;

export function docusaurusReading(f: SourceFacts): GeneratorReading {
  if (EXCLUDED.test(f.rel)) return { skip: "starts with _ (or is in such a folder): Docusaurus's blog leaves it out" };
  const m = DATE_FILENAME.exec(f.rel);
  let slug: string;
  let date: Date | undefined;
  if (m?.groups) {
    const { folder, date: day, text: rest } = m.groups as { folder: string; date: string; text: string };
    const [y, mo, d] = day.split(/[-/]/).map(Number) as [number, number, number];
    date = new Date(Date.UTC(y, mo - 1, d));
    slug = `/${day.replace(/-/g, '/')}/${folder}${rest}`;
  } else {
    slug = `/${f.rel.replace(/(?:\/index)?\.mdx?$/, '')}`;
  }
  const own = text(f.data, 'slug');
  return {
    path: exactPath(`/blog/${own ?? slug}`).replace(/(.)\/$/, '$1'),
    ...(date && !f.date && { date }),
  };
}
