import { describe, expect, it } from 'vitest';
import { countWords, render } from '../../src/importer/render.js';

describe('render', () => {
  it('keeps code fences with their language class, and gives headings ids', () => {
    const r = render('## Hello World\n\n```python\nprint("hi")\n```\n');
    expect(r.html).toContain('<h2 id="hello-world">Hello World</h2>');
    expect(r.html).toContain('<code class="language-python">print("hi")\n</code>');
    expect(r.toc).toEqual([{ depth: 2, text: 'Hello World', id: 'hello-world' }]);
  });

  it('removes scripts, event handlers and javascript: URLs from raw HTML', () => {
    const r = render(
      '<script>alert(1)</script>\n\n<img src="x.png" onerror="alert(2)">\n\n[a](javascript:alert(3))\n\n<a href="javascript:alert(4)">b</a>\n',
    );
    expect(r.html).not.toMatch(/<script|onerror|javascript:|alert/i);
    expect(r.html).toContain('<img src="x.png">');
  });

  it('renders GFM tables, task lists and footnotes', () => {
    const r = render('| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\nNote[^1]\n\n[^1]: The note.\n');
    expect(r.html).toContain('<table>');
    expect(r.html).toMatch(/<input type="checkbox" checked disabled>/);
    expect(r.html).toContain('href="#user-content-fn-1"');
    expect(r.html).toContain('id="user-content-fn-1"');
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
