// SQL as tagged templates: values become $n parameters, fragments nest. The text of a query
// depends only on its shape (which filters are present), never on the values, so each shape
// is one prepared statement per connection.
export class Sql {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}

  /** The text with $1…$n and the values in order, for node-postgres. */
  build(): { text: string; values: unknown[] } {
    const values: unknown[] = [];
    const text = this.render(values);
    return { text, values };
  }

  private render(values: unknown[]): string {
    let text = this.strings[0]!;
    this.values.forEach((value, i) => {
      if (value instanceof Sql) text += value.render(values);
      else {
        values.push(value);
        text += `$${values.length}`;
      }
      text += this.strings[i + 1]!;
    });
    return text;
  }
}

export const sql = (strings: TemplateStringsArray, ...values: unknown[]) => new Sql(strings, values);

/** Text taken as SQL, not a value: identifiers and keywords from the code, never a request. */
export const raw = (text: string) => new Sql([text], []);

export const empty = raw('');

export function join(parts: Sql[], separator: string): Sql {
  if (!parts.length) return empty;
  return new Sql(['', ...parts.slice(1).map(() => separator), ''], parts);
}
