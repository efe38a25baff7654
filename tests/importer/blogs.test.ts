// Real blogs' habits, from hand-written fixture sites in tests/fixtures/blogs.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importDir } from '../support/content.js';
import { expectSafeHtml } from '../support/html.js';
import { useTestDatabase } from '../support/postgres.js';

const t = useTestDatabase({ truncate: true });

const site = (name: string) => fileURLToPath(new URL(`../fixtures/blogs/${name}`, import.meta.url));

async function postOf(slug: string, lang = 'en') {
  return t.db.post.findFirstOrThrow({
    where: { slug, lang },
    include: {
      tags: { orderBy: { position: 'asc' }, include: { tag: true } },
      categories: { orderBy: { position: 'asc' }, include: { category: true } },
      authors: { orderBy: { position: 'asc' }, include: { author: true } },
    },
  });
}
const names = (rows: { tag?: { name: string }; category?: { name: string } }[]) => rows.map((r) => (r.tag ?? r.category)!.name);

describe('a Jekyll site', () => {
  it('imports posts at their Jekyll permalinks, drafts, published: false, and pages', async () => {
    const s = await importDir(t.db, site('jekyll'));
    expect(s.created.map((c) => [c.kind, c.slug, c.path]).sort()).toEqual([
      ['page', 'about', '/about/'],
      ['post', 'hello-world', '/jekyll/update/2013/11/22/hello-world/'],
      ['post', 'published-false', '/published-false/'],
      ['post', 'second', '/2019/2014/01/05/second/'],
      ['post', 'unfinished', '/2014/02/01/unfinished/'],
    ]);
    expect(s.skipped).toEqual([]);
    expect(s.warnings).toEqual([
      {
        code: 'broken-link',
        file: '_posts/2013-11-22-hello-world.md',
        line: 17,
        message: 'link /posts/no-such-post points at no document',
      },
    ]);
    expect((await postOf('unfinished')).draft).toBe(true);
    expect((await postOf('published-false')).draft).toBe(true);
  });

  it('reads Jekyll dates, numeric titles, folded excerpts, space-separated categories and Markdown-link authors', async () => {
    await importDir(t.db, site('jekyll'));
    const p = await postOf('hello-world');
    expect(p.title).toBe('2013');
    expect(p.publishedAt?.toISOString()).toBe('2013-11-22T05:00:00.000Z');
    expect(p.description).toBe('A folded description over three lines.');
    expect(names(p.categories)).toEqual(['jekyll', 'update']);
    expect(names(p.tags)).toEqual(['ruby', 'static sites']);
    expect(p.authors.map((a) => [a.author.name, a.author.url])).toEqual([['Tom Preston', 'https://tom.example.com']]);
    expect(p.aliases).toEqual(['/2013/11/22/old-hello.html']);
    expect(p.extra).toEqual({ layout: 'post' });
  });

  it('renders Liquid highlight blocks as code, drops raw and comment tags, and links files to posts', async () => {
    await importDir(t.db, site('jekyll'));
    const { html } = await postOf('hello-world');
    expect(html).toContain('<pre><code class="language-ruby">def print_hi(name)');
    expect(html).toContain('<p>{{ page.title }} is Liquid.</p>');
    expect(html).not.toContain('not shown');
    expect(html).toContain('<a href="/2019/2014/01/05/second/">the other post</a>');
  });

  it('reads a file with a BOM and CRLF endings, an integer category and authors as a list', async () => {
    await importDir(t.db, site('jekyll'));
    const p = await postOf('second');
    expect(p.title).toBe('Second, with CRLF and a BOM');
    expect(p.publishedAt?.toISOString()).toBe('2014-01-05T00:00:00.000Z');
    expect(names(p.categories)).toEqual(['2019']);
    expect(p.authors.map((a) => a.author.name)).toEqual(['Ada Lovelace', 'Grace Hopper']);
    expect(p.html).toContain('<pre><code class="language-markdown">```js\nnested()\n```\n</code></pre>');
  });
});

describe('a Hugo site', () => {
  it('imports TOML and JSON front matter, page bundles and three languages of one slug; skips _index', async () => {
    const s = await importDir(t.db, site('hugo/content'));
    expect(s.created.map((c) => `${c.lang} ${c.slug} ${c.path}`).sort()).toEqual([
      'en bundle-post /posts/bundle-post/',
      'en multilingual /posts/multilingual/',
      'en toml-post /posts/toml-post/',
      'fr multilingual /fr/posts/multilingual/',
      'ja multilingual /ja/posts/multilingual/',
    ]);
    expect(s.skipped).toEqual([{ file: '_index.md', reason: 'a section listing page (_index)' }]);
    // The fixture site has no static folder: its images are reported, never a failure.
    expect(s.warnings.map((w) => [w.code, w.file])).toEqual([
      // The <script> in its body is removed, and said so.
      ['removed-html', 'posts/bundle-post/index.md'],
      ['missing-media', 'posts/bundle-post/index.md'],
      ['missing-media', 'posts/toml-post.md'],
      ['missing-media', 'posts/toml-post.md'],
    ]);
    expect((await postOf('multilingual', 'ja')).tags.map((x) => x.tag.slug)).toEqual(['日本語']);
  });

  it('reads TOML dates with offsets, lastmod, summary, aliases and a cover table', async () => {
    await importDir(t.db, site('hugo/content'));
    const p = await postOf('toml-post');
    expect(p.publishedAt?.toISOString()).toBe('2020-06-01T06:30:00.000Z');
    expect(p.updatedAt?.toISOString()).toBe('2020-06-02T00:00:00.000Z');
    expect(p.description).toBe('A Hugo post in TOML.');
    expect(p.image).toBe('/images/cover.png');
    expect(p.aliases).toEqual(['/old/toml-post/']);
    expect(names(p.categories)).toEqual(['Web Dev']);
    expect(p.extra).toEqual({ weight: 10 });
    expect(p.html).toContain('<figure><img src="/images/a.png" alt="" /><figcaption>A figure</figcaption></figure>');
    expect(p.html).toContain('<code class="language-go">fmt.Println("hi")');
    expect(p.html).toContain('<a href="/posts/bundle-post/">the bundle</a>');
    expect(p.html).toContain('<a href="https://www.youtube.com/watch?v=abc123">YouTube video</a>');
  });

  it('reads JSON front matter with a capitalized key, and strips a script from the body', async () => {
    await importDir(t.db, site('hugo/content'));
    const p = await postOf('bundle-post');
    expect(names(p.tags)).toEqual(['json', 'bundles']);
    expect(p.image).toBe('cover.jpg');
    expect(p.extra).toEqual({ series: 'formats' });
    expectSafeHtml(p.html);
    expect(p.html).not.toContain('alert');
  });
});

describe('a Zola site with MDX', () => {
  it('takes slug and date from a path key, tags from [taxonomies], and strips MDX syntax', async () => {
    const s = await importDir(t.db, site('zola/content'));
    expect(s.created.map((c) => [c.slug, c.path]).sort()).toEqual([
      ['conf-lineup', '/2016/07/25/conf-lineup/'],
      ['mdx-post', '/blog/mdx-post/'],
    ]);
    expect(s.warnings).toContainEqual(
      expect.objectContaining({
        code: 'shortcode',
        file: 'blog/mdx-post.mdx',
        line: 12,
        message: 'MDX component <Chart> was removed (its content is kept)',
      }),
    );
    const conf = await postOf('conf-lineup');
    expect(conf.publishedAt?.toISOString()).toBe('2016-07-25T00:00:00.000Z');
    expect(names(conf.tags)).toEqual(['events']);
    const mdx = await postOf('mdx-post');
    expect(mdx.publishedAt?.toISOString()).toBe('2024-05-20T00:00:00.000Z');
    expect(mdx.image).toBe('/img/mdx.png');
    expect(mdx.html.trim()).toBe('<h1 id="heading">Heading</h1>\n<p>Chart caption</p>\n<p>Text after.</p>');
  });
});
