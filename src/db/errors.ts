// What went wrong talking to PostgreSQL, recognized in one place: pg's SQLSTATE codes,
// Node's socket errors, Prisma's P-codes, and the timeouts that carry only a message. The
// CLI turns a failure into one line with a hint; the API into a 503.

export type DbFailureKind =
  'unreachable' | 'unknown-host' | 'no-database' | 'auth-failed' | 'access-denied' | 'no-tables' | 'timeout' | 'starting';

const BY_CODE: Record<string, DbFailureKind> = {
  '3D000': 'no-database',
  P1003: 'no-database',
  '28P01': 'auth-failed',
  P1000: 'auth-failed',
  '28000': 'access-denied',
  P1010: 'access-denied',
  '42P01': 'no-tables',
  P2021: 'no-tables',
  ECONNREFUSED: 'unreachable',
  ECONNRESET: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  P1001: 'unreachable',
  P1017: 'unreachable',
  '57P01': 'unreachable', // the server was shut down under the session
  ENOTFOUND: 'unknown-host',
  EAI_AGAIN: 'unknown-host',
  ETIMEDOUT: 'timeout',
  P1002: 'timeout',
  P1008: 'timeout',
  P2024: 'timeout',
  '57P03': 'starting',
};

// @prisma/adapter-pg's names for what it recognized (in a Prisma error's meta).
const BY_ADAPTER_KIND: Record<string, DbFailureKind> = {
  DatabaseNotReachable: 'unreachable',
  ConnectionClosed: 'unreachable',
  SocketTimeout: 'timeout',
  DatabaseDoesNotExist: 'no-database',
  AuthenticationFailed: 'auth-failed',
  DatabaseAccessDenied: 'access-denied',
  TableDoesNotExist: 'no-tables',
};

// Messages, for errors that carry no code: pg's timers, and the schema engine's errors.
const BY_MESSAGE: [RegExp, DbFailureKind][] = [
  [
    /Query read timeout|timeout exceeded when trying to connect|connection timeout|canceling statement due to statement timeout/i,
    'timeout',
  ],
  [/Connection terminated|Can't reach database server|DatabaseNotReachable/i, 'unreachable'],
  [/Database `[^`]*` does not exist/, 'no-database'],
  [/Authentication failed/i, 'auth-failed'],
  [/User was denied access/i, 'access-denied'],
  [/the database system is (starting up|shutting down)/i, 'starting'],
];

type ErrorLike = {
  code?: unknown;
  originalCode?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  meta?: { driverAdapterError?: unknown };
};

/** The kind of database failure `err` is (looking through causes), or undefined. */
export function dbFailureOf(err: unknown, depth = 0): DbFailureKind | undefined {
  if (!err || typeof err !== 'object' || depth > 5) return undefined;
  const e = err as ErrorLike;
  for (const code of [e.originalCode, e.code]) if (typeof code === 'string' && BY_CODE[code]) return BY_CODE[code];
  if (typeof e.kind === 'string' && BY_ADAPTER_KIND[e.kind]) return BY_ADAPTER_KIND[e.kind];
  const message = typeof e.message === 'string' ? e.message : '';
  for (const [pattern, kind] of BY_MESSAGE) if (pattern.test(message)) return kind;
  // net.connect to a name with several addresses fails with all of them at once.
  const nested: unknown[] = [e.cause, e.meta?.driverAdapterError, ...(Array.isArray(e.errors) ? (e.errors as unknown[]) : [])];
  for (const inner of nested) {
    const kind = inner !== err ? dbFailureOf(inner, depth + 1) : undefined;
    if (kind) return kind;
  }
  return undefined;
}

/** Where a URL points, for messages: never its password. */
export function describeTarget(url: string): { server: string; database: string; user: string } {
  try {
    const u = new URL(url);
    return {
      server: `${u.hostname}:${u.port || '5432'}`,
      database: decodeURIComponent(u.pathname.slice(1)) || decodeURIComponent(u.username) || 'postgres',
      user: decodeURIComponent(u.username) || 'the current user',
    };
  } catch {
    return { server: 'the database server', database: 'the database', user: 'the user' };
  }
}

/** One line saying what is wrong and what to do about it. */
export function dbFailureMessage(kind: DbFailureKind, url: string, timeoutS?: number): string {
  const { server, database, user } = describeTarget(url);
  switch (kind) {
    case 'unreachable':
      return `cannot connect to PostgreSQL at ${server}: is it running, and is DATABASE_URL right?`;
    case 'unknown-host':
      return `cannot find the database host of ${server}: check the host name in DATABASE_URL`;
    case 'no-database':
      return `database "${database}" does not exist on ${server}: create it (createdb ${database}) or fix DATABASE_URL`;
    case 'auth-failed':
      return `PostgreSQL at ${server} refused the password of user "${user}": check the user and password in DATABASE_URL`;
    case 'access-denied':
      return `PostgreSQL at ${server} refused user "${user}" on database "${database}": check the user in DATABASE_URL and the server's pg_hba.conf`;
    case 'no-tables':
      return 'the database has no Quire tables: run quire migrate';
    case 'timeout':
      return `PostgreSQL at ${server} did not answer${timeoutS ? ` within ${timeoutS} s` : ' in time'}: check the network, or raise QUIRE_DB_CONNECT_TIMEOUT / QUIRE_DB_QUERY_TIMEOUT`;
    case 'starting':
      return `PostgreSQL at ${server} is starting up or shutting down: try again in a moment`;
  }
}

/** A database failure the CLI reports as one line (the cause stays for LOG_LEVEL=debug). */
export class DatabaseError extends Error {
  override name = 'DatabaseError';
  constructor(
    readonly kind: DbFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A migrations folder that is not there: the installation is incomplete. */
export class MigrationsFolderError extends Error {
  override name = 'MigrationsFolderError';
}

/** The database lacks migrations a command needs (its message says how many, and what to run). */
export class SchemaNotMigratedError extends Error {
  override name = 'SchemaNotMigratedError';
}
