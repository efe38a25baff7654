// Values a generator reads where Quire's own rules would refuse them: each generator's
// parsers are the spec. A value it reads is read as it reads it (with an `approximated`
// warning); a value it builds the page with but Quire cannot use is left out of its field,
// kept as written in `extra`, and said (`invalid-value`); only what the generator itself
// refuses stays an error.
import type { Generator } from '../../config.js';

/** Whose YAML parser reads front matter the YAML spec forbids (Zola's serde_yaml is strict). */
export const LENIENT_YAML: Partial<Record<Generator, string>> = {
  jekyll: "Ruby's YAML parser (Psych), as Jekyll",
  hugo: "Go's YAML parser, as Hugo",
  eleventy: 'js-yaml, as Eleventy (gray-matter)',
  astro: 'js-yaml, as Astro',
  docusaurus: 'js-yaml, as Docusaurus (gray-matter)',
  next: 'js-yaml, as gray-matter in a Next.js blog',
};

/**
 * Generators that stop on a date they cannot read: Jekyll (Utils.parse_date raises a fatal
 * InvalidDateError), Eleventy (an invalid date in the data cascade throws), Zola, and the
 * front matter schemas of Astro (z.coerce.date) and Docusaurus (Joi). Hugo builds the page
 * with no date, a Next.js blog with an invalid Date.
 */
export const REFUSES_BAD_DATES = new Set<Generator>(['jekyll', 'eleventy', 'zola', 'astro', 'docusaurus']);

/**
 * A date as Ruby's Time.parse reads what Jekyll passes it (Utils.parse_date), for the shapes
 * it takes that Quire's own rules do not: a date and time followed by more text ("2023-01-29
 * 18:30:22 2023 -0800": the rest ignored), and day-month-year ("11-9-2017" is 11 September).
 */
function rubyDate(text: string): Date | undefined {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\b/.exec(text);
  const dmy = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b/.exec(text);
  const [y, mo, d, h = '0', mi = '0', s = '0'] = iso ? iso.slice(1) : dmy ? [dmy[3], dmy[2], dmy[1]] : [];
  if (!y) {
    const t = Date.parse(`${text} UTC`);
    return Number.isNaN(t) ? undefined : new Date(t);
  }
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  return date.getUTCDate() === Number(d) && date.getUTCMonth() === Number(mo) - 1 ? date : undefined;
}

/** A date the generator reads from a value Quire's own rules refuse, and how it was read. */
export function generatorDate(generator: Generator, value: unknown): { date: Date; how: string } | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const text = value.trim();
  if (generator === 'jekyll') {
    const date = rubyDate(text);
    return date && { date, how: "Ruby's Time.parse (Jekyll)" };
  }
  if (generator === 'astro' || generator === 'docusaurus' || generator === 'next') {
    // JavaScript's Date, in UTC where the text names no zone.
    const t = Date.parse(/(Z|GMT|UTC|[+-]\d{2}:?\d{2})\s*$/i.test(text) ? text : `${text} UTC`);
    const u = Number.isNaN(t) ? Date.parse(text) : t;
    return Number.isNaN(u) ? undefined : { date: new Date(u), how: "JavaScript's Date" };
  }
  return undefined;
}
