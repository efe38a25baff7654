// Key names a site uses for Quire's fields, beyond the ones Quire knows (a `newstitle` for
// the title, a `byline` for the authors), given by the site's owner so no file has to be
// edited: QUIRE_FIELD_KEYS today; a content folder's configuration file may feed the same
// map later. Keys are matched case-insensitively and tried before the usual ones.
import type { MappableField } from '../config.js';

export type FieldKeys = Readonly<Partial<Record<MappableField, readonly string[]>>>;

export const NO_FIELD_KEYS: FieldKeys = Object.freeze({});

/** The keys to try for a field: the site's own first, then Quire's. */
export function keysFor(field: MappableField, known: readonly string[], site: FieldKeys): readonly string[] {
  const own = site[field];
  return own?.length ? [...own.map((k) => k.toLowerCase()), ...known] : known;
}
