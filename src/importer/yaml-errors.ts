// A YAML syntax error, said as an author would understand it: the line where the mistake
// is (the opening quote that is never closed, not the end of the block where the parser
// gave up), the key it belongs to, and what to do. The parser's own words only when no
// plain explanation fits.
import { CST, Parser, type YAMLParseError } from 'yaml';

export interface YamlProblem {
  line?: number;
  /** The top-level key the mistake is in. */
  field?: string;
  message: string;
}

interface Token {
  type: string;
  offset: number;
  source?: string;
}

/** Top-level keys with their offsets, and every quoted scalar, from the concrete syntax tree. */
function scan(text: string): { keys: { name: string; offset: number }[]; quoted: Token[] } {
  const keys: { name: string; offset: number }[] = [];
  const quoted: Token[] = [];
  for (const token of new Parser().parse(text)) {
    if (token.type !== 'document') continue;
    const map = token.value;
    if (map?.type === 'block-map') {
      for (const item of map.items) {
        if (item.key && CST.isScalar(item.key) && !item.key.source.includes('\n'))
          keys.push({ name: item.key.source, offset: item.key.offset });
      }
    }
    CST.visit(token, (item) => {
      for (const t of [item.key, item.value]) {
        if (t && (t.type === 'double-quoted-scalar' || t.type === 'single-quoted-scalar')) quoted.push(t);
      }
    });
  }
  return { keys, quoted };
}

/** A quoted scalar whose closing quote never comes: its source runs on without one. */
function unclosed(t: Token): boolean {
  const s = t.source ?? '';
  const q = s[0];
  if (s.length < 2 || s[s.length - 1] !== q) return true;
  if (q === '"') {
    // The last quote must not be escaped: count the backslashes before it.
    let n = 0;
    for (let i = s.length - 2; s[i] === '\\'; i--) n++;
    return n % 2 === 1;
  }
  return false;
}

const PLAIN: Partial<Record<YAMLParseError['code'], string>> = {
  TAB_AS_INDENT: 'is indented with a tab: YAML indents with spaces only',
  BAD_SCALAR_START: 'a value starting with @ or ` must be put in quotes',
  MULTILINE_IMPLICIT_KEY:
    'this line is not a "key: value" pair and is not indented under one: indent it to continue the value above, or join it to that line',
  BAD_DQ_ESCAPE: 'a backslash in a "double-quoted" value starts an escape (\\n, \\"): write \\\\ for a backslash, or use single quotes',
  BAD_ALIAS: 'a value starting with * refers to an anchor (&name) that is not there: put the value in quotes',
};

/** `err` came from parsing `text`, whose line 1 is the file's line 1. */
export function explainYamlError(text: string, err: YAMLParseError): YamlProblem {
  const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
  const { keys, quoted } = scan(text);
  let offset = err.pos[0];
  let message: string | undefined;
  const source = () => text.split('\n')[lineAt(offset) - 1] ?? '';

  if (err.code === 'MISSING_CHAR' && /quote/i.test(err.message)) {
    // The parser stops at the end of the block; the mistake is where the quote opened.
    const open = quoted.filter((t) => t.offset <= offset && unclosed(t)).pop();
    if (open) offset = open.offset;
    const q = (open?.source ?? '"')[0];
    message = `the value opens a quote (${q}) that is never closed: close it on the same line, or indent each line the value continues on`;
  } else if (err.code === 'MISSING_CHAR' || err.code === 'MULTILINE_IMPLICIT_KEY') {
    message = PLAIN.MULTILINE_IMPLICIT_KEY;
  } else if (err.code === 'BLOCK_AS_IMPLICIT_KEY' && /compact mappings/.test(err.message)) {
    message = 'the value holds a colon followed by a space, which YAML reads as another key: put the value in quotes';
  } else if (err.code === 'BLOCK_AS_IMPLICIT_KEY') {
    message = 'the items of this list are not indented alike: indent every "- item" line the same';
  } else if (err.code === 'BAD_INDENT' && /Flow (sequence|map)/.test(err.message)) {
    const [open, close] = /sequence/.test(err.message) ? ['[', ']'] : ['{', '}'];
    // Reported where the parser gave up: the line that opened it is the one to fix.
    const opened = text.lastIndexOf(open, offset);
    if (opened >= 0) offset = opened;
    message = `a ${open} opens a list that is never closed with ${close} on the same line (or the value is meant as text: put it in quotes)`;
  } else if (err.code === 'UNEXPECTED_TOKEN' && /^\s*[\w-]+:\s*["'][^"']*["']\s*\S/.test(source())) {
    message = 'there is text after the closing quote: put the whole value in quotes, or remove the quotes';
  } else if (err.code === 'BAD_INDENT') {
    message = 'this line is indented differently from the lines around it';
  } else {
    message = PLAIN[err.code];
  }
  const line = lineAt(offset);
  // The key on the faulty line, else the one whose value runs over it.
  const own = /^\s*([\w.-]+)\s*:(?:\s|$)/.exec(text.split('\n')[line - 1] ?? '')?.[1];
  const field = own ?? keys.filter((k) => k.offset <= offset).pop()?.name;
  const said = message ?? `is not valid YAML (${err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')})`;
  return { line, ...(field && { field }), message: said };
}
