// `quire <command>`: the command-line entry. Exit codes live here and nowhere else:
// 0 done, 1 the content or schema is not right (import failed, unwritten migration),
// 2 bad usage or configuration, 3 the environment failed (database unreachable, refusing
// the login or not migrated; the port taken; anything else), 4 another import holds the lock.
import { parseCommandLine, UsageError } from './cli/args.js';
import { commandHelp, globalHelp } from './cli/help.js';
import { err, out } from './cli/output.js';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseError, dbFailureMessage, dbFailureOf, MigrationsFolderError, SchemaNotMigratedError } from './db/errors.js';
import { EmptyFolderError, ImportFailedError, PruneRefusedError } from './importer/problems.js';
import { checkPort, ListenError } from './listen.js';

/** Stacks are for LOG_LEVEL=debug; everyone else gets one line. */
let debug = false;
let databaseUrl = '';

async function main(argv: string[]): Promise<number> {
  const line = parseCommandLine(argv);
  if (line.kind === 'help') {
    out(line.command ? commandHelp(line.command) : globalHelp());
    return argv.length ? 0 : 2;
  }
  const config = loadConfig();
  debug = config.logLevel === 'debug' || config.logLevel === 'trace';
  const name = line.command.name;
  // A taken port fails in a second, before `start` migrates and imports for nothing.
  if (name === 'serve' || name === 'start') await checkPort(config.host, config.port);
  // The commands load the server, Prisma and the importer: seconds, spent only now.
  const { runCommand } = await import('./cli/run.js');
  const outcome = await runCommand(name, {
    config,
    args: line.args,
    flags: line.flags,
    debug,
    onDatabase: (url) => (databaseUrl = url),
  });
  return outcome === 'done' ? 0 : 1;
}

/** One line on stderr (the stack too under LOG_LEVEL=debug), and the exit code. */
async function exitCodeFor(e: unknown): Promise<number> {
  const say = (message: string) => {
    err(`quire: ${message}`);
    if (debug && e instanceof Error && e.stack) err(e.stack);
  };
  if (e instanceof ImportFailedError) {
    err(e.message);
    return 1;
  }
  if (e instanceof UsageError) {
    say(e.message);
    err(e.command ? `run \`quire help ${e.command}\` for its usage` : 'run `quire help` for usage');
    return 2;
  }
  if (e instanceof ConfigError || e instanceof EmptyFolderError) return (say(e.message), 2);
  if (e instanceof PruneRefusedError) return (say(e.message), 1);
  if (e instanceof ListenError || e instanceof SchemaNotMigratedError || e instanceof MigrationsFolderError) return (say(e.message), 3);
  if (e instanceof DatabaseError) return (say(e.message), 3);
  // These modules are heavy to load: only an error from a command that loaded them gets here.
  const [{ ImportBusyError }, { ContentDirError }] = await Promise.all([import('./importer/apply.js'), import('./importer/source.js')]);
  if (e instanceof ImportBusyError) return (say(e.message), 4);
  if (e instanceof ContentDirError) return (say(e.message), 2);
  const kind = dbFailureOf(e);
  if (kind) return (say(dbFailureMessage(kind, databaseUrl)), 3);
  const errno = e as NodeJS.ErrnoException;
  if ((errno.code === 'EACCES' || errno.code === 'EROFS') && errno.path) {
    return (say(`cannot write ${errno.path} (${errno.code}): make it writable, or point QUIRE_DATA_DIR at a folder that is`), 3);
  }
  err(`quire: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return 3;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  async (e: unknown) => {
    process.exitCode = await exitCodeFor(e);
    // Whatever a failed start left open (a socket, a timer) must not keep the process from
    // ending with its error: an orchestrator restarts a process that exits, not one that hangs.
    setTimeout(() => process.exit(), 2_000).unref();
  },
);
