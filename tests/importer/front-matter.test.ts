import { describe, expect, it } from 'vitest';
import { parseFrontMatter } from '../../src/importer/front-matter.js';

function problems(text: string) {
  const r = parseFrontMatter('a.md', text);
  if (r.ok) throw new Error('expected problems');
  return r.problems;
}

describe('parseFrontMatter', () => {
  it('reads the fields, lists from YAML or a comma string, and keeps unknown keys', () => {
    const r = parseFrontMatter(
      'a.md',
      '---\ntitle: Hello\ndate: 2024-05-20\ntags: [a, b]\ncategories: "X, Y"\ncanonical: https://e.x/1\n---\nBody\n',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.title).toBe('Hello');
    expect(r.data.date.toISOString()).toBe('2024-05-20T00:00:00.000Z');
    expect(r.data.tags).toEqual(['a', 'b']);
    expect(r.data.categories).toEqual(['X', 'Y']);
    expect(r.extra).toEqual({ canonical: 'https://e.x/1' });
    expect(r.body.trim()).toBe('Body');
  });

  it('takes date-times with an offset, and without one as UTC', () => {
    const at = (d: string) => {
      const r = parseFrontMatter('a.md', `---\ntitle: T\ndate: ${d}\n---\n`);
      return r.ok ? r.data.date.toISOString() : r.problems[0]!.message;
    };
    expect(at('2024-05-20T10:00:00+02:00')).toBe('2024-05-20T08:00:00.000Z');
    expect(at('2024-05-20 10:00')).toBe('2024-05-20T10:00:00.000Z');
  });

  it('names the field and its line for each invalid value, all at once', () => {
    const found = problems('---\ntitle: Hi\ndate: 2024-13-45\ntags: 5\nslug: Bad Slug\n---\n');
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'a.md', field: 'date', line: 3 }),
        expect.objectContaining({ file: 'a.md', field: 'tags', line: 4 }),
        expect.objectContaining({ file: 'a.md', field: 'slug', line: 5 }),
      ]),
    );
    expect(found).toHaveLength(3);
  });

  it('refuses impossible calendar days instead of rolling them over', () => {
    expect(problems('---\ntitle: T\ndate: 2024-02-31\n---\n')[0]).toMatchObject({ field: 'date' });
  });

  it('requires a title and a date', () => {
    const found = problems('---\ndescription: only this\n---\n');
    expect(found.map((p) => p.field).sort()).toEqual(['date', 'title']);
  });

  it('reports YAML syntax errors with their line', () => {
    const [p] = problems('---\ntitle: ok\ntags: [a, b\n---\n');
    expect(p).toMatchObject({ file: 'a.md' });
    expect(p!.message).toMatch(/invalid YAML/);
    expect(p!.line).toBeGreaterThanOrEqual(3);
  });

  it('never evaluates JavaScript front matter', () => {
    const marker = '__quire_js_front_matter_ran__';
    const [p] = problems(`---js\n{ title: (globalThis.${marker} = true, "x") }\n---\n`);
    expect(p!.message).toMatch(/JavaScript front matter is not supported/);
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
  });

  it('refuses a file without front matter', () => {
    expect(problems('# Just markdown\n')[0]!.message).toMatch(/no front matter/);
  });
});
