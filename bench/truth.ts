// What a blog's generator really builds, for `npm run realworld`: a truth file per blog
// (made by running the generator on the blog), and how an import compares with it.
//
// A truth file: { "files": { "<path in the content folder>": { "url": "/blog/x/" | null,
// "kind"?: "page" | "section" | …, "aliases"?: ["/old/"], "unknown"?: true, "why"?: "…" } } }.
// `url` is the URL the generator writes the file's page at, exactly; null when it writes
// none. Listing pages (Hugo's and Zola's sections, home, taxonomies) are no documents here.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

const TruthSchema = z.object({
  generator: z.string().optional(),
  files: z.record(
    z.string(),
    z.object({
      url: z.string().nullable().optional(),
      kind: z.string().optional(),
      aliases: z.array(z.unknown()).optional(),
      unknown: z.boolean().optional(),
    }),
  ),
});
export type Truth = z.infer<typeof TruthSchema>;

const LISTING = new Set(['section', 'home', 'taxonomy', 'term']);

export async function readTruth(file: string): Promise<Truth> {
  const parsed = TruthSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not a truth file: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

export interface Imported {
  sourcePath: string;
  path: string;
  aliasPaths: string[];
}

export interface TruthComparison {
  /** Documents the generator builds (listing pages aside). */
  built: number;
  /** Of those, imported. */
  builtImported: number;
  /** Imported documents whose path is the generator's URL. */
  pathEqual: number;
  /** Up to 5 that differ: file, the generator's URL, Quire's path. */
  pathDiffers: [string, string, string][];
  /** The generator's redirects (aliases, redirect_from) of imported documents, and how many answer. */
  aliasesWanted: number;
  aliasesAnswered: number;
}

const decode = (u: string) => {
  try {
    return decodeURI(u);
  } catch {
    return u;
  }
};
/** Equal as URLs: percent-encoding, and a folder's index.html, aside. */
const same = (a: string, b: string) => decode(a).replace(/\/index\.html?$/, '/') === decode(b).replace(/\/index\.html?$/, '/');
const bare = (u: string) =>
  decode(u.startsWith('/') ? u : `/${u}`)
    .replace(/\/index\.html?$/, '/')
    .replace(/\/$/, '') || '/';

/**
 * Where a redirect the generator writes lands: Hugo resolves a relative alias against the
 * parent of the page's folder (hugolib/page__output.go, Aliases); others take it from the root.
 */
function aliasTarget(alias: string, url: string, generator: string | undefined): string {
  if (generator !== 'hugo' || alias.startsWith('/')) return alias;
  return path.posix.join(path.posix.dirname(url.replace(/\/$/, '')), alias);
}

export function compareWithTruth(truth: Truth, docs: Imported[]): TruthComparison {
  const bySource = new Map(docs.map((d) => [d.sourcePath, d]));
  const out: TruthComparison = { built: 0, builtImported: 0, pathEqual: 0, pathDiffers: [], aliasesWanted: 0, aliasesAnswered: 0 };
  for (const [file, t] of Object.entries(truth.files)) {
    if (t.unknown || !t.url || LISTING.has(t.kind ?? '')) continue;
    out.built++;
    const doc = bySource.get(file);
    if (!doc) continue;
    out.builtImported++;
    if (same(doc.path, t.url)) out.pathEqual++;
    else if (out.pathDiffers.length < 5) out.pathDiffers.push([file, t.url, doc.path]);
    for (const alias of t.aliases ?? []) {
      if (typeof alias !== 'string') continue;
      out.aliasesWanted++;
      const target = aliasTarget(alias, t.url, truth.generator);
      if (doc.aliasPaths.some((p) => bare(p) === bare(target))) out.aliasesAnswered++;
    }
  }
  return out;
}
