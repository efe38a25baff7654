// Every `quire` command: its arguments, its flags and the settings it reads. The parser
// and `quire help COMMAND` both read this table, so usage cannot drift from behaviour.
import { IMPORT_OPTIONS, type ImportOption } from '../importer/options.js';

export interface Flag {
  name: string;
  type: 'boolean' | 'string';
  short?: string;
  /** For a string flag, what its value is ("FILE"). */
  value?: string;
  help: string;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** Positional arguments: at most this many. */
  maxArgs: number;
  flags: Flag[];
  /** Groups of environment variables (SETTINGS below) the command reads. */
  settings: (keyof typeof SETTINGS)[];
  /** Lines after the flags, when the usage needs them. */
  notes?: string[];
}

/** The environment variables, by group, with a line each (the README has the full table). */
export const SETTINGS = {
  database: [
    ['DATABASE_URL', 'PostgreSQL to use (postgresql://…); unset: the embedded PGlite'],
    ['QUIRE_DATA_DIR', 'where the embedded database keeps its files (.quire)'],
    ['QUIRE_DB_POOL_SIZE', 'connections per process (10)'],
    ['QUIRE_DB_CONNECT_TIMEOUT', 'seconds to open a connection (5)'],
    ['QUIRE_DB_QUERY_TIMEOUT', 'seconds one query may take, 0 for no limit (10)'],
    ['QUIRE_DB_STATEMENT_TIMEOUT', "the server's statement_timeout in seconds (the query timeout)"],
    ['QUIRE_READ_DATABASE_URL', 'read replicas for public reads, comma-separated (none)'],
    ['QUIRE_REPLICA_MAX_WAIT', 'seconds a read waits for a lagging replica before it reads the primary (0.5)'],
    ['LOG_LEVEL', 'fatal … trace, or silent (info); debug adds stack traces to errors'],
  ],
  importer: [
    ['QUIRE_CONTENT_DIR', 'the content folder (content)'],
    ['QUIRE_DEFAULT_LANG', 'language of posts that name none (en)'],
    ['QUIRE_LANGUAGES', 'when set (en,ja), the only languages recognized'],
    ['QUIRE_INCLUDE', 'files to import, as globs (**/*.md,**/*.markdown,**/*.mdx)'],
    ['QUIRE_EXCLUDE', 'more files to leave out'],
    ['QUIRE_MAX_FILE_MB', 'larger files are refused (20)'],
    ['QUIRE_IMPORT_LOCK_TIMEOUT', 'seconds to wait for another import to finish (60)'],
    ['QUIRE_PAGES', 'files that are pages, as globs (pages/**,_pages/**)'],
    ['QUIRE_PERMALINK', "posts' path pattern, e.g. /blog/:year/:slug/ (each generator's own rule)"],
    ['QUIRE_STATIC_DIRS', "folders site-absolute media paths resolve in, in the content folder or the site's project (static,public)"],
    [
      'QUIRE_EMBED_HOSTS',
      'hosts whose <iframe> embeds are kept, sandboxed, comma-separated, or none (youtube.com, player.vimeo.com, codepen.io, …)',
    ],
    ['QUIRE_FIELD_KEYS', "key names of the site's own for Quire's fields, e.g. title:newstitle,authors:byline"],
    [
      'QUIRE_GENERATOR',
      "whose rules the files follow: hugo, jekyll, eleventy, zola, astro, next, docusaurus, none (auto: from the site's project files)",
    ],
    ['QUIRE_MAX_MEDIA_MB, QUIRE_MAX_IMPORT_MEDIA_MB', 'largest media file, and new media bytes per import (25, 2048)'],
    ['QUIRE_MAX_IMAGE_MEGAPIXELS', 'larger images are refused (40)'],
    ['QUIRE_IMAGE_WIDTHS', 'widths of resized copies (320,640,960,1280,1920)'],
    ['QUIRE_PRUNE_MAX_PERCENT', '--prune refuses to delete more than this share without --prune-all (50)'],
    ['QUIRE_WEBHOOK_URLS', 'where to POST signed events after an import'],
    ['QUIRE_WEBHOOK_SECRET', 'the key that signs them'],
  ],
  http: [
    ['HOST, PORT', 'where the API listens (localhost, 3000)'],
    ['QUIRE_SITE_URL', 'the public site, for absolute URLs (http://localhost:PORT)'],
    ['QUIRE_SITE_TITLE, QUIRE_SITE_DESCRIPTION', 'for feeds'],
    ['QUIRE_ADMIN_TOKEN', 'bearer token for /v1/admin (off when unset)'],
    ['QUIRE_GHOST_CONTENT_KEYS', 'Ghost Content API keys (26 hex each, comma-separated) for /ghost/api/content/ (off when unset)'],
    ['QUIRE_GHOST_LIMIT_ALL', "on: the Ghost layer's limit=all is every item, not Ghost 6's 100 (off)"],
    ['QUIRE_CORS_ORIGINS', 'origins allowed by CORS (*)'],
    ['QUIRE_TRUST_PROXY', 'behind a reverse proxy: client address and protocol from X-Forwarded-* (false)'],
    ['QUIRE_CACHE_MAX_AGE, QUIRE_CACHE_S_MAXAGE, QUIRE_CACHE_STALE_WHILE_REVALIDATE', 'Cache-Control seconds'],
    ['QUIRE_RESPONSE_CACHE, QUIRE_RESPONSE_CACHE_MB', 'the in-process response cache (on, 64)'],
    ['QUIRE_RATE_LIMIT, QUIRE_ADMIN_RATE_LIMIT', 'requests a minute per client address; 0: none (0, 30)'],
    ['QUIRE_API_URL', "the API's public origin: media and preview URLs (http://localhost:PORT)"],
    ['QUIRE_PREVIEW_SECRET, QUIRE_PREVIEW_TTL', 'signs preview links (derived from the admin token), minutes they last (1440)'],
    ['QUIRE_IMAGE_WIDTHS, QUIRE_MEDIA_RESIZE_CONCURRENCY', 'widths of resized copies, made at most this many at a time (2)'],
    ['QUIRE_SHUTDOWN_TIMEOUT', 'on SIGTERM, seconds responses in flight may take (8)'],
    ['QUIRE_METRICS, QUIRE_METRICS_TOKEN', 'GET /metrics for Prometheus: on (behind the token), public or off (off), and that token'],
  ],
  site: [['QUIRE_SITE_URL, QUIRE_SITE_TITLE, QUIRE_SITE_DESCRIPTION', 'the site the document describes']],
} as const;

const noProgress: Flag = { name: 'no-progress', type: 'boolean', help: 'no progress bar or phase lines on stderr' };
/** An import option (importer/options.ts) as a flag, with its help or this command's own. */
const option = (name: ImportOption, help?: string): Flag => ({
  name: IMPORT_OPTIONS[name].flag,
  type: 'boolean',
  help: help ?? IMPORT_OPTIONS[name].help,
});
const [strict, prune, pruneAll, allowEmpty] = [option('strict'), option('prune'), option('pruneAll'), option('allowEmpty')];

export const COMMANDS: Command[] = [
  {
    name: 'start',
    usage: 'quire start [--prune] [--strict] [--no-progress]',
    summary: 'migrate, import the content folder, then serve (the main job)',
    maxArgs: 0,
    flags: [
      prune,
      pruneAll,
      strict,
      option('skipInvalid', 'always on for start: files with problems are refused, the rest imported'),
      noProgress,
    ],
    settings: ['database', 'importer', 'http'],
    notes: [
      'Files with problems never keep the API down: they are listed (file:line: field: reason),',
      'the valid ones are imported, and /readyz reports what was refused. If the import fails',
      'as a whole (no content folder, every file refused), the content the database holds is served.',
    ],
  },
  {
    name: 'serve',
    usage: 'quire serve',
    summary: 'serve the API on HOST:PORT (default localhost:3000)',
    maxArgs: 0,
    flags: [],
    settings: ['database', 'http', 'importer'],
    notes: ['An unmigrated database does not stop it: /readyz answers 503 until `quire migrate` has run.'],
  },
  {
    name: 'import',
    usage: 'quire import [DIR] [flags]',
    summary: 'import the Markdown files of one folder (default: QUIRE_CONTENT_DIR or content/)',
    maxArgs: 1,
    flags: [
      option('dryRun'),
      prune,
      pruneAll,
      allowEmpty,
      option('skipInvalid', `${IMPORT_OPTIONS.skipInvalid.help} (still exits 1)`),
      strict,
      { name: 'json', type: 'boolean', help: 'print the summary as JSON on stdout' },
      { name: 'watch', type: 'boolean', help: 'import again whenever a file is saved' },
      noProgress,
    ],
    settings: ['database', 'importer'],
    notes: ['Single files go through the admin API (POST /v1/admin/imports), beside what the database holds.'],
  },
  {
    name: 'migrate',
    usage: 'quire migrate [create NAME | check]',
    summary: 'apply pending migrations; `create NAME` writes the next one, `check` fails on unwritten changes',
    maxArgs: 2,
    flags: [],
    settings: ['database'],
  },
  {
    name: 'openapi',
    usage: 'quire openapi [--out FILE]',
    summary: 'print the OpenAPI document, or write it to FILE',
    maxArgs: 0,
    flags: [{ name: 'out', type: 'string', value: 'FILE', help: 'write the document to FILE instead of stdout' }],
    settings: ['site'],
  },
  {
    name: 'help',
    usage: 'quire help [COMMAND]',
    summary: "this text, or one command's flags and settings",
    maxArgs: 1,
    flags: [],
    settings: [],
  },
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
