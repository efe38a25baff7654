import { describe, expect, it } from 'vitest';
import { countWords, droppedHtml, render } from '../../src/importer/render.js';
import { expectSafeHtml } from '../support/html.js';

describe('render', () => {
  it('keeps code fences with their language class, and gives headings ids', () => {
    const r = render('## Hello World\n\n```python\nprint("hi")\n```\n');
    expect(r.html).toContain('<h2 id="hello-world">Hello World</h2>');
    expect(r.html).toContain('<code class="language-python">print("hi")\n</code>');
    expect(r.toc).toEqual([{ depth: 2, text: 'Hello World', id: 'hello-world' }]);
  });

  it('removes scripts, event handlers and javascript: URLs from raw HTML', () => {
    const r = render(
      '<script>alert(1)</script>\n\n<img src="x.png" onerror="alert(2)">\n\n[a](javascript:alert(3))\n\n' +
        '<a href="JaVaScRiPt:alert(4)">b</a> <svg onload=alert(5)></svg> <iframe src="x"></iframe>\n\n' +
        '![i](javascript:alert(6)) <a href="data:text/html,x">d</a> <input type="text" onfocus="x()">\n',
    );
    expectSafeHtml(r.html);
    expect(r.html).not.toContain('alert(1)');
    expect(r.html).toContain('<img src="x.png" />');
    expect(r.html).toContain('<a>b</a>');
  });

  it('renders GFM tables, task lists and footnotes', () => {
    const r = render('| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\nNote[^1]\n\n[^1]: The note.\n');
    expect(r.html).toContain('<table>');
    expect(r.html).toContain(
      '<li class="task-list-item"><input class="task-list-item-checkbox" checked disabled type="checkbox" /> done</li>',
    );
    expect(r.html).toContain('<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>');
    expect(r.html).toContain('<li id="fn1" class="footnote-item"><p>The note.');
  });

  it('keeps GitHub-style heading ids, distinct when headings repeat, and leaves footnote headings out of the toc', () => {
    const r = render('## Async/Await\n\n## Async/Await\n\n> ## quoted\n');
    expect(r.toc).toEqual([
      { depth: 2, text: 'Async/Await', id: 'asyncawait' },
      { depth: 2, text: 'Async/Await', id: 'asyncawait-1' },
    ]);
  });

  it("takes ids written in the source ({#id}, {: #id}, \\{#id\\}, {/*id*/}, {/* #id */}) as the heading's id, never as text", () => {
    const r = render(
      "## What's new {/*whats-new*/}\n\n## Intro {#intro .lead}\n\n### Esc \\{#esc\\}\n\n## Other {: #other}\n\n## B {/* #b-id */}\n\n## Intro\n\n## Set {a, b}\n",
    );
    expect(r.toc).toEqual([
      { depth: 2, text: "What's new", id: 'whats-new' },
      { depth: 2, text: 'Intro', id: 'intro' },
      { depth: 3, text: 'Esc', id: 'esc' },
      { depth: 2, text: 'Other', id: 'other' },
      { depth: 2, text: 'B', id: 'b-id' },
      // Made from its text, and not the id another heading was given.
      { depth: 2, text: 'Intro', id: 'intro-1' },
      { depth: 2, text: 'Set {a, b}', id: 'set-a-b' },
    ]);
    expect(r.html).toContain('<h2 id="whats-new">What\'s new</h2>');
    expect(r.html).not.toMatch(/<em>|\{#|\/\*/);
  });

  it('keeps <iframe> embeds from the allowed hosts, sandboxed, and drops the others', () => {
    const hosts = ['youtube-nocookie.com', 'player.vimeo.com'];
    const body =
      '<iframe src="https://www.youtube-nocookie.com/embed/abc" width="560" allow="camera" onload="x()"></iframe>\n\n' +
      '<iframe src="https://evil.example/x"></iframe>\n\n<iframe src="/local.html"></iframe>\n\n<script>alert(1)</script>\n';
    const { html } = render(body, {}, undefined, { embedHosts: hosts });
    expect(html).toContain(
      '<iframe src="https://www.youtube-nocookie.com/embed/abc" width="560" sandbox="allow-scripts allow-same-origin allow-popups allow-presentation" loading="lazy" referrerpolicy="strict-origin-when-cross-origin"></iframe>',
    );
    expect(html).not.toMatch(/evil|local\.html|camera|onload|alert/);
    expect(render(body).html).not.toContain('<iframe');
    expect(droppedHtml(body, hosts)).toEqual([
      { line: 3, message: '<iframe> from evil.example was removed: the host is not in QUIRE_EMBED_HOSTS' },
      { line: 5, message: '<iframe> without an absolute http(s) src was removed' },
      { line: 7, message: '<script> was removed (Quire serves no scripts)' },
    ]);
    expect(droppedHtml('```html\n<script>x</script>\n```\n\n`<iframe>`\n', hosts)).toEqual([]);
  });

  it('renders a 3 MB article', () => {
    const chunk = '## Part\n\nSome **bold** text with a [link](https://e.x) and `code`.\n\n```js\nx()\n```\n\n';
    const r = render(chunk.repeat(Math.ceil(3_000_000 / chunk.length)));
    expect(r.toc.length).toBeGreaterThan(30_000);
    expect(r.html.length).toBeGreaterThan(3_000_000);
  });

  it('takes the excerpt from the first paragraph, or from before <!--more-->', () => {
    expect(render('# T\n\nFirst *para*.\n\nSecond.').excerpt).toBe('First para.');
    expect(render('Intro one.\n\nIntro two.\n\n<!-- more -->\n\nRest.').excerpt).toBe('Intro one. Intro two.');
  });

  it('counts words and rounds reading time up to at least a minute', () => {
    expect(countWords("It's a well-known fact: 42 words?")).toBe(6);
    const long = render(`${'word '.repeat(1100)}\n`);
    expect(long.wordCount).toBe(1100);
    expect(long.readingMinutes).toBe(5);
    expect(render('one').readingMinutes).toBe(1);
  });
});
