// Languages are BCP 47 tags in canonical case ("en", "pt-BR", "zh-Hant").
const languages = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
const scripts = new Intl.DisplayNames(['en'], { type: 'script', fallback: 'none' });
const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
// language, then optionally a script (4 letters) and a region (2 letters or 3 digits)
const TAG = /^([a-z]{2,3})(?:[-_]([a-z]{4}))?(?:[-_]([a-z]{2}|\d{3}))?$/i;

const known = (names: Intl.DisplayNames, code: string) => {
  const name = names.of(code);
  return name !== undefined && name !== code;
};

/**
 * The canonical tag for `value` when it names a language, or undefined: every part must be
 * one Intl knows ("ja", "pt-BR", "zh-Hant"), and one of `allowed` when a list is configured.
 * So folder names like "go", "js", "posts" or "my-post" are not mistaken for languages.
 */
export function canonicalLanguage(value: string, allowed?: ReadonlySet<string>): string | undefined {
  const m = TAG.exec(value);
  if (!m) return undefined;
  const [, lang, script, region] = m as unknown as [string, string, string | undefined, string | undefined];
  if (!known(languages, lang.toLowerCase())) return undefined;
  if (script && !known(scripts, script[0]!.toUpperCase() + script.slice(1).toLowerCase())) return undefined;
  if (region && !known(regions, region.toUpperCase())) return undefined;
  const [tag] = Intl.getCanonicalLocales([lang, script, region].filter(Boolean).join('-'));
  if (allowed?.size && !allowed.has(tag!)) return undefined;
  return tag;
}
