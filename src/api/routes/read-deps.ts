// What the read routes share: the reader, the site, the time, when content last changed,
// and how a preview token opens a draft.
import type { FastifyReply } from 'fastify';
import type { PreviewSettings, Site } from '../../config.js';
import { verifyPreview } from '../../blog/previews.js';
import type { Reader } from '../../db/reader.js';
import type { BulkSlots } from '../bulk-slots.js';
import { uncacheable } from '../plugins/delivery.js';

export interface ReadDeps {
  reader: Reader;
  site: Site;
  /** The API's public origin (media URLs). */
  apiUrl: string;
  clock: () => Date;
  /** When public content last changed (for Last-Modified). */
  changedAt: () => Promise<Date>;
  previews: PreviewSettings | undefined;
  /** Requests that read the whole blog (exports), a few at a time. */
  bulk: BulkSlots;
}

/**
 * The document a preview token opens, if any. A bad, expired or other document's token opens
 * nothing more than no token does: published documents still answer (a frontend in draft
 * mode passes its token with every request), hidden ones are the same 404 (no oracle).
 */
export function previewOf(deps: ReadDeps, reply: FastifyReply, token: string | undefined): number | undefined {
  if (token === undefined) return undefined;
  // Whatever the token, this response is for its holder only.
  uncacheable(reply, 'private, no-store');
  return deps.previews && verifyPreview(deps.previews.secret, token, deps.clock());
}

/** What a read query needs to know of this request: the site, the API's origin, now. */
export const readContext = (deps: ReadDeps, now = deps.clock()) => ({ site: deps.site, apiUrl: deps.apiUrl, now });
