// The command line -> a known command, its arguments and its flags. Anything else (an
// unknown command or flag, one argument too many) is a UsageError naming it.
import { parseArgs } from 'node:util';
import { type Command, findCommand } from './commands.js';

export class UsageError extends Error {
  override name = 'UsageError';
  /** The command whose usage to point at, if any. */
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

export type CommandLine =
  | { kind: 'help'; command?: Command }
  | { kind: 'run'; command: Command; args: string[]; flags: Record<string, string | boolean | undefined> };

type ParseArgsError = Error & { code?: string };

function flagError(err: ParseArgsError, command: Command): UsageError {
  const name = /'(-{1,2}[^' ]+)/.exec(err.message)?.[1] ?? 'an option';
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return new UsageError(`unknown flag ${name} for quire ${command.name}`, command.name);
  }
  return new UsageError(`${(err.message.split('\n')[0] ?? '').replace(/\.$/, '')} (quire ${command.name})`, command.name);
}

export function parseCommandLine(argv: string[]): CommandLine {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') return { kind: 'help' };
  if (name.startsWith('-')) throw new UsageError(`a command comes first, before flags like ${name}`);
  const command = findCommand(name);
  if (!command) throw new UsageError(`unknown command "${name}"`);

  const options = Object.fromEntries([
    ['help', { type: 'boolean' as const, short: 'h' }],
    ...command.flags.map((f) => [f.name, { type: f.type, ...(f.short && { short: f.short }) }]),
  ]) as Record<string, { type: 'boolean' | 'string'; short?: string }>;
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw flagError(err as ParseArgsError, command);
  }
  const { help, ...flags } = parsed.values;
  if (command.name === 'help') {
    const [topic] = parsed.positionals;
    if (parsed.positionals.length > 1) throw new UsageError('help takes one command at most', 'help');
    if (topic === undefined) return { kind: 'help' };
    const about = findCommand(topic);
    if (!about) throw new UsageError(`unknown command "${topic}"`);
    return { kind: 'help', command: about };
  }
  if (help) return { kind: 'help', command };
  if (parsed.positionals.length > command.maxArgs) {
    const extra = parsed.positionals.slice(command.maxArgs).join(' ');
    const what =
      command.name === 'import'
        ? 'import takes one folder (DIR)'
        : command.maxArgs
          ? `${command.name} takes at most ${command.maxArgs} argument${command.maxArgs === 1 ? '' : 's'}`
          : `${command.name} takes no arguments`;
    throw new UsageError(`${what}; unexpected: ${extra}`, command.name);
  }
  return { kind: 'run', command, args: parsed.positionals, flags };
}
