// What other site generators leave in Markdown bodies, turned into Markdown before
// rendering. Outside code fences only, and line for line (a removed line becomes an empty
// one), so line numbers in problems still match the file.
//
// - Liquid (Jekyll): {% highlight ruby %}…{% endhighlight %} becomes a fenced code block;
//   {% raw %} and {% endraw %} markers are dropped (what they enclose stays, literally);
//   {% comment %}…{% endcomment %} is removed.
// - Hugo: {{< highlight go >}}…{{< /highlight >}} becomes a fenced code block;
//   {{< figure src="…" alt="…" caption="…" >}} becomes <figure><img><figcaption>;
//   {{< ref "x.md" >}} and {{< relref "x.md" >}} become the path they name.
// - MDX (.mdx files): top-level `import … from '…'` and single-line `export …` lines are
//   removed, and so are JSX component tags (<Chart …>, </Chart>, <Note />): what they
//   enclose stays as Markdown.
// Any other Liquid tag or Hugo shortcode is left as literal text.

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const OPEN_HIGHLIGHT = /^\s*(?:\{%-?\s*highlight\s+([\w+#.-]+)[^%]*-?%\}|\{\{[<%]\s*highlight\s+([\w+#.-]+)[^>%]*[>%]\}\})\s*$/;
const CLOSE_HIGHLIGHT = /^\s*(?:\{%-?\s*endhighlight\s*-?%\}|\{\{[<%]\s*\/highlight\s*[>%]\}\})\s*$/;
const COMMENT_OPEN = /\{%-?\s*comment\s*-?%\}/;
const COMMENT_CLOSE = /\{%-?\s*endcomment\s*-?%\}/;
const RAW = /\{%-?\s*(?:end)?raw\s*-?%\}/g;
const REF = /\{\{[<%]\s*(?:rel)?ref\s+"([^"]+)"\s*[>%]\}\}/g;
const FIGURE = /\{\{[<%]\s*figure((?:\s+\w+\s*=\s*"[^"]*")*)\s*\/?[>%]\}\}/g;
const ATTR = /(\w+)\s*=\s*"([^"]*)"/g;
const MDX_IMPORT = /^import\s+(?:[\w*{}\s,]+\s+from\s+)?['"][^'"]+['"];?\s*$/;
const MDX_EXPORT = /^export\s+(?:const|let|default|function)\b.*$/;
// <Name …>, </Name> or <Name … />, with {…} attribute values up to two braces deep.
const JSX_TAG = /<\/?[A-Z][\w.]*(?:\s+(?:[^<>{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)?\/?>/g;

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function figure(attrs: string): string {
  const a = Object.fromEntries([...attrs.matchAll(ATTR)].map((m) => [m[1]!.toLowerCase(), m[2]!]));
  const img = `<img src="${escapeAttr(a.src ?? '')}" alt="${escapeAttr(a.alt ?? a.title ?? '')}">`;
  const caption = a.caption ?? a.title;
  return `<figure>${img}${caption ? `<figcaption>${escapeAttr(caption)}</figcaption>` : ''}</figure>`;
}

export function preprocess(body: string, options: { mdx: boolean }): string {
  const lines = body.split('\n');
  let fence: { char: string; length: number } | undefined;
  let highlight = false;
  let comment = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
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
      if (COMMENT_CLOSE.test(line)) comment = false;
      lines[i] = '';
      continue;
    }
    if (f) {
      fence = { char: f[1]![0]!, length: f[1]!.length };
      continue;
    }
    const open = OPEN_HIGHLIGHT.exec(line);
    if (open) {
      lines[i] = `\`\`\`${open[1] ?? open[2]}`;
      highlight = true;
      continue;
    }
    // Most lines hold no tag, shortcode or component: leave them without running the rest.
    if (!line.includes('{') && !(options.mdx && (line.includes('<') || /^(?:import|export)\s/.test(line)))) continue;
    if (COMMENT_OPEN.test(line)) {
      comment = !COMMENT_CLOSE.test(line);
      lines[i] = line.replace(/\{%-?\s*comment\s*-?%\}[\s\S]*?(\{%-?\s*endcomment\s*-?%\}|$)/, '');
      continue;
    }
    if (options.mdx && (MDX_IMPORT.test(line) || MDX_EXPORT.test(line))) {
      lines[i] = '';
      continue;
    }
    lines[i] = (options.mdx ? line.replace(JSX_TAG, '') : line)
      .replace(RAW, '').replace(REF, '$1').replace(FIGURE, (_, attrs: string) => figure(attrs));
  }
  // An unclosed highlight block is closed at the end, as an unclosed fence would be.
  if (highlight) lines.push('```');
  return lines.join('\n');
}
