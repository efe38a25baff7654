// The ConsoleSession table: live console sessions by the SHA-256 of their id
// (api/console/session.ts makes and checks the cookies).
import type { Db } from './client.js';

export async function recordSession(db: Db, idHash: string, expiresAt: Date, now: Date): Promise<void> {
  // Sessions past their expiry go whenever a new one starts: the table stays small.
  await db.consoleSession.deleteMany({ where: { expiresAt: { lte: now } } });
  await db.consoleSession.create({ data: { idHash, expiresAt } });
}

/** When the session ends, if it is recorded. */
export async function sessionExpiry(db: Db, idHash: string): Promise<Date | undefined> {
  return (await db.consoleSession.findUnique({ where: { idHash }, select: { expiresAt: true } }))?.expiresAt;
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.consoleSession.deleteMany({ where: { idHash } });
}

/** Every session: how many there were. */
export async function deleteAllSessions(db: Db): Promise<number> {
  return (await db.consoleSession.deleteMany({})).count;
}
