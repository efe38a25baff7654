import { describe, expect, it } from 'vitest';
import { render } from '../../src/importer/render.js';
import { preprocess } from '../../src/importer/transforms.js';
import { expectSafeHtml } from '../support/html.js';

const md = (body: string) => preprocess(body, { mdx: false }).markdown;
const mdx = (body: string) => preprocess(body, { mdx: true }).markdown;
const notes = (body: string, isMdx = false) => preprocess(body, { mdx: isMdx, bodyLine: 10 }).notes;

describe('preprocess', () => {
  it('turns Liquid and Hugo highlight blocks into fenced code', () => {
    expect(md('{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}')).toBe('```ruby\nputs 1\n```');
    expect(md('{{< highlight go "linenos=table" >}}\nx()\n{{< /highlight >}}')).toBe('```go\nx()\n```');
    expect(md('{% highlight js %}\nunclosed()')).toBe('```js\nunclosed()\n```');
    // Eleventy's plugin, from Nunjucks: the language quoted.
    expect(md('{% highlight "bash" %}\n# a comment\nls\n{% endhighlight %}')).toBe('```bash\n# a comment\nls\n```');
    expect(md("{%- highlight 'js' 2,3 -%}\nx\n{%- endhighlight -%}")).toBe('```js\nx\n```');
  });

  it('reports components in .md files too, keeps their content, and leaves inline code alone', () => {
    const body = '<Intro>\nHello `Vec<T>` and List<T>.\n</Intro>\n<Note type="tip">x</Note> <Note>y</Note>\n<YouTube id="a" />';
    expect(md(body)).toBe('\nHello `Vec<T>` and List.\n\nx y\n');
    expect(notes(body)).toEqual([
      { line: 10, message: 'component <Intro> was removed (its content is kept)' },
      { line: 11, message: 'component <T> was removed (its content is kept)' },
      { line: 12, message: 'component <Intro> was removed (its content is kept)' },
      { line: 13, message: 'component <Note> was removed (its content is kept)' },
      { line: 14, message: 'component <YouTube /> was removed (Quire does not run components)' },
    ]);
  });

  it('drops MDX comments, on one line or several, but not one ending a heading (its id)', () => {
    expect(mdx('a {/* note */} b\n{/* one\ntwo */} c\n## Title {/*title*/}')).toBe('a  b\n\n c\n## Title {/*title*/}');
  });

  it("reads a footnote's text indented under an empty [^1]: line as its text", () => {
    expect(md('x[^1]\n\n[^1]:\n  First line,\n  second.\n\n  More.\n\nAfter.')).toBe(
      'x[^1]\n\n[^1]:\n    First line,\n    second.\n\n    More.\n\nAfter.',
    );
    const html = render(md('x[^1]\n\n[^1]:\n  The note\n  goes on.\n\nAfter.')).html;
    expect(html).toContain('<li id="fn1" class="footnote-item"><p>The note\ngoes on.');
    expect(html).toContain('<p>After.</p>');
  });

  it('drops raw markers and comments, keeping the line count', () => {
    const body = 'a {% raw %}{{ x }}{% endraw %}\n{% comment %}\nhidden\n{% endcomment %}\nz';
    const out = md(body);
    expect(out).toBe('a {{ x }}\n\n\n\nz');
    expect(out.split('\n')).toHaveLength(body.split('\n').length);
  });

  it('turns Hugo figures into <figure>, refs and post_url into post references, embeds into links', () => {
    expect(md('{{< figure src="/a.png" alt="A" caption="Cap <b>" >}}')).toBe(
      '<figure><img src="/a.png" alt="A"><figcaption>Cap &lt;b></figcaption></figure>',
    );
    // Raw-string values (backticks) and attributes Quire does not use, as themes write them.
    expect(md('{{< figure class="wide" src="p.png" attr="By us" attrlink=`https://x.example/?a=1` >}}')).toBe(
      '<figure><img src="p.png" alt=""></figure>',
    );
    expect(md('[x]({{< ref "other.md" >}}) [y]({{< relref "/blog/y" >}})')).toBe('[x](quire-ref:ref/other.md) [y](quire-ref:ref//blog/y)');
    expect(md('[z]({% post_url 2010-07-21-name %}) [w]({% link _posts/2011-01-01-w.md %})')).toBe(
      '[z](quire-ref:post_url/2010-07-21-name) [w](quire-ref:file/_posts/2011-01-01-w.md)',
    );
    expect(md('{{< youtube abc >}} and ![i]({{ site.baseurl }}/i.png)')).toBe(
      '[YouTube video](https://www.youtube.com/watch?v=abc) and ![i](/i.png)',
    );
    expect(notes('{{< youtube abc >}} [z]({% post_url x %})')).toEqual([]);
  });

  it("leaves other shortcodes and Liquid as literal text, and says so with the file's line", () => {
    expect(md('{{< tweet 1 >}} and {{ page.x }}\n{% include note.html %}')).toBe(
      '{{< tweet 1 >}} and {{ page.x }}\n{% include note.html %}',
    );
    expect(notes('{{< tweet 1 >}} and {{ page.x }}\n{% include note.html %}')).toEqual([
      { line: 10, message: 'Hugo shortcode {{< tweet >}} is not supported and is shown as text' },
      { line: 10, message: 'Liquid output {{ page.x }} is not supported and is shown as text' },
      { line: 11, message: 'Liquid tag {% include %} is not supported and is shown as text' },
    ]);
    // Not in inline code, nor inside {% raw %}, nor in fences.
    expect(notes('`{{ x }}` and {% raw %}{{ y }}{% endraw %}\n```\n{{ z }}\n```')).toEqual([]);
    expect(notes('<Chart a={1}>x</Chart>', true)).toEqual([
      { line: 10, message: 'MDX component <Chart> was removed (its content is kept)' },
    ]);
  });

  it('never touches code fences, of any length', () => {
    const body = '````md\n{% highlight x %}\n```\n{{< figure src="a" >}}\n```\n````';
    expect(md(body)).toBe(body);
  });

  it('removes MDX imports, exports and component tags, keeping their content', () => {
    const out = mdx(
      "import Chart from '../Chart'\nexport const meta = {}\n\n<Chart data={[1, {a: 2}]} onClick={() => go()}>Caption</Chart>\n<Note />",
    );
    expect(out).toBe('\n\n\nCaption\n');
  });

  it('leaves "import" sentences alone in plain Markdown', () => {
    expect(md("import the data from 'x' first")).toBe("import the data from 'x' first");
  });
});

describe('rendering what other generators leave', () => {
  it.each([
    ['Liquid tags', '{% include note.html %}\n{{ page.title | upcase }}'],
    ['Hugo shortcodes', '{{< tweet 123 >}}\n{{% notice info %}}x{{% /notice %}}'],
    ['JSX', '<Tabs><Tab label="a">x</Tab></Tabs>\n{props.children}'],
    ['unbalanced HTML', '<div><span>open\n\n<table><td>x'],
    ['nested fences', '````md\n```js\nx\n```\n````'],
    ['a huge table', `| a | b |\n|---|---|\n${'| 1 | 2 |\n'.repeat(5000)}`],
  ])('never crashes on %s, and leaves no script', (_, body) => {
    const { html } = render(preprocess(body, { mdx: true }).markdown);
    expect(typeof html).toBe('string');
    expectSafeHtml(html);
  });
});
