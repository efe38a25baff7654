// npm run realworld -- [--json] [--truth DIR] [NAME=]DIR[@TRUTH.json]...: how real blogs
// import, as a new user meets them, and how close to what their generators build.
//
// Each folder goes through the real CLI (`quire migrate`, then `quire import DIR
// --skip-invalid --json`) in a child process, against a scratch database made for it and
// dropped after, so what is measured is what a user runs. Not run in CI: the folders are
// other people's blogs, fetched by whoever runs it. One import at a time, to leave the
// machine's other cores alone. Prints a markdown table of counts, then each refusal reason,
// warning and skip reason with its count and a file showing it (or all of it as JSON with
// --json); the full summaries go to bench/results/realworld-NAME.json.
//
// With a truth file per blog (NAME=DIR@truth.json, or --truth DIR holding NAME.json: what
// the blog's generator builds, see bench/truth.ts), it also tells the share of the files the
// generator builds that were imported ("built imported %"), of documents whose path is the
// URL the generator writes ("path = generator"), and of the generator's redirects (aliases,
// redirect_from) that answer. "media" is the files resolved; "missing" the local image,
// srcset, poster and video references that did not resolve (missing-media warnings).
//
// "imported %" is documents (posts and pages) / (documents + refused files): listing pages
// and other skips aside, the share of a blog's articles that made it. "media" counts the
// images and other files the documents use, imported with them. "seconds" is the import process's wall time,
// Node and tsx start-up included, as a user waits for it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { ImportSummary } from '../src/importer/report.js';
import { commitId, peakRssMb, ROOT, SERVER } from './support.js';
import { compareWithTruth, type Imported, readTruth, type Truth, type TruthComparison } from './truth.js';

const CLI = ['--import', 'tsx', 'src/cli.ts'];
// GNU time reports the child's peak RSS from wait4(), exact to the end; polling VmHWM can
// miss the last moments before exit, so it is only the fallback.
const GNU_TIME = '/usr/bin/time';
const USE_TIME = existsSync(GNU_TIME);
const RSS_METHOD = USE_TIME ? 'GNU time %M' : '/proc VmHWM, polled';
const NO_SUMMARY = {
  files: 0,
  created: [],
  updated: [],
  unchanged: 0,
  skipped: [],
  problems: [],
  warnings: [],
  media: { files: 0, stored: 0, removed: 0 },
};

/** reason -> how many, and the first file that showed it */
type Groups = Record<string, { count: number; example: string }>;
interface Result {
  name: string;
  dir: string;
  exitCode: number | null;
  crashed: string | null;
  files: number;
  /** Posts and pages: a fresh database has no unchanged ones, so the kinds add up. */
  documents: number;
  posts: number;
  pages: number;
  media: number;
  skipped: number;
  refusedFiles: number;
  warnings: number;
  seconds: number;
  peakRssMb: number | null;
  refused: Groups;
  warned: Groups;
  skips: Groups;
  /** Warnings by code. */
  warningCodes: Record<string, number>;
  /** Local media references that did not resolve. */
  missingMedia: number;
  truth: TruthComparison | null;
}

/** One reason for many files: quoted values, paths, languages and numbers taken out. */
function reasonOf(p: { field?: string; message: string }): string {
  const text = p.message
    .split('\n')[0]!
    .replace(/".*"|(?<=^|\s)'[^']*'|`[^`]*`/g, '"…"') // greedy: a value may hold quotes itself
    .replace(/\S*\/\S*|\S+\.(md|mdx|markdown|html?)\b/gi, '<path>')
    .replace(/\bin language \S+/g, 'in language …')
    .replace(/\d+/g, 'N')
    .trim();
  return p.field ? `${p.field}: ${text}` : text;
}

function group(items: { file: string; field?: string; message: string }[]): Groups {
  const groups: Groups = {};
  for (const item of items) (groups[reasonOf(item)] ??= { count: 0, example: item.file }).count++;
  return Object.fromEntries(Object.entries(groups).sort((a, b) => b[1].count - a[1].count));
}

/** `quire import`, timed, with its peak RSS; resolves with its exit code and output. */
async function importFolder(dir: string, env: NodeJS.ProcessEnv) {
  const rssFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'quire-rw-')), 'rss');
  const args = [...CLI, 'import', dir, '--skip-invalid', '--json', '--no-progress'];
  const start = performance.now();
  const child = USE_TIME
    ? spawn(GNU_TIME, ['-f', '%M', '-o', rssFile, process.execPath, ...args], { cwd: ROOT, env })
    : spawn(process.execPath, args, { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let polled: number | null = null;
  const poll = USE_TIME ? undefined : setInterval(() => void peakRssMb(child.pid!).then((mb) => (polled = mb ?? polled)), 50);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(poll);
  const seconds = (performance.now() - start) / 1000;
  const timed = await readFile(rssFile, 'utf8').then(
    (kb) => Math.round(Number(kb.trim().split('\n').pop()) / 1024),
    () => null,
  );
  await rm(path.dirname(rssFile), { recursive: true, force: true });
  return { exitCode, stdout, stderr, seconds, peakRssMb: USE_TIME ? timed : polled };
}

async function admin(sql: string, database?: string): Promise<pg.QueryResult> {
  const client = new pg.Client({
    connectionString: database ? Object.assign(new URL(SERVER), { pathname: `/${database}` }).toString() : SERVER,
  });
  await client.connect();
  return client.query(sql).finally(() => client.end());
}

async function measure(name: string, dir: string, truth: Truth | null): Promise<Result> {
  // Only quire_rw_* databases: the machine's PostgreSQL is shared with other work.
  const db = `quire_rw_${name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}_${process.pid}`;
  const env = { ...process.env, DATABASE_URL: Object.assign(new URL(SERVER), { pathname: `/${db}` }).toString() };
  await admin(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${db}"`);
  try {
    const migrate = spawnSync(process.execPath, [...CLI, 'migrate'], { cwd: ROOT, env, encoding: 'utf8' });
    if (migrate.status !== 0) throw new Error(`quire migrate failed:\n${migrate.stderr}`);
    const run = await importFolder(dir, env);
    // Exit 1 is "some files refused" under --skip-invalid; anything else, or no summary, is a crash.
    let summary: ImportSummary | null = null;
    try {
      summary = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as ImportSummary;
    } catch {
      summary = null;
    }
    const crashed = (run.exitCode !== 0 && run.exitCode !== 1) || !summary ? run.stderr.trim().split('\n').slice(-5).join('\n') : null;
    const s: Pick<ImportSummary, keyof typeof NO_SUMMARY> = summary ?? NO_SUMMARY;
    // Paths and redirects as stored, to hold against what the generator builds.
    const rows = truth
      ? ((await admin('SELECT "sourcePath", path, "aliasPaths" FROM "Post"', db).catch(() => ({ rows: [] }))).rows as Imported[])
      : [];
    const warningCodes: Record<string, number> = {};
    for (const w of s.warnings) warningCodes[w.code] = (warningCodes[w.code] ?? 0) + 1;
    const result: Result = {
      name,
      dir,
      exitCode: run.exitCode,
      crashed,
      files: s.files,
      documents: s.created.length + s.updated.length + s.unchanged,
      posts: [...s.created, ...s.updated].filter((d) => d.kind === 'post').length,
      pages: [...s.created, ...s.updated].filter((d) => d.kind === 'page').length,
      media: s.media.files,
      skipped: s.skipped.length,
      refusedFiles: new Set(s.problems.map((p) => p.file)).size,
      warnings: s.warnings.length,
      seconds: Number(run.seconds.toFixed(1)),
      peakRssMb: run.peakRssMb,
      refused: group(s.problems),
      warned: group(s.warnings),
      skips: group(s.skipped.map((k) => ({ file: k.file, message: k.reason }))),
      warningCodes,
      missingMedia: warningCodes['missing-media'] ?? 0,
      truth: truth ? compareWithTruth(truth, rows) : null,
    };
    await mkdir(path.join(ROOT, 'bench', 'results'), { recursive: true });
    const out = path.join(ROOT, 'bench', 'results', `realworld-${name}.json`);
    await writeFile(out, `${JSON.stringify({ commit: commitId(), rssMethod: RSS_METHOD, ...result, summary }, null, 2)}\n`);
    return result;
  } finally {
    await admin(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  }
}

const pct = (docs: number, refused: number) => (docs + refused ? ((100 * docs) / (docs + refused)).toFixed(1) : '–');
const share = (part: number, whole: number) => (whole ? ((100 * part) / whole).toFixed(1) : '–');
const cell = (text: string) => text.replace(/\s*\n\s*/g, ' ⏎ ').replace(/\|/g, '\\|');

function printTable(results: Result[]) {
  const withTruth = results.some((r) => r.truth);
  const truthHead = withTruth ? ' built | built imported % | path = generator | redirects |' : '';
  console.log(
    `| folder | files | posts | pages | media | missing | skipped | refused | imported % |${truthHead} warnings | seconds | peak RSS (MB, ${RSS_METHOD}) |`,
  );
  console.log(
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${withTruth ? ' ---: | ---: | ---: | ---: |' : ''} ---: | ---: | ---: |`,
  );
  const truthCells = (t: TruthComparison | null) =>
    withTruth
      ? t
        ? ` ${t.built} | ${share(t.builtImported, t.built)} | ${share(t.pathEqual, t.builtImported)} | ${t.aliasesAnswered}/${t.aliasesWanted} |`
        : ' | | | |'
      : '';
  for (const r of results) {
    const refused = r.crashed ? `crashed (exit ${r.exitCode})` : r.refusedFiles;
    console.log(
      `| ${r.name} | ${r.files} | ${r.posts} | ${r.pages} | ${r.media} | ${r.missingMedia} | ${r.skipped} | ${refused} | ${pct(r.documents, r.refusedFiles)} |${truthCells(r.truth)} ${r.warnings} | ${r.seconds} | ${r.peakRssMb ?? '?'} |`,
    );
  }
  const sum = (k: 'files' | 'documents' | 'posts' | 'pages' | 'media' | 'missingMedia' | 'skipped' | 'refusedFiles' | 'warnings') =>
    results.reduce((n, r) => n + r[k], 0);
  const t = results.map((r) => r.truth).filter((x): x is TruthComparison => !!x);
  const total = (k: 'built' | 'builtImported' | 'pathEqual' | 'aliasesWanted' | 'aliasesAnswered') => t.reduce((n, x) => n + x[k], 0);
  const allTruth = withTruth
    ? ` ${total('built')} | ${share(total('builtImported'), total('built'))} | ${share(total('pathEqual'), total('builtImported'))} | ${total('aliasesAnswered')}/${total('aliasesWanted')} |`
    : '';
  console.log(
    `| **all** | ${sum('files')} | ${sum('posts')} | ${sum('pages')} | ${sum('media')} | ${sum('missingMedia')} | ${sum('skipped')} | ${sum('refusedFiles')} | ${pct(sum('documents'), sum('refusedFiles'))} |${allTruth} ${sum('warnings')} | | |`,
  );
  console.log('\n| folder | warnings by kind |\n| --- | --- |');
  for (const r of results)
    console.log(
      `| ${r.name} | ${
        Object.entries(r.warningCodes)
          .sort((a, b) => b[1] - a[1])
          .map(([c, n]) => `${c} ${n}`)
          .join(', ') || '–'
      } |`,
    );
  if (withTruth && t.some((x) => x.pathDiffers.length)) {
    console.log("\n| folder | file | the generator's URL | Quire's path |\n| --- | --- | --- | --- |");
    for (const r of results)
      for (const [file, url, mine] of r.truth?.pathDiffers ?? [])
        console.log(`| ${r.name} | ${cell(file)} | ${cell(url)} | ${cell(mine)} |`);
  }
  if (results.every((r) => !r.crashed && !Object.keys({ ...r.refused, ...r.warned, ...r.skips }).length)) return;
  console.log('\n| folder | what | reason | count | for example |\n| --- | --- | --- | ---: | --- |');
  for (const r of results) {
    if (r.crashed) console.log(`| ${r.name} | crash | ${cell(r.crashed)} | | |`);
    for (const [what, groups] of [
      ['refused', r.refused],
      ['warning', r.warned],
      ['skipped', r.skips],
    ] as const) {
      for (const [reason, g] of Object.entries(groups))
        console.log(`| ${r.name} | ${what} | ${cell(reason)} | ${g.count} | ${cell(g.example)} |`);
    }
  }
}

/** `[NAME=]DIR[@TRUTH.json]`: a name (else the folder's), the folder, and its truth file. */
function parseFolder(arg: string, truthDir: string | undefined): { name: string; dir: string; truth: string | undefined } {
  const eq = arg.indexOf('=');
  const [name, rest] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [undefined, arg];
  const at = rest.lastIndexOf('@');
  const [dir, truth] = at > 0 ? [rest.slice(0, at), rest.slice(at + 1)] : [rest, undefined];
  const named = name ?? path.basename(path.resolve(dir));
  const fromDir = truthDir && existsSync(path.join(truthDir, `${named}.json`)) ? path.join(truthDir, `${named}.json`) : undefined;
  return { name: named, dir, truth: truth ?? fromDir };
}

async function main(argv: string[]) {
  const json = argv.includes('--json');
  const t = argv.indexOf('--truth');
  const truthDir = t >= 0 ? argv[t + 1] : undefined;
  if (t >= 0 && !truthDir) throw new Error('--truth takes a folder of NAME.json truth files');
  const folders = argv.filter((a, i) => a !== '--json' && i !== t && i !== t + 1);
  if (!folders.length) throw new Error('usage: npm run realworld -- [--json] [--truth DIR] [NAME=]DIR[@TRUTH.json]...');
  // NAME= tells apart folders that share a base name (two sites' content/).
  const named = folders.map((a) => parseFolder(a, truthDir));
  const dupe = named.find(({ name }, i) => named.findIndex((m) => m.name === name) !== i);
  if (dupe) throw new Error(`two folders are named ${dupe.name}: give one a NAME=DIR`);
  const results: Result[] = [];
  for (const { name, dir, truth } of named) {
    console.error(`importing ${name} (${dir})${truth ? `, against ${truth}` : ''}…`);
    results.push(await measure(name, path.resolve(dir), truth ? await readTruth(truth) : null));
  }
  if (json) console.log(JSON.stringify({ commit: commitId(), rssMethod: RSS_METHOD, results }, null, 2));
  else printTable(results);
}

await main(process.argv.slice(2));
