// What other site generators leave in Markdown bodies, turned into Markdown before
// rendering. Outside code fences only, and line for line (a removed line becomes an empty
// one), so line numbers in problems still match the file.
//
// - Liquid (Jekyll) and Nunjucks (Eleventy): {% highlight ruby %}…{% endhighlight %} (also
//   {% highlight "ruby" %}) becomes a fenced code block;
//   {% raw %} and {% endraw %} markers are dropped (what they enclose stays, literally);
//   {% comment %}…{% endcomment %} is removed; {% post_url 2010-07-21-name %} and
//   {% link _posts/x.md %} become links to that post; {{ site.baseurl }} and {{ site.url }}
//   become the site's root (""); {% assign %} and other tags that print nothing are removed.
// - Hugo: {{< highlight go >}}…{{< /highlight >}} becomes a fenced code block;
//   {{< figure src="…" alt="…" caption="…" >}} becomes <figure><img><figcaption>;
//   {{< ref "x.md" >}} and {{< relref "x.md" >}} become links to that post;
//   {{< youtube ID >}}, {{< vimeo ID >}} and {{< gist user id >}} become links;
//   {{% param "key" %}} becomes the front matter's value; {{< comment >}}…{{< /comment >}} is removed.
// - MDX (.mdx files): top-level `import … from '…'` and single-line `export …` lines are
//   removed, and so are comments ({/* … */}, but one ending a heading, which is its id).
// - Components (<Chart …>, </Chart>, <Note />), in any file: a capitalized tag is JSX, never
//   HTML, whose tag names are lowercase (the HTML spec; MDX reads capitalized names as
//   components, mdxjs.com/docs/using-mdx/#components). Quire does not run components: the
//   tags are removed and what they enclose stays as Markdown. In a .md file the sanitizer
//   would drop them anyway, silently; now each is reported. Inline code is left alone.
// Anything else (another Liquid tag or output, another shortcode) stays as literal text.
// Every tag, shortcode or component that is dropped or left as text is reported, with its
// line, so an author can see what the rendered post lost.

/** A link the importer resolves to another post's path (resolveLinks in checks.ts). */
export const POST_REF = 'quire-ref:';

export interface TransformNote {
  line: number;
  message: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
// Eleventy's syntax highlighting plugin takes the language quoted in Nunjucks
// ({% highlight "js" %}) and bare in Liquid ({% highlight js 1,3 %}): both, as Jekyll's.
const OPEN_HIGHLIGHT =
  /^\s*(?:\{%-?\s*highlight\s+["']?([\w+#.-]+)["']?[^%]*-?%\}|\{\{[<%]\s*highlight\s+["']?([\w+#.-]+)["']?[^>%]*[>%]\}\})\s*$/;
const CLOSE_HIGHLIGHT = /^\s*(?:\{%-?\s*endhighlight\s*-?%\}|\{\{[<%]\s*\/highlight\s*[>%]\}\})\s*$/;
const COMMENT_OPEN = /\{%-?\s*comment\s*-?%\}/;
const COMMENT_CLOSE = /\{%-?\s*endcomment\s*-?%\}/;
const RAW_OPEN = /\{%-?\s*raw\s*-?%\}/;
const RAW_CLOSE = /\{%-?\s*endraw\s*-?%\}/;
const RAW = /\{%-?\s*(?:end)?raw\s*-?%\}/g;
const POST_URL = /\{%-?\s*post_url\s+([^\s%]+)\s*-?%\}/g;
const LINK_TAG = /\{%-?\s*link\s+([^\s%]+)\s*-?%\}/g;
const SITE_ROOT = /\{\{-?\s*site\.(?:baseurl|url)\s*-?\}\}/g;
// Tags that print nothing: dropping them loses no text (outputs that read them stay, and are reported).
const SILENT = /\{%-?\s*(assign|increment|decrement|cycle)\b[^%]*-?%\}/g;
const PARAM = /\{\{[<%]\s*param\s+"?([\w.-]+)"?\s*[>%]\}\}/g;
const HUGO_COMMENT_OPEN = /\{\{[<%]\s*comment\s*[>%]\}\}/;
const HUGO_COMMENT_CLOSE = /\{\{[<%]\s*\/comment\s*[>%]\}\}/;
const REF = /\{\{[<%]\s*(?:rel)?ref\s+"?([^"\s>%]+)"?\s*[>%]\}\}/g;
// Hugo's named parameters are quoted "…" or, raw, `…`.
const FIGURE = /\{\{[<%]\s*figure((?:\s+\w+\s*=\s*(?:"[^"]*"|`[^`]*`))*)\s*\/?[>%]\}\}/g;
const EMBED = /\{\{[<%]\s*(youtube|vimeo|gist)\s+(?:id\s*=\s*)?"?([\w-]+)"?(?:\s+"?([\w.-]+)"?)?\s*\/?[>%]\}\}/g;
const ATTR = /(\w+)\s*=\s*(?:"([^"]*)"|`([^`]*)`)/g;
const MDX_IMPORT = /^import\s+(?:[\w*{}\s,]+\s+from\s+)?['"][^'"]+['"];?\s*$/;
const MDX_EXPORT = /^export\s+(?:const|let|default|function)\b.*$/;
// <Name …>, </Name> or <Name … />, with {…} attribute values up to two braces deep.
const JSX_TAG = /<\/?([A-Z][\w.]*)(?:\s+(?:[^<>{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)?\/?>/g;
// What is left as text: a Liquid tag or output, a Hugo shortcode.
const LEFT_AS_TEXT = /\{%-?\s*(\w+)[^%]*?-?%\}|\{\{[<%]\s*\/?\s*([\w./-]+)[^}]*?[>%]\}\}|\{\{-?\s*([\w.]+)[^}]*?-?\}\}/g;
const INLINE_CODE = /(`+)[^`]*?\1/g;
const MAY_HOLD_COMPONENT = /<\/?[A-Z]/;
const FOOTNOTE_ALONE = /^ {0,3}\[\^[^\]\s]+\]:\s*$/;
// An MDX comment on one line; one ending a heading is its id (render.ts).
const MDX_COMMENT = /\{\/\*[\s\S]*?\*\/\}/g;
const HEADING_ID_COMMENT = /^\s{0,3}#{1,6}\s.*\{\/\*[^*]*\*\/\}\s*$/;

/** Component tags removed from a line (not inside inline code), with what was removed. */
function removeComponents(line: string): { out: string; removed: { name: string; selfClosing: boolean }[] } {
  const masked = line.replace(INLINE_CODE, (code) => '\0'.repeat(code.length));
  const removed: { name: string; selfClosing: boolean }[] = [];
  let out = '';
  let from = 0;
  for (const m of masked.matchAll(JSX_TAG)) {
    out += line.slice(from, m.index);
    from = m.index + m[0].length;
    removed.push({ name: m[1]!, selfClosing: m[0].endsWith('/>') });
  }
  return { out: out + line.slice(from), removed };
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function figure(attrs: string): string {
  const a = Object.fromEntries([...attrs.matchAll(ATTR)].map((m) => [m[1]!.toLowerCase(), m[2] ?? m[3]!]));
  const img = `<img src="${escapeAttr(a.src ?? '')}" alt="${escapeAttr(a.alt ?? a.title ?? '')}">`;
  const caption = a.caption ?? a.title;
  return `<figure>${img}${caption ? `<figcaption>${escapeAttr(caption)}</figcaption>` : ''}</figure>`;
}

function embed(kind: string, id: string, second: string | undefined): string {
  if (kind === 'youtube') return `[YouTube video](https://www.youtube.com/watch?v=${id})`;
  if (kind === 'vimeo') return `[Vimeo video](https://vimeo.com/${id})`;
  return `[Gist](https://gist.github.com/${second ? `${id}/${second}` : id})`;
}

/** The tags, outputs and shortcodes a line still holds, outside inline code. */
function leftAsText(line: string): string[] {
  const found: string[] = [];
  for (const m of line.replace(INLINE_CODE, (s) => ' '.repeat(s.length)).matchAll(LEFT_AS_TEXT)) {
    if (m[1]) found.push(`Liquid tag {% ${m[1]} %}`);
    else if (m[2]) found.push(`Hugo shortcode {{< ${m[2]} >}}`);
    else found.push(`Liquid output {{ ${m[3]} }}`);
  }
  return found;
}

/**
 * `bodyLine` is the file's line where the body starts, so notes carry the file's lines;
 * `params` the front matter, for Hugo's {{% param "x" %}}.
 */
export function preprocess(
  body: string,
  options: { mdx: boolean; bodyLine?: number; params?: Record<string, unknown> },
): { markdown: string; notes: TransformNote[] } {
  const lines = body.split('\n');
  const notes: TransformNote[] = [];
  const at = (i: number) => (options.bodyLine ?? 1) + i;
  let fence: { char: string; length: number } | undefined;
  let highlight = false;
  let comment = false;
  let raw = false;
  let mdxComment = false;
  let footnote: { indent?: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const f = FENCE.exec(line);
    if (fence) {
      if (f && f[1]![0] === fence.char && f[1]!.length >= fence.length && !f[2]!.trim()) fence = undefined;
      continue;
    }
    if (highlight) {
      if (CLOSE_HIGHLIGHT.test(line)) {
        lines[i] = '```';
        highlight = false;
      }
      continue;
    }
    if (comment) {
      if (COMMENT_CLOSE.test(line) || HUGO_COMMENT_CLOSE.test(line)) comment = false;
      lines[i] = '';
      continue;
    }
    if (raw) {
      // {% raw %}: what it encloses stays exactly as written, unread.
      if (RAW_CLOSE.test(line)) raw = false;
      lines[i] = line.replace(RAW, '');
      continue;
    }
    if (f) {
      fence = { char: f[1]![0]!, length: f[1]!.length };
      continue;
    }
    if (footnote) {
      // A footnote's text under an empty `[^1]:` line, indented by fewer than the four spaces
      // markdown-it-footnote (like GFM and Pandoc) wants: indented to four, so it is the
      // footnote's text instead of an empty footnote and a stray paragraph.
      const indent = /^ */.exec(line)![0].length;
      if (!line.trim()) continue;
      footnote.indent ??= indent >= 1 && indent < 4 ? indent : 0;
      if (footnote.indent && indent >= footnote.indent) {
        lines[i] = line = ' '.repeat(4 - footnote.indent) + line;
      } else footnote = undefined;
    }
    if (FOOTNOTE_ALONE.test(line)) footnote = {};
    const open = OPEN_HIGHLIGHT.exec(line);
    if (open) {
      lines[i] = `\`\`\`${open[1] ?? open[2]}`;
      highlight = true;
      continue;
    }
    if (mdxComment) {
      // Inside a comment running over lines: gone, up to its end.
      const end = line.indexOf('*/}');
      if (end < 0) lines[i] = '';
      else {
        mdxComment = false;
        lines[i] = line.slice(end + 3);
      }
      continue;
    }
    // Most lines hold no tag, shortcode or component: leave them without running the rest.
    if (!line.includes('{') && !line.includes('<') && !(options.mdx && /^(?:import|export)\s/.test(line))) continue;
    if (options.mdx && line.includes('{/*') && !HEADING_ID_COMMENT.test(line)) {
      let text = line.replace(MDX_COMMENT, '');
      const open = text.indexOf('{/*');
      if (open >= 0) {
        mdxComment = true;
        text = text.slice(0, open);
      }
      lines[i] = line = text;
      if (!text.trim()) continue;
    }
    if (COMMENT_OPEN.test(line)) {
      comment = !COMMENT_CLOSE.test(line);
      lines[i] = line.replace(/\{%-?\s*comment\s*-?%\}[\s\S]*?(\{%-?\s*endcomment\s*-?%\}|$)/, '');
      continue;
    }
    if (HUGO_COMMENT_OPEN.test(line)) {
      comment = !HUGO_COMMENT_CLOSE.test(line);
      lines[i] = line.replace(/\{\{[<%]\s*comment\s*[>%]\}\}[\s\S]*?(\{\{[<%]\s*\/comment\s*[>%]\}\}|$)/, '');
      continue;
    }
    if (options.mdx && (MDX_IMPORT.test(line) || MDX_EXPORT.test(line))) {
      lines[i] = '';
      continue;
    }
    let out = line;
    if (MAY_HOLD_COMPONENT.test(line)) {
      const { out: rest, removed } = removeComponents(out);
      out = rest;
      const said = new Set<string>();
      for (const { name, selfClosing } of removed) {
        if (said.has(name)) continue;
        said.add(name);
        const what = options.mdx ? 'MDX component' : 'component';
        notes.push({
          line: at(i),
          message: selfClosing
            ? `${what} <${name} /> was removed (Quire does not run components)`
            : `${what} <${name}> was removed (its content is kept)`,
        });
      }
    }
    // Text inside {% raw %} on this line is not Liquid: keep it out of the reports.
    const rawOpen = RAW_OPEN.exec(out);
    const before = rawOpen ? out.slice(0, rawOpen.index) : out;
    let after = rawOpen ? out.slice(rawOpen.index) : '';
    if (rawOpen) {
      raw = !RAW_CLOSE.test(after);
      const close = RAW_CLOSE.exec(after);
      const rest = close ? after.slice(close.index + close[0].length) : '';
      after =
        (close ? after.slice(0, close.index) : after).replace(RAW, '') + (close ? transformText(rest, notes, at(i), options.params) : '');
    }
    lines[i] = transformText(before, notes, at(i), options.params) + after;
  }
  // An unclosed highlight block is closed at the end, as an unclosed fence would be.
  if (highlight) lines.push('```');
  return { markdown: lines.join('\n'), notes };
}

function transformText(text: string, notes: TransformNote[], line: number, params: Record<string, unknown> | undefined): string {
  if (!text.includes('{')) return text;
  const dropped = new Set<string>();
  const out = text
    .replace(SILENT, (_, tag: string) => (dropped.add(tag), ''))
    .replace(PARAM, (whole, name: string) => {
      const value = params && Object.entries(params).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : whole;
    })
    .replace(SITE_ROOT, '')
    .replace(POST_URL, (_, name: string) => `${POST_REF}post_url/${name}`)
    .replace(LINK_TAG, (_, file: string) => `${POST_REF}file/${file}`)
    .replace(REF, (_, target: string) => `${POST_REF}ref/${target}`)
    .replace(FIGURE, (_, attrs: string) => figure(attrs))
    .replace(EMBED, (_, kind: string, id: string, second: string | undefined) => embed(kind, id, second));
  for (const tag of dropped)
    notes.push({ line, message: `Liquid tag {% ${tag} %} was removed (it prints nothing; Quire does not run Liquid)` });
  for (const what of leftAsText(out)) notes.push({ line, message: `${what} is not supported and is shown as text` });
  return out;
}
