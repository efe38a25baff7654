import { expect } from 'vitest';

/**
 * The XSS properties of served HTML: no script-capable element, no event-handler attribute,
 * no javascript:, vbscript: or data: URL in an attribute. Escaped text may mention them.
 */
export function expectSafeHtml(html: string): void {
  const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
  expect(html).not.toMatch(/<(script|iframe|object|embed|style|svg|math|form|base|meta|link)\b/i);
  for (const tag of tags) {
    expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
    expect(tag).not.toMatch(/=\s*["']?\s*(javascript|vbscript|data):/i);
  }
}
