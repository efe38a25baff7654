// The pg adapter the schema engine drives, mended for the engine's catalog queries.
import { PrismaPg } from '@prisma/adapter-pg';
import { ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQueryable, SqlResultSet } from '@prisma/driver-adapter-utils';
import pg from 'pg';

const PG_CHAR = 18; // the one-byte "char" type of pg_catalog (relkind, contype, ...)
const PG_TEXT = 25;
const CHAR_MARK = '\u0000char';

type FieldLike = { name: string; dataTypeID: number };
type ResultLike = { fields?: FieldLike[] };
type Callback = (err: Error | null, res?: ResultLike | ResultLike[]) => void;

function markChars<T extends ResultLike | ResultLike[] | undefined>(res: T): T {
  const results: (ResultLike | undefined)[] = Array.isArray(res) ? res : [res];
  for (const r of results) {
    for (const f of r?.fields ?? []) {
      if (f.dataTypeID === PG_CHAR) Object.assign(f, { dataTypeID: PG_TEXT, name: f.name + CHAR_MARK });
    }
  }
  return res;
}

/**
 * The engine describes a schema with catalog queries that return "char" columns, a type
 * @prisma/adapter-pg 7 refuses ("Column type 'char' could not be deserialized"), which
 * breaks every diff that reads a database. This client hands such columns to the adapter
 * as text, marked by name; `mend` below reports them to the engine as characters.
 */
class CatalogClient extends pg.Client {
  override query(...args: unknown[]): never {
    const i = args.findIndex((a) => typeof a === 'function');
    if (i >= 0) {
      const cb = args[i] as Callback;
      args[i] = (err: Error | null, res?: ResultLike) => cb(err, markChars(res));
    }
    const out = (super.query as (...a: unknown[]) => unknown)(...args);
    return (out instanceof Promise ? out.then(markChars) : out) as never;
  }
}

function unmarkChars(rs: SqlResultSet): SqlResultSet {
  rs.columnNames.forEach((name, i) => {
    if (!name.endsWith(CHAR_MARK)) return;
    rs.columnNames[i] = name.slice(0, -CHAR_MARK.length);
    rs.columnTypes[i] = ColumnTypeEnum.Character;
  });
  return rs;
}

function mend<T extends SqlQueryable>(q: T): T {
  const queryRaw = q.queryRaw.bind(q);
  q.queryRaw = async (query) => unmarkChars(await queryRaw(query));
  return q;
}

function mendAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const start = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (level) => mend(await start(level));
  return mend(adapter);
}

function pgFactory(url: string): PrismaPg {
  const pool = new pg.Pool({ connectionString: url, max: 1, Client: CatalogClient });
  return new PrismaPg(pool, { disposeExternalPool: true });
}

/**
 * An adapter factory for the schema engine on `url`. Diffs that replay the migrations
 * folder need a shadow database: pass its URL (the stock factory's CREATE DATABASE
 * fails on PGlite and needs rights a deploy user may not have).
 */
export function engineAdapter(url: string, shadowUrl?: string): SqlMigrationAwareDriverAdapterFactory {
  const { provider, adapterName } = pgFactory(url);
  // A pool per connection: each adapter the engine gets closes its own pool and no other.
  return {
    provider,
    adapterName,
    connect: async () => mendAdapter(await pgFactory(url).connect()),
    async connectToShadowDb() {
      if (!shadowUrl) throw new Error('this operation needs a shadow database');
      return mendAdapter(await pgFactory(shadowUrl).connect());
    },
  };
}
