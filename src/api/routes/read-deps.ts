// What the read routes share: the reader, the site, the time, when content last changed,
// and how a preview token opens a draft.
import type { FastifyReply } from 'fastify';
import type { PreviewSettings, Site } from '../../config.js';
import { verifyPreview } from '../../blog/previews.js';
import type { Reader } from '../../db/reader.js';
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
}

/**
 * The document a preview token opens, or undefined for none given. A bad token opens
 * nothing: the caller answers 404, as for any document it may not see (no oracle).
 */
export function previewOf(deps: ReadDeps, reply: FastifyReply, token: string | undefined): number | null | undefined {
  if (token === undefined) return undefined;
  // Whatever the token, this response is for its holder only.
  uncacheable(reply, 'private, no-store');
  return (deps.previews && verifyPreview(deps.previews.secret, token, deps.clock())) ?? null;
}

/** What a read query needs to know of this request: the site, the API's origin, now. */
export const readContext = (deps: ReadDeps, now = deps.clock()) => ({ site: deps.site, apiUrl: deps.apiUrl, now });
