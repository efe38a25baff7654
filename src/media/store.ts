// Media as the API serves them: a file's facts and bytes (or a byte range) from the read
// connection, and resized copies, made with sharp on first request and kept in the database
// (written through the primary) so every process serves the same copy and makes it once.
// Widths come from a fixed list and at most a few copies are made at a time, so no request
// can make the server resize without end.
import sharp, { type Sharp } from 'sharp';
import type { Reader } from '../db/reader.js';
import { sql } from '../db/sql.js';
import { isResizable, MediaError } from './probe.js';
import type { VariantFormat } from './urls.js';

export interface StoredMedia {
  hash: string;
  /** Its file name when first imported; null for files imported before names were kept. */
  name: string | null;
  type: string;
  size: number;
  width: number | null;
  height: number | null;
  createdAt: Date;
}

export async function mediaFacts(reader: Reader, hash: string): Promise<StoredMedia | undefined> {
  const [row] = await reader.query<StoredMedia>(
    sql`SELECT hash, name, type, size, width, height, "createdAt" FROM "Media" WHERE hash = ${hash}`,
  );
  return row;
}

/** The bytes, or `length` of them from `start` (0-based). */
export async function mediaBytes(reader: Reader, hash: string, range?: { start: number; length: number }): Promise<Buffer | undefined> {
  const [row] = await reader.query<{ bytes: Buffer }>(
    range
      ? sql`SELECT substring(bytes FROM ${range.start + 1} FOR ${range.length}) AS bytes FROM "Media" WHERE hash = ${hash}`
      : sql`SELECT bytes FROM "Media" WHERE hash = ${hash}`,
  );
  return row?.bytes;
}

export interface Variant {
  type: string;
  bytes: Buffer;
}

/** Where copies are stored: the primary (reads may come from a replica). */
export interface VariantWriter {
  query(query: ReturnType<typeof sql>): Promise<unknown>;
}

/** Too many copies being made or waiting: try again shortly. */
export class BusyError extends Error {
  override name = 'BusyError';
}

const ENCODE = {
  webp: (s: Sharp) => s.webp({ quality: 78, effort: 4 }),
  // effort 2: AVIF at its default effort takes seconds for a large image on one core.
  avif: (s: Sharp) => s.avif({ quality: 55, effort: 2 }),
};

export class VariantMaker {
  private running = 0;
  private waiting: (() => void)[] = [];
  private inFlight = new Map<string, Promise<Variant>>();
  made = 0;

  constructor(
    private readonly reader: Reader,
    private readonly writer: VariantWriter,
    private readonly options: { concurrency: number; maxPixels: number; maxWaiting?: number },
  ) {}

  /** The copy of `media` at `width` (0: its own width) in `format`, made if need be. */
  async get(media: StoredMedia, width: number, format: VariantFormat): Promise<Variant> {
    if (!isResizable(media.type)) throw new TypeError(`${media.type} is not resized`);
    // Stored under a higher limit, or before one: refused by its size, before reading it.
    if (media.width && media.height && media.width * media.height > this.options.maxPixels) {
      const mp = (n: number) => `${(n / 1e6).toFixed(1)} megapixels`;
      throw new MediaError(
        `is ${media.width}×${media.height} (${mp(media.width * media.height)}), over the ${mp(this.options.maxPixels)} limit for resizing (QUIRE_MAX_IMAGE_MEGAPIXELS): ask for the original, without w and format`,
      );
    }
    const [row] = await this.reader.query<Variant>(
      sql`SELECT type, bytes FROM "MediaVariant" WHERE hash = ${media.hash} AND width = ${width} AND format = ${format}`,
    );
    if (row) return row;
    const key = `${media.hash}/${width}/${format}`;
    let making = this.inFlight.get(key);
    if (!making) {
      making = this.make(media, width, format).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, making);
    }
    return making;
  }

  private async slot(): Promise<() => void> {
    if (this.running >= this.options.concurrency) {
      if (this.waiting.length >= (this.options.maxWaiting ?? 32))
        throw new BusyError('too many images are being resized; try again shortly');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
    return () => {
      this.running--;
      this.waiting.shift()?.();
    };
  }

  private async make(media: StoredMedia, width: number, format: VariantFormat): Promise<Variant> {
    const release = await this.slot();
    try {
      const original = await mediaBytes(this.reader, media.hash);
      if (!original) throw new Error(`media ${media.hash} has no bytes`);
      const image = sharp(original, { limitInputPixels: this.options.maxPixels, failOn: 'error' }).rotate();
      const resized = width ? image.resize({ width, withoutEnlargement: true }) : image;
      const { data, info } = await ENCODE[format](resized)
        .toBuffer({ resolveWithObject: true })
        .catch((err: Error) => {
          throw new MediaError(`could not be resized (${err.message.split('\n')[0]}): ask for the original, without w and format`);
        });
      const type = `image/${format}`;
      await this.writer.query(sql`
        INSERT INTO "MediaVariant" (hash, width, format, type, "actualWidth", "actualHeight", size, bytes)
        VALUES (${media.hash}, ${width}, ${format}, ${type}, ${info.width}, ${info.height}, ${data.length}, ${data})
        ON CONFLICT DO NOTHING`);
      this.made++;
      return { type, bytes: data };
    } finally {
      release();
    }
  }
}
