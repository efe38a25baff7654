// Requests whose cost grows with the blog, not with what they ask (an NDJSON export of every
// post, a Ghost limit=all where allowed): a few at a time per process, the rest refused at
// once with 503 and Retry-After, so that varying their parameters past the response cache
// cannot put the whole blog on the database many times over.
import { HttpProblem } from './problems.js';

/** Bulk requests one process serves at once (docs/performance.md, "Bounded cost"). */
export const BULK_CONCURRENCY = 2;

export class BulkSlots {
  private running = 0;

  constructor(private readonly max = BULK_CONCURRENCY) {}

  /** Takes a slot, or throws a 503 problem; `release` must be called once when done. */
  take(what: string): () => void {
    if (this.running >= this.max) {
      throw new HttpProblem(503, 'service-unavailable', `${this.max} ${what} are being served: try again in a few seconds`);
    }
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
    };
  }
}
