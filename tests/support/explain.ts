// The plans PostgreSQL makes for the queries a function runs: the function's raw queries
// are captured, then each is EXPLAINed with the same parameters.
import type { Db } from '../../src/db/client.js';
import { Prisma } from '../../src/generated/prisma/client.js';

export async function plansOf(db: Db, run: (db: Db) => Promise<unknown>): Promise<string[]> {
  const captured: Prisma.Sql[] = [];
  const spy = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === '$queryRaw') {
        return (strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => {
          captured.push(strings instanceof Prisma.Sql ? strings : Prisma.sql(strings, ...values));
          return target.$queryRaw(strings, ...values);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  await run(spy);
  const plans: string[] = [];
  for (const q of captured) {
    const rows = await db.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${q.text}`, ...q.values);
    plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
  }
  return plans;
}
