// Author strings as blogs write them: one person or several in one string.
//   "Ada Lovelace"                         -> Ada Lovelace
//   "[Ada](https://ada.example) (Analytical Engines)" -> Ada, her link, her affiliation
//   "Ada Lovelace <ada@example.com>"       -> Ada Lovelace
//   "Ada Lovelace, Charles Babbage and Grace Hopper" -> three authors
// Commas separate people only when every part looks like a whole name (a link, or two
// words), so "Lovelace, Ada" stays one person.

export interface Author {
  name: string;
  url?: string;
  /** "(Org)" after the name: kept apart from it. */
  affiliation?: string;
}

const LINKED = /^\[([^\]]+)\]\(\s*<?([^)\s>]+)>?\s*\)\s*(?:\((.+)\))?$/;
const WITH_EMAIL = /^(.+?)\s*<[^>]*>$/;
const WITH_AFFILIATION = /^(.+?)\s*\(([^()]+)\)$/;

/** Splits at separators outside brackets and parentheses: commas and semicolons, or "and" and "&". */
function split(text: string, words: boolean): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '[' || c === '(') depth++;
    else if ((c === ']' || c === ')') && depth > 0) depth--;
    if (depth) continue;
    const sep = words ? (/^\s+(?:and|&)\s+/i.exec(text.slice(i, i + 6))?.[0].length ?? 0) : c === ',' || c === ';' ? 1 : 0;
    if (!sep) continue;
    out.push(text.slice(start, i));
    start = i + sep;
    i = start - 1;
  }
  out.push(text.slice(start));
  return out.map((p) => p.trim()).filter(Boolean);
}

function one(text: string): Author {
  const linked = LINKED.exec(text);
  if (linked) return { name: linked[1]!.trim(), url: linked[2]!, ...(linked[3] && { affiliation: linked[3].trim() }) };
  const plain = WITH_EMAIL.exec(text)?.[1] ?? text;
  const affiliated = WITH_AFFILIATION.exec(plain);
  if (affiliated) return { name: affiliated[1]!.trim(), affiliation: affiliated[2]!.trim() };
  return { name: plain.trim() };
}

const wholeName = (part: string) => LINKED.test(part) || /\S\s+\S/.test(part.replace(/\([^)]*\)/g, '').trim());

/**
 * Comma-separated parts are people when they look like whole names; a part that does not
 * is an affiliation after a linked name ("[Ada](url), Analytical Engines") or the rest of
 * the previous name ("NARUSE, Yui").
 */
export function parseAuthors(text: string): Author[] {
  const people: string[] = [];
  const affiliations = new Map<number, string>();
  // "A, B, and C": the serial comma's "and" belongs to no name.
  for (const part of split(text, false).map((p) => p.replace(/^(?:and|&)\s+/i, ''))) {
    const last = people.length - 1;
    if (last < 0 || wholeName(part)) people.push(part);
    else if (LINKED.test(people[last]!) && !affiliations.has(last) && !LINKED.exec(people[last]!)![3]) affiliations.set(last, part);
    else people[last] = `${people[last]}, ${part}`;
  }
  return people
    .flatMap((p, i) => {
      const affiliation = affiliations.get(i);
      return split(p, true).map((name) => {
        const author = one(name);
        return affiliation ? { ...author, affiliation } : author;
      });
    })
    .filter((a) => a.name);
}
