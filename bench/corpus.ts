// A generated blog in every front-matter habit Quire reads: YAML, TOML and JSON front
// matter, Jekyll names, Hugo bundles and shortcodes, Zola paths, MDX, several languages,
// CRLF and BOMs, drafts and scheduled posts, and bodies with code, tables, footnotes, raw
// HTML and links between posts. Deterministic for a seed: the same corpus every run.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

export interface CorpusStats {
  articles: number;
  /** Files that are not posts (section pages), which the importer skips. */
  sections: number;
  /** Public posts per language. */
  languages: Record<string, number>;
  drafts: number;
  scheduled: number;
  /** Distinct media files the articles use (many articles share one). */
  media: number;
}

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TECH = (
  'async await promise callback stream buffer queue cache index query schema migration render ' +
  'parse token lexer graph tree node edge vertex module package bundle compile runtime server ' +
  'client request response header cookie session thread process signal memory pointer vector ' +
  'matrix kernel driver socket packet route handler middleware plugin adapter factory builder ' +
  'observer iterator generator closure scope binding type interface class object array string'
).split(' ');
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'zen', 'pri', 'sol', 'dar', 'quin', 'bel', 'tor', 'ux', 'ash'];

/**
 * Words by frequency rank: a few hundred common ones, then thousands of rare ones, as in
 * real prose, so a search matches a realistic share of posts. VOCABULARY[i] is drawn with
 * probability falling as i grows.
 */
export const VOCABULARY = [
  ...TECH,
  ...Array.from({ length: 4000 }, (_, i) => {
    let word = '';
    for (let n = i + 1; n > 0; n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length];
    return word;
  }),
];
const TAGS = [
  'JavaScript',
  'javascript',
  'TypeScript',
  'Node.js',
  'C++',
  'C#',
  'Go',
  'Rust',
  'Python',
  'machine learning',
  'Web Dev',
  'devops',
  'databases',
  'PostgreSQL',
  'testing',
  'performance',
  'security',
  'Café',
  'Zürich',
  '日本語',
  'Привет',
  'css',
  'html',
  'react',
  'vue',
  'svelte',
  'astro',
  'hugo',
  'jekyll',
  'zola',
  ...Array.from({ length: 170 }, (_, i) => `topic ${i}`),
];
const CATEGORIES = ['Programming', 'Tutorials', 'News', 'Opinion', 'Release Notes', 'Deep Dives', 'Notes', '2019'];
const AUTHORS = ['Ada Lovelace', '[Grace Hopper](https://grace.example.com)', 'Alan Turing', 'Barbara Liskov'];
const LANGS = ['javascript', 'ts', 'python', 'go', 'rust', 'sql', 'bash', 'json'];

/** A small picture of its own (a gradient in one colour), as PNG or JPEG. */
export function picture(width: number, height: number, hue: number, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      pixels[o] = (hue * 37 + x * 4) % 256;
      pixels[o + 1] = (hue * 91 + y * 4) % 256;
      pixels[o + 2] = (x + y + hue * 13) % 256;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .toFormat(format)
    .toBuffer();
}

/** Covers and figures are shared by many posts, as real blogs share their images. */
const SHARED_IMAGES = 20;

export async function generateCorpus(dir: string, count: number, seed = 42): Promise<CorpusStats> {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  // rand()^3 favours the start of the vocabulary: the common words.
  const word = () => VOCABULARY[Math.floor(rand() ** 3 * VOCABULARY.length)]!;
  const words = (n: number) => Array.from({ length: n }, word).join(' ');
  const sentence = () => {
    const s = words(6 + Math.floor(rand() * 14));
    return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
  };
  const paragraph = () => Array.from({ length: 2 + Math.floor(rand() * 5) }, sentence).join(' ');
  const stats: CorpusStats = { articles: count, sections: 0, languages: {}, drafts: 0, scheduled: 0, media: 0 };
  const used = new Set<string>();
  const published: string[] = [];
  const files = new Map<string, string | Buffer>();
  // Every bundle has its own cover.jpg, with the same bytes: stored once.
  const bundleCover = await picture(96, 64, 7, 'jpeg');
  files.set('img/x.png', await picture(32, 32, 1));
  for (let n = 0; n < SHARED_IMAGES; n++) files.set(`img/cover-${n}.png`, await picture(120 + n * 8, 80, n));
  const day = (i: number) => new Date(Date.UTC(2010, 0, 1) + i * 86_400_000 * 0.7);
  const ymd = (d: Date) => d.toISOString().slice(0, 10);

  for (let i = 0; i < count; i++) {
    const slug = `${pick(TECH)}-${pick(TECH)}-${i}`;
    const title = `${sentence().slice(0, -1)} ${i}`;
    const date = day(i);
    const tags = Array.from({ length: Math.floor(rand() * 5) }, () => pick(TAGS));
    const category = pick(CATEGORIES);
    const style = i % 10;
    const draft = i % 97 === 13;
    const future = i % 89 === 7;
    const when = future ? new Date(Date.UTC(2999, 0, 1)) : date;
    const lang = style === 4 ? (i % 20 === 4 ? 'ja' : 'fr') : 'en';

    const body: string[] = [paragraph()];
    const sections = 1 + Math.floor(rand() * 6);
    for (let s = 0; s < sections; s++) {
      body.push(`## ${words(3)} ${s}`, paragraph());
      const extra = rand();
      if (extra < 0.25)
        body.push(`\`\`\`${pick(LANGS)}\nconst ${pick(TECH)} = await ${pick(TECH)}(${s});\nconsole.log(${pick(TECH)});\n\`\`\``);
      else if (extra < 0.35) body.push('| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n| x | y | z |');
      else if (extra < 0.45) body.push(`- [x] ${words(3)}\n- [ ] ${words(4)}`);
      else if (extra < 0.5) body.push(`Footnoted claim.[^${s}]\n\n[^${s}]: ${sentence()}`);
      else if (extra < 0.55) body.push(`<div class="note"><strong>${words(2)}</strong> <img src="/img/x.png" onerror="alert(1)"></div>`);
      else if (extra < 0.6) body.push(`> ${sentence()}\n> ${sentence()}`);
      if (published.length && lang === 'en' && rand() < 0.3) body.push(`See [an earlier post](/posts/${pick(published)}).`);
    }
    if (rand() < 0.1) body.splice(1, 0, '<!--more-->');
    if (style === 1 && rand() < 0.5) body.push(`{% highlight ruby %}\nputs "${words(2)}"\n{% endhighlight %}`);
    if (style === 2 && rand() < 0.5) body.push(`{{< figure src="/img/cover-${i % SHARED_IMAGES}.png" caption="${words(3)}" >}}`);
    if (rand() < 0.05) body.push(words(2000)); // a few long articles
    const md = body.join('\n\n') + '\n';
    const tagList = JSON.stringify([...new Set(tags)]);
    let file: string;
    let text: string;
    switch (style) {
      case 1: // Jekyll: date and slug in the file name, string lists, folded excerpt
        file = `_posts/${ymd(when)}-${slug}.md`;
        text = `---\nlayout: post\ntitle: "${title}"\ncategories: ${category.replace(/ /g, '-')} notes\ntags: ${tags.map((t) => t.replace(/,/g, '')).join(', ')}\nauthor: "${pick(AUTHORS).replace(/"/g, '\\"')}"\nexcerpt: >\n  ${words(8)}\n  ${words(8)}\n${draft ? 'published: false\n' : ''}---\n\n${md}`;
        break;
      case 2: // Hugo TOML with a cover table and aliases
        file = `posts/${slug}.md`;
        text = `+++\ntitle = "${title}"\ndate = ${when.toISOString()}\nlastmod = ${ymd(date)}\ndraft = ${draft}\ntags = ${tagList}\ncategories = ["${category}"]\nsummary = "${words(10)}"\naliases = ["/old/${slug}/"]\nweight = ${i}\n[cover]\nimage = "/img/cover-${i % SHARED_IMAGES}.png"\n+++\n\n${md}`;
        break;
      case 3: // Hugo JSON in a page bundle
        file = `bundles/${slug}/index.md`;
        text = `${JSON.stringify({ title, date: when.toISOString(), Tags: tags.join(', '), draft, featured_image: 'cover.jpg', series: pick(TECH) }, null, 2)}\n\n${md}`;
        files.set(`bundles/${slug}/cover.jpg`, bundleCover);
        break;
      case 4: // another language, by folder or by file name suffix
        file = lang === 'ja' ? `ja/posts/${slug}.md` : `posts/${slug}.fr.md`;
        text = `---\ntitle: "${title}"\ndate: ${ymd(when)}\ndraft: ${draft}\ntags: ${tagList}\n---\n\n${md}`;
        break;
      case 5: // Windows line endings and a byte-order mark
        file = `windows/${slug}.md`;
        text =
          `\uFEFF---\ntitle: "${title}"\ndate: ${ymd(when)} 5:00:00 +0000\ndraft: ${draft}\ncategories: [${category}]\n---\n\n${md}`.replace(
            /\n/g,
            '\r\n',
          );
        break;
      case 6: // MDX
        file = `mdx/${slug}.mdx`;
        text = `---\ntitle: "${title}"\npubDate: ${ymd(when)}\ndraft: ${draft}\ncover:\n  src: /img/cover-${i % SHARED_IMAGES}.png\n---\nimport Note from '../components/Note'\n\n<Note kind="info">${words(5)}</Note>\n\n${md}`;
        break;
      case 7: // Zola: date and slug in a path key, tags in [taxonomies]
        file = `zola/${i}.md`;
        text = `+++\ntitle = "${title}"\npath = "${ymd(when).replace(/-/g, '/')}/${slug}"\ndraft = ${draft}\n[taxonomies]\ntags = ${tagList}\n+++\n\n${md}`;
        break;
      default: // plain YAML with every common field
        file = `posts/${slug}.md`;
        text = `---\ntitle: "${title}"\nslug: ${slug}\ndate: ${when.toISOString()}\ndescription: "${words(12)}"\ntags: ${tagList}\ncategories: [${category}]\nauthors: ["${pick(AUTHORS).replace(/"/g, '\\"')}"]\ndraft: ${draft}\ncanonical: https://example.com/${slug}\n---\n\n${md}`;
    }
    files.set(file, text);
    for (const m of text.matchAll(/\/img\/[\w.-]+\.png/g)) used.add(m[0]);
    if (style === 3) used.add('cover.jpg');
    if (draft) stats.drafts++;
    else if (future) stats.scheduled++;
    else {
      stats.languages[lang] = (stats.languages[lang] ?? 0) + 1;
      if (lang === 'en' && style !== 7 && style !== 1) published.push(slug);
    }
    if (i % 1000 === 0) {
      files.set(`section-${i}/_index.md`, `+++\ntitle = "Section ${i}"\n+++\nA listing page.\n`);
      stats.sections++;
    }
  }
  stats.media = used.size;
  for (const [file, text] of files) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return stats;
}
