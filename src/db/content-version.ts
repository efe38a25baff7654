// The content version: bumped by each import that changes something (in its transaction),
// announced on a PostgreSQL channel so every API process can drop what it cached.
import type { Db } from './client.js';

export const CONTENT_CHANNEL = 'quire_content';

export interface ContentState {
  version: number;
  changedAt: Date;
}

export async function readContentState(db: Db): Promise<ContentState> {
  const row = await db.contentState.findUnique({ where: { id: 1 }, select: { version: true, changedAt: true } });
  return row ?? { version: 0, changedAt: new Date(0) };
}
