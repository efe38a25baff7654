// What `quire help` and `quire help COMMAND` (or `quire COMMAND --help`) print.
import { type Command, COMMANDS, SETTINGS } from './commands.js';

const column = (left: string, width: number) => left.padEnd(width);

export function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'Usage: quire <command> [flags]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${column(c.name, width)}${c.summary}`),
    '',
    'Run `quire help COMMAND` (or `quire COMMAND --help`) for its flags and the settings it reads.',
    'Without DATABASE_URL, Quire runs on an embedded PostgreSQL (PGlite) in QUIRE_DATA_DIR (.quire/).',
  ].join('\n');
}

export function commandHelp(command: Command): string {
  const flags = command.flags.map((f) => [`--${f.name}${f.value ? ` ${f.value}` : ''}${f.short ? `, -${f.short}` : ''}`, f.help]);
  const settings = command.settings.flatMap((group) => SETTINGS[group].map(([name, help]) => [name, help]));
  const width = Math.min(28, Math.max(0, ...[...flags, ...settings].map(([left]) => left!.length)) + 2);
  const rows = (list: string[][]) =>
    list.map(([left, help]) => (left!.length >= width ? `  ${left}\n  ${' '.repeat(width)}${help}` : `  ${column(left!, width)}${help}`));
  return [
    `Usage: ${command.usage}`,
    '',
    `${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.`,
    ...(command.notes?.length ? ['', ...command.notes] : []),
    ...(flags.length ? ['', 'Flags:', ...rows(flags)] : []),
    ...(settings.length ? ['', 'Settings (environment variables):', ...rows(settings)] : []),
  ].join('\n');
}
