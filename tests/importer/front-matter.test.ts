import { describe, expect, it } from 'vitest';
import { splitFrontMatter } from '../../src/importer/front-matter.js';
import { decodeSource } from '../../src/importer/source.js';

function parsed(text: string) {
  const r = splitFrontMatter('a.md', text);
  if (!r.ok) throw new Error(`expected front matter, got ${JSON.stringify(r.problems)}`);
  return r;
}

function problems(text: string) {
  const r = splitFrontMatter('a.md', text);
  if (r.ok) throw new Error('expected problems');
  return r.problems;
}

describe('splitFrontMatter', () => {
  it('reads YAML between --- lines, with the line of each key and of the body', () => {
    const r = parsed('---\ntitle: Hello\ndate: 2024-05-20\n---\n\nBody\n');
    expect(r).toMatchObject({ format: 'yaml', data: { title: 'Hello', date: '2024-05-20' }, bodyLine: 6 });
    expect(r.body).toBe('Body\n');
    expect([r.lineOf('title'), r.lineOf('date'), r.lineOf('nope')]).toEqual([2, 3, undefined]);
  });

  it('reads TOML between +++ lines, with native dates', () => {
    const r = parsed('+++\ntitle = "T"\ndate = 2020-06-01T08:30:00+02:00\n[cover]\nimage = "c.png"\n+++\nBody');
    expect(r.format).toBe('toml');
    expect(r.data.title).toBe('T');
    expect((r.data.date as Date).getTime()).toBe(Date.parse('2020-06-01T06:30:00Z'));
    expect(r.data.cover).toEqual({ image: 'c.png' });
    expect(r.lineOf('date')).toBe(3);
    expect(r.body).toBe('Body');
  });

  it('reads a JSON object at the top of the file (Hugo), braces inside strings included', () => {
    const r = parsed('{\n  "title": "A {b} c",\n  "date": "2021-01-15"\n}\n\nBody');
    expect(r).toMatchObject({ format: 'json', data: { title: 'A {b} c', date: '2021-01-15' } });
    expect(r.lineOf('date')).toBe(3);
    expect(r.body).toBe('\nBody');
    expect(r.bodyLine).toBe(5);
  });

  it('takes a language after the opening dashes (---toml, ---json)', () => {
    expect(parsed('---toml\ntitle = "T"\n---\n').data).toEqual({ title: 'T' });
    expect(parsed('---json\n{"title": "J"}\n---\n').data).toEqual({ title: 'J' });
  });

  it.each([
    ['YAML', '---\ntitle: ok\ntags: [a, b\n---\n', /invalid YAML/, 3],
    ['TOML', '+++\ntitle = "ok"\ndate = \n+++\n', /invalid TOML/, 3],
    ['JSON', '{\n "title": "x",\n}\nBody', /invalid JSON/, 3],
  ])('reports invalid %s with its line', (_, text, message, line) => {
    const [p] = problems(text);
    expect(p!.message).toMatch(message);
    expect(p!.line).toBe(line);
  });

  it.each([
    [
      'an unclosed double quote',
      '---\ntitle: "Unclosed\ndate: 2024-01-01\ntags: [a]\n---\n',
      2,
      'title',
      /quote \("\) that is never closed/,
    ],
    [
      'an unclosed single quote',
      "---\ntitle: ok\nsummary: 'it is\ndate: 2024-01-01\n---\n",
      3,
      'summary',
      /quote \('\) that is never closed/,
    ],
    [
      'a colon in a plain value',
      '---\ntitle: Rust: a language\ndate: 2024-01-01\n---\n',
      2,
      'title',
      /colon followed by a space.*in quotes/,
    ],
    ['an unclosed list', '---\ntitle: ok\ntags: [a, b\ndate: 2024-01-01\n---\n', 3, 'tags', /never closed with \]/],
    ['a tab as indentation', '---\ntitle: ok\n\tdate: 2024-01-01\n---\n', 3, 'date', /tab/],
    ['a leading @', '---\ntitle: ok\nauthor: @me\n---\n', 3, 'author', /in quotes/],
    ['text after a closing quote', '---\ntitle: "a" b\n---\n', 2, 'title', /after the closing quote/],
    ['a line that continues nothing', '---\ntitle: ok\ndescription: runs\non here\ndate: 2024-01-01\n---\n', 4, 'description', /indent it/],
  ])('names the line and key of a YAML mistake, in plain words: %s', (_, text, line, field, message) => {
    const [p] = problems(text);
    expect(p).toMatchObject({ line, field });
    expect(p!.message).toMatch(message);
    // Not the parser's words ("Missing closing", "compact mappings", "at line 4").
    expect(p!.message).not.toMatch(/Missing closing|compact mapping|at line \d/);
  });

  it("reads front matter after blank lines and white space, as Hugo does, counting lines from the file's first", () => {
    const r = parsed('\n  \n---\ntitle: Late\ndate: 2024-05-20\n---\nBody\n');
    expect(r).toMatchObject({ format: 'yaml', data: { title: 'Late', date: '2024-05-20' }, body: 'Body\n', bodyLine: 7 });
    expect(r.lineOf('date')).toBe(5);
    expect(parsed('\n+++\ntitle = "T"\n+++\nBody').data).toEqual({ title: 'T' });
    expect(problems('\n\n---\ntitle: "open\n---\n')[0]).toMatchObject({ line: 4, field: 'title' });
  });

  it('does not take a Liquid tag opening a file for JSON front matter', () => {
    expect(parsed('{% include note.html %}\nText\n')).toMatchObject({ format: 'none' });
  });

  it('refuses JSON front matter that is never closed', () => {
    expect(problems('{\n "title": "x"\n\nBody')[0]!.message).toMatch(/never closed/);
  });

  it('refuses front matter that is not a mapping', () => {
    expect(problems('---\n- a\n- b\n---\n')[0]!.message).toMatch(/mapping/);
  });

  it('never evaluates JavaScript front matter', () => {
    const marker = '__quire_js_front_matter_ran__';
    const [p] = problems(`---js\n{ title: (globalThis.${marker} = true, "x") }\n---\n`);
    expect(p!.message).toMatch(/JavaScript front matter is not supported/);
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
  });

  it('says when a file has none', () => {
    expect(parsed('# Just markdown\n')).toMatchObject({ format: 'none', data: {}, bodyLine: 1 });
  });
});

describe('decodeSource', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);

  it('drops a byte-order mark and makes CRLF and CR line endings LF', () => {
    const r = decodeSource('a.md', bytes('\uFEFF---\r\ntitle: T\r\n---\rBody\r\n'));
    expect(r.ok && r.file.text).toBe('---\ntitle: T\n---\nBody\n');
  });

  it('hashes the bytes, so an edit changes the hash and a copy does not', () => {
    const hash = (path: string, text: string) => {
      const r = decodeSource(path, bytes(text));
      return r.ok ? r.file.hash : '';
    };
    expect(hash('a.md', 'x')).toBe(hash('b.md', 'x'));
    expect(hash('a.md', 'x')).not.toBe(hash('a.md', 'x '));
  });

  it('refuses text that is not UTF-8, and binary files', () => {
    expect(decodeSource('a.md', Buffer.from('caf\xe9', 'latin1'))).toEqual({
      ok: false,
      problem: { file: 'a.md', message: 'is not valid UTF-8 text (save it as UTF-8)' },
    });
    expect(decodeSource('b.md', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]))).toMatchObject({ ok: false });
    expect(decodeSource('c.md', bytes('text\0more'))).toMatchObject({ ok: false, problem: { message: /binary/ } });
  });
});
