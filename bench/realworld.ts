// npm run realworld -- [--json] [NAME=]DIR...: how real blogs import, as a new user meets them.
//
// Each folder goes through the real CLI (`quire migrate`, then `quire import DIR
// --skip-invalid --json`) in a child process, against a scratch database made for it and
// dropped after, so what is measured is what a user runs. Not run in CI: the folders are
// other people's blogs, fetched by whoever runs it. One import at a time, to leave the
// machine's other cores alone. Prints a markdown table of counts, then each refusal reason,
// warning and skip reason with its count and a file showing it (or all of it as JSON with
// --json); the full summaries go to bench/results/realworld-NAME.json.
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

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

async function measure(name: string, dir: string): Promise<Result> {
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
const cell = (text: string) => text.replace(/\s*\n\s*/g, ' ⏎ ').replace(/\|/g, '\\|');

function printTable(results: Result[]) {
  console.log(
    `| folder | files | posts | pages | media | skipped | refused | imported % | warnings | seconds | peak RSS (MB, ${RSS_METHOD}) |`,
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const refused = r.crashed ? `crashed (exit ${r.exitCode})` : r.refusedFiles;
    console.log(
      `| ${r.name} | ${r.files} | ${r.posts} | ${r.pages} | ${r.media} | ${r.skipped} | ${refused} | ${pct(r.documents, r.refusedFiles)} | ${r.warnings} | ${r.seconds} | ${r.peakRssMb ?? '?'} |`,
    );
  }
  const sum = (k: 'files' | 'documents' | 'posts' | 'pages' | 'media' | 'skipped' | 'refusedFiles' | 'warnings') =>
    results.reduce((n, r) => n + r[k], 0);
  console.log(
    `| **all** | ${sum('files')} | ${sum('posts')} | ${sum('pages')} | ${sum('media')} | ${sum('skipped')} | ${sum('refusedFiles')} | ${pct(sum('documents'), sum('refusedFiles'))} | ${sum('warnings')} | | |`,
  );
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

async function main(argv: string[]) {
  const json = argv.includes('--json');
  const folders = argv.filter((a) => a !== '--json');
  if (!folders.length) throw new Error('usage: npm run realworld -- [--json] [NAME=]DIR...');
  // NAME= tells apart folders that share a base name (two sites' content/).
  const named = folders.map((a): [string, string] => {
    const at = a.indexOf('=');
    return at > 0 ? [a.slice(0, at), a.slice(at + 1)] : [path.basename(path.resolve(a)), a];
  });
  const dupe = named.find(([n], i) => named.findIndex(([m]) => m === n) !== i);
  if (dupe) throw new Error(`two folders are named ${dupe[0]}: give one a NAME=DIR`);
  const results: Result[] = [];
  for (const [name, dir] of named) {
    console.error(`importing ${name} (${dir})…`);
    results.push(await measure(name, path.resolve(dir)));
  }
  if (json) console.log(JSON.stringify({ commit: commitId(), rssMethod: RSS_METHOD, results }, null, 2));
  else printTable(results);
}

await main(process.argv.slice(2));
