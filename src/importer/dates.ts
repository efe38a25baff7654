// Dates as blogs write them. One rule set for every date field:
// - a Date (TOML dates, JSON parsers that make them) is taken as is;
// - YYYY-MM-DD (one-digit month and day allowed) is midnight UTC; so is YYYY/MM/DD, which
//   JavaScript's Date reads (V8's legacy date parser), and with it the Next.js, Astro
//   (z.coerce.date) and Docusaurus blogs that pass front matter dates to `new Date()`, and
//   Ruby's Time.parse (Jekyll);
// - date and time, "T" or a space between, one- or two-digit hours, optional seconds and
//   fraction, optional offset as Z, +hh:mm, +hhmm, +hh or +h ("2013-11-22 5:00:00 +0000";
//   "16:57:00 -8", one digit, as YAML 1.1's timestamp type allows, which js-yaml and so
//   Eleventy read);
//   no offset means UTC;
// - with a month name ("May 20, 2024", "Mon, 20 May 2024 10:00:00 GMT") JavaScript's
//   parser decides, in UTC unless the text names a zone;
// - a number is a Unix timestamp in seconds (as some exporters write).
// Anything else, or an impossible day (2024-02-31, 2024-13-45), is refused.

const DATE_TIME =
  /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?$/i;
const MONTH_NAME = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i;
const HAS_ZONE = /(\b(Z|UTC|GMT)\b|[+-]\d{2}:?\d{2}\s*$)/i;

function offsetMinutes(zone: string | undefined): number {
  if (!zone || /^(Z|UTC|GMT)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{1,2}?):?(\d{2})?$/.exec(zone)!;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

function fromParts(m: RegExpExecArray): Date | undefined {
  const [, y, , mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 60) return undefined;
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 2024-02-31 over into March: refuse such days instead.
  if (new Date(utc).getUTCDate() !== day) return undefined;
  return new Date(utc - offsetMinutes(zone) * 60_000);
}

export function parseDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : new Date(value.getTime());
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return new Date(value * 1000);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const m = DATE_TIME.exec(text);
  if (m) return fromParts(m);
  if (MONTH_NAME.test(text)) {
    const t = Date.parse(HAS_ZONE.test(text) ? text : `${text} UTC`);
    return Number.isNaN(t) ? undefined : new Date(t);
  }
  return undefined;
}

/** The date a Jekyll-style name starts with ("2024-05-20-my-post"), and the rest of it. */
export function datePrefix(name: string): { date: Date; rest: string } | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})-(.+)$/.exec(name);
  const date = m && parseDate(m[1]);
  return date ? { date, rest: m[2]! } : undefined;
}
