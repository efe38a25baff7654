// File text -> front matter (YAML, TOML or JSON) + Markdown body, with the line of every
// top-level key so problems can point at it. Text arrives with LF line endings, no BOM.
import matter from 'gray-matter';
import { parse as parseToml, TomlError } from 'smol-toml';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { LineCounter, parse as parseYaml, parseDocument, visit, YAMLParseError } from 'yaml';
import type { FileProblem, Warning } from './report.js';
import { explainYamlError } from './yaml-errors.js';

export type Format = 'yaml' | 'toml' | 'json';

export type Split =
  | {
      ok: true;
      format: Format | 'none';
      data: Record<string, unknown>;
      body: string;
      /** 1-based line of the file where the body starts. */
      bodyLine: number;
      /** 1-based line of a top-level key, when it can be found. */
      lineOf(key: string): number | undefined;
      /** Keys written twice in one map (the last one wins, as in Ruby's YAML and Hugo). */
      warnings: Warning[];
    }
  | { ok: false; problems: FileProblem[] };

class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly field?: string,
    /** A YAML syntax error (not a limit such as the alias count): a lenient parser may read it. */
    readonly yamlSyntax = false,
  ) {
    super(message);
  }
}

function yamlEngine(text: string): object {
  try {
    // Duplicate keys are accepted, the last one winning, as Jekyll and Hugo do; they are
    // reported as warnings by duplicateKeys().
    return (parseYaml(text, { maxAliasCount: 100, uniqueKeys: false }) as object | null) ?? {};
  } catch (err) {
    // Not only syntax: the parser also refuses alias bombs (a ReferenceError) and the like.
    if (!(err instanceof YAMLParseError)) throw new SyntaxProblem(`invalid YAML: ${(err as Error).message}`);
    // gray-matter's front matter text keeps the newline after the opening `---`, so its
    // line numbers are the file's.
    const said = explainYamlError(text, err);
    throw new SyntaxProblem(`invalid YAML: ${said.message}`, said.line, said.field, true);
  }
}

/**
 * What Ruby's Psych (Jekyll), Go's yaml (Hugo) and js-yaml (Eleventy, Astro, Docusaurus,
 * gray-matter) read though the YAML spec forbids it: a quoted value running over lines
 * that are not indented, above all. js-yaml with the YAML 1.2 core schema (so `no` stays
 * text, as in the strict reading).
 */
function lenientYamlEngine(text: string): object {
  try {
    return (loadYaml(text, { schema: CORE_SCHEMA, json: true }) as object | null) ?? {};
  } catch {
    throw new SyntaxProblem('invalid YAML');
  }
}

function tomlEngine(text: string): object {
  try {
    return parseToml(text);
  } catch (err) {
    if (!(err instanceof TomlError)) throw new SyntaxProblem(`invalid TOML: ${(err as Error).message}`);
    const message = err.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '');
    throw new SyntaxProblem(`invalid TOML: ${message}`, err.line);
  }
}

function jsonEngine(text: string): object {
  try {
    return JSON.parse(text) as object;
  } catch (err) {
    const at = /position (\d+)/.exec((err as Error).message);
    const line = at ? text.slice(0, Number(at[1])).split('\n').length : undefined;
    throw new SyntaxProblem(`invalid JSON: ${(err as Error).message}`, line);
  }
}

const refuse = () => {
  throw new SyntaxProblem('JavaScript front matter is not supported (it would run code)');
};

// gray-matter evaluates `---js` front matter with eval(): never let a content file run code.
const ENGINES = { yaml: yamlEngine, toml: tomlEngine, json: jsonEngine, js: refuse, javascript: refuse };
const LENIENT_ENGINES = { ...ENGINES, yaml: lenientYamlEngine };

/** Line of each top-level key in the front matter text (whose line 1 is the file's line 1). */
function keyLines(format: Format, text: string): Map<string, number> {
  const lines = new Map<string, number>();
  if (format === 'yaml') {
    const counter = new LineCounter();
    const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
    const items = (doc.contents as { items?: { key?: { value?: unknown; range?: number[] } }[] } | null)?.items;
    for (const item of items ?? []) {
      const start = item.key?.range?.[0];
      if (start !== undefined) lines.set(String(item.key?.value), counter.linePos(start).line);
    }
    return lines;
  }
  const key = format === 'toml' ? /^\s*["']?([^"'=\s]+)["']?\s*=/ : /^\s*"([^"]+)"\s*:/;
  for (const [i, line] of text.split('\n').entries()) {
    if (format === 'toml' && /^\s*\[/.test(line)) break; // tables start: no more top-level keys
    const m = key.exec(line);
    if (m && !lines.has(m[1]!)) lines.set(m[1]!, i + 1);
  }
  return lines;
}

/** End (exclusive) of the JSON object the text starts with, skipping braces in strings. */
function jsonObjectEnd(text: string): number | undefined {
  let depth = 0;
  for (let i = 0, inString = false; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return undefined;
}

/** Whether some key may be written twice: a cheap look before a full parse confirms it. */
function mayRepeatKeys(text: string): boolean {
  const seen = new Set<string>();
  for (const m of text.matchAll(/^([ \t-]*)([^\s:#'"][^:\n]*?):(?:[ \t]|$)/gm)) {
    const key = `${m[1]!.length} ${m[2]}`;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

/** Keys written twice in one YAML map, with both lines. */
function duplicateKeys(frontText: string): Warning[] {
  if (!mayRepeatKeys(frontText)) return [];
  const counter = new LineCounter();
  const doc = parseDocument(frontText, { lineCounter: counter, uniqueKeys: false });
  const warnings: Warning[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const item of map.items) {
        const key = item.key as { value?: unknown; range?: number[] } | null;
        if (!key?.range) continue;
        const name = String(key.value);
        const line = counter.linePos(key.range[0]!).line;
        const first = seen.get(name);
        if (first !== undefined) {
          warnings.push({
            code: 'duplicate-key',
            file: '',
            line,
            message: `key "${name}" is written twice (lines ${first} and ${line}); the value on line ${line} is used`,
          });
        }
        seen.set(name, line);
      }
    },
  });
  return warnings;
}

function finish(format: Format, text: string, frontText: string, data: unknown, bodyStart: number, skipped: number): Split {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, problems: [{ file: '', line: 1 + skipped, message: 'front matter must be a mapping of keys to values' }] };
  }
  let lines: Map<string, number> | undefined;
  const body = text.slice(bodyStart).replace(/^\n/, '');
  return {
    ok: true,
    format,
    data: data as Record<string, unknown>,
    body,
    bodyLine: text.slice(0, text.length - body.length).split('\n').length + skipped,
    lineOf: (key) => (lines ??= keyLines(format, '\n'.repeat(skipped) + frontText)).get(key),
    warnings: format === 'yaml' ? duplicateKeys('\n'.repeat(skipped) + frontText) : [],
  };
}

// Hugo's JSON front matter: an object at the top of the file ("{" then a key, or "}").
// A Liquid tag ("{% include %}") starting a file without front matter is not one.
const JSON_START = /^\{\s*["}]/;

/** `skipped`: blank lines before `text` in the file, for line numbers. */
function split(text: string, skipped = 0, engines = ENGINES): Split {
  if (JSON_START.test(text)) {
    // Hugo's JSON front matter: an object at the top of the file, then the body.
    const end = jsonObjectEnd(text);
    if (end === undefined) throw new SyntaxProblem('invalid JSON front matter: the object is never closed', 1);
    return finish('json', text, text.slice(0, end), jsonEngine(text.slice(0, end)), end, skipped);
  }
  const toml = text.startsWith('+++');
  if (!toml && !text.startsWith('---')) {
    return { ok: true, format: 'none', data: {}, body: text, bodyLine: 1, lineOf: () => undefined, warnings: [] };
  }
  const parsed = matter(text, toml ? { delimiters: '+++', language: 'toml', engines } : { engines });
  const format = ((parsed as { language?: string }).language ?? 'yaml') as Format;
  return finish(format, text, `\n${parsed.matter.replace(/^\n/, '')}`, parsed.data, text.length - parsed.content.length, skipped);
}

/**
 * Front matter after blank lines or white space: Hugo's page lexer skips them and reads the
 * front matter that follows (parser/pageparser/pagelexer_intro.go, lexIntroSection). Lines
 * are counted from the file's first line, as everywhere.
 */
function splitAfterBlankLines(text: string, engines = ENGINES): Split {
  const lead = /^[ \t\n]+/.exec(text)?.[0];
  const rest = lead ? text.slice(lead.length) : text;
  if (!lead || !(rest.startsWith('---') || rest.startsWith('+++') || JSON_START.test(rest))) return split(text, 0, engines);
  const skipped = lead.split('\n').length - 1;
  try {
    return split(rest, skipped, engines);
  } catch (err) {
    if (err instanceof SyntaxProblem && err.line) throw new SyntaxProblem(err.message, err.line + skipped, err.field, err.yamlSyntax);
    throw err;
  }
}

/** The first key (as a path) whose value holds a NUL character, which PostgreSQL cannot store. */
function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = nulPath(v, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = nulPath(v, path ? `${path}.${k}` : k) ?? (k.includes('\0') ? path || k : undefined);
      if (found) return found;
    }
  }
  return undefined;
}

export interface SplitOptions {
  /**
   * The site's generator reads YAML leniently (Psych, Go's yaml, js-yaml): front matter the
   * spec forbids but they read is read as they read it, with an `approximated` warning.
   */
  lenientYaml?: string;
}

function splitLeniently(text: string, options: SplitOptions): Split {
  try {
    return splitAfterBlankLines(text);
  } catch (err) {
    if (!(err instanceof SyntaxProblem) || !err.yamlSyntax || !options.lenientYaml) throw err;
    let lenient: Split;
    try {
      lenient = splitAfterBlankLines(text, LENIENT_ENGINES);
    } catch {
      throw err;
    }
    if (!lenient.ok) return lenient;
    const warning: Warning = {
      code: 'approximated',
      file: '',
      ...(err.line && { line: err.line }),
      message: `front matter is not valid YAML (${err.message.replace(/^invalid YAML: /, '')}); read as ${options.lenientYaml} reads it`,
    };
    return { ...lenient, warnings: [...lenient.warnings, warning] };
  }
}

export function splitFrontMatter(file: string, text: string, options: SplitOptions = {}): Split {
  try {
    const result = splitLeniently(text, options);
    if (!result.ok) {
      result.problems.forEach((p) => (p.file = file));
      return result;
    }
    result.warnings.forEach((w) => (w.file = file));
    // A YAML "\0" or a JSON "\u0000" escape: PostgreSQL stores no NUL in text or JSON.
    const nul = nulPath(result.data, '');
    if (nul) {
      const key = nul.split(/[.[]/)[0]!;
      const line = result.lineOf(key);
      return {
        ok: false,
        problems: [{ file, field: key, ...(line && { line }), message: `holds a NUL character (at ${nul}), which cannot be stored` }],
      };
    }
    return result;
  } catch (err) {
    if (!(err instanceof SyntaxProblem)) throw err;
    return {
      ok: false,
      problems: [{ file, ...(err.field && { field: err.field }), ...(err.line && { line: err.line }), message: err.message }],
    };
  }
}
