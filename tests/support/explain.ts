// The plans PostgreSQL makes for the queries a read runs: the reader's queries are
// captured, then each is EXPLAINed with the same parameters.
import type { Reader } from '../../src/db/reader.js';
import type { Sql } from '../../src/db/sql.js';

export async function plansOf(reader: Reader, run: (reader: Reader) => Promise<unknown>): Promise<string[]> {
  const captured: Sql[] = [];
  const spy: Reader = { ...reader, query: <T>(q: Sql) => (captured.push(q), reader.query<T>(q)) };
  await run(spy);
  const plans: string[] = [];
  for (const q of captured) {
    const { text, values } = q.build();
    const { rows } = await reader.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values);
    plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
  }
  return plans;
}
