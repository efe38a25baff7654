// File text -> front matter (validated with zod) + Markdown body, or the problems that stop it.
import matter from 'gray-matter';
import { LineCounter, parse as parseYaml, parseDocument, YAMLParseError } from 'yaml';
import { z } from 'zod';
import type { FileProblem } from './problems.js';
import { SLUG_PATTERN } from './slug.js';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day is midnight UTC; a date-time must be ISO 8601 (no offset means UTC). */
function parseDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  const day = DAY.exec(s);
  if (day) {
    const d = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
    // Date.UTC rolls 2024-02-31 over to March: refuse instead.
    return d.getUTCDate() === Number(day[3]) && d.getUTCMonth() === Number(day[2]) - 1 ? d : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s)) return undefined;
  const iso = /(Z|[+-]\d{2}:?\d{2})$/i.test(s) ? s : `${s}Z`;
  const d = new Date(iso.replace(' ', 'T'));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const DateField = z.unknown().transform((value, ctx) => {
  const d = parseDate(value);
  if (!d) {
    ctx.addIssue({ code: 'custom', message: `is not a date (use YYYY-MM-DD or ISO 8601), got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return d;
});

/** A list of names, written as a YAML list or a comma-separated string. */
const NameList = z
  .union([z.array(z.string().trim().min(1, 'has an empty name')), z.string()], {
    error: 'must be a list of names or a comma-separated string',
  })
  .transform((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v));

export const FrontMatterSchema = z.looseObject({
  title: z.string({ error: 'is required and must be text' }).trim().min(1, 'must not be empty'),
  description: z.string({ error: 'must be text' }).trim().optional(),
  slug: z
    .string({ error: 'must be text' })
    .regex(SLUG_PATTERN, 'must be lowercase letters, digits and single hyphens (like "my-first-post")')
    .optional(),
  date: DateField,
  updated: DateField.optional(),
  draft: z.boolean({ error: 'must be true or false' }).default(false),
  tags: NameList.default([]),
  categories: NameList.default([]),
});

export type FrontMatter = z.output<typeof FrontMatterSchema>;
export const KNOWN_KEYS = new Set(Object.keys(FrontMatterSchema.shape));

class FrontMatterSyntaxError extends Error {
  constructor(message: string, readonly line?: number) {
    super(message);
  }
}

function yamlEngine(text: string): object {
  try {
    return (parseYaml(text) as object | null) ?? {};
  } catch (err) {
    if (err instanceof YAMLParseError) {
      // gray-matter's front matter text keeps the newline after the opening `---`, so its
      // line numbers are the file's.
      const message = err.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '');
      throw new FrontMatterSyntaxError(`invalid YAML: ${message}`, err.linePos?.[0].line);
    }
    throw err;
  }
}

const refuse = (lang: string) => () => {
  throw new FrontMatterSyntaxError(`${lang} front matter is not supported`);
};

// gray-matter evaluates `---js` front matter with eval(): never let a content file run code.
const OPTIONS = {
  engines: { yaml: yamlEngine, js: refuse('JavaScript'), javascript: refuse('JavaScript') },
};

/** 1-based file line of each top-level front-matter key, to point errors at (see above). */
function keyLines(matterText: string): Map<string, number> {
  const lines = new Map<string, number>();
  const counter = new LineCounter();
  const doc = parseDocument(matterText, { lineCounter: counter });
  const items = (doc.contents as { items?: { key?: { value?: unknown; range?: number[] } }[] }).items;
  for (const item of items ?? []) {
    const start = item.key?.range?.[0];
    if (typeof item.key?.value === 'string' && start !== undefined) {
      lines.set(item.key.value, counter.linePos(start).line);
    }
  }
  return lines;
}

export type Parsed =
  | { ok: true; data: FrontMatter; extra: Record<string, unknown>; body: string }
  | { ok: false; problems: FileProblem[] };

export function parseFrontMatter(file: string, text: string): Parsed {
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = matter(text, OPTIONS);
  } catch (err) {
    if (!(err instanceof FrontMatterSyntaxError)) throw err;
    return { ok: false, problems: [{ file, line: err.line, message: err.message }] };
  }
  const raw = parsed.data as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [{ file, line: 1, message: 'front matter must be a mapping of keys to values' }] };
  }
  if (Object.keys(raw).length === 0) {
    return { ok: false, problems: [{ file, line: 1, message: 'has no front matter (a --- block with at least a title and a date)' }] };
  }
  const result = FrontMatterSchema.safeParse(raw);
  if (!result.success) {
    const lines = keyLines(parsed.matter);
    const problems = result.error.issues.map((issue) => {
      const field = String(issue.path[0] ?? '');
      return { file, field, line: lines.get(field) ?? 1, message: issue.message };
    });
    return { ok: false, problems };
  }
  const extra = Object.fromEntries(Object.entries(raw).filter(([k]) => !KNOWN_KEYS.has(k)));
  return { ok: true, data: result.data, extra, body: parsed.content };
}
