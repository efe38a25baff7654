// What a media file is: its type (from its bytes for images, else from its name), pixel
// size, and a tiny blurred preview. sharp (libvips) reads the headers first, so a
// decompression bomb is refused by its pixel count before anything is decoded.
import { lookup } from 'mime-types';
import sharp, { type Metadata } from 'sharp';
import { rgbaToThumbHash, thumbHashToDataURL } from 'thumbhash';

/** Files that documents may use, by extension: nothing a browser would run as a page or script. */
const EXTENSIONS = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'webp',
  'avif',
  'svg',
  'ico',
  'bmp',
  'tif',
  'tiff',
  'mp4',
  'webm',
  'ogv',
  'mov',
  'mp3',
  'm4a',
  'ogg',
  'oga',
  'wav',
  'flac',
  'vtt',
  'pdf',
  'txt',
  'csv',
  'zip',
  'gz',
  'tgz',
  'epub',
]);

/** Raster formats sharp reads and browsers show: these get variants and previews. */
const RASTER: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
  tiff: 'image/tiff',
};

export const extensionOf = (name: string) => /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
export const isMediaName = (name: string) => EXTENSIONS.has(extensionOf(name));
export const isResizable = (type: string) => Object.values(RASTER).includes(type) && type !== 'image/gif';

export interface MediaInfo {
  type: string;
  size: number;
  width: number | null;
  height: number | null;
  /** ThumbHash rendered as a PNG data URL (raster images only). */
  placeholder: string | null;
}

/** A file refused for what it is (corrupt, too many pixels): the message says which and why. */
export class MediaError extends Error {
  override name = 'MediaError';
}

export interface ProbeLimits {
  /** Images with more pixels are refused (decompression bombs, or far too large to serve). */
  maxPixels: number;
}

async function placeholder(bytes: Buffer, maxPixels: number): Promise<string> {
  const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' })
    .rotate()
    .resize(100, 100, { fit: 'inside' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return thumbHashToDataURL(rgbaToThumbHash(info.width, info.height, data));
}

export async function probe(bytes: Buffer, name: string, limits: ProbeLimits): Promise<MediaInfo> {
  const ext = extensionOf(name);
  const byName = lookup(name) || 'application/octet-stream';
  const base = { size: bytes.length, width: null, height: null, placeholder: null };
  if (ext === 'svg') {
    // Served as is (with a policy that keeps its scripts from running); sized when it says so.
    // An SVG sharp cannot read is still served, only without a size: nothing to report.
    const meta = await sharp(bytes, { limitInputPixels: limits.maxPixels })
      .metadata()
      .catch(() => undefined);
    return { ...base, type: 'image/svg+xml', width: meta?.width ?? null, height: meta?.height ?? null };
  }
  if (!byName.startsWith('image/')) return { ...base, type: byName };
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    // A checkout without its Git LFS files holds a short pointer where the image should be.
    if (bytes.subarray(0, 40).toString('latin1').startsWith('version https://git-lfs.github.com/spec/')) {
      throw new MediaError("is a Git LFS pointer, not the image: fetch the repository's LFS files (git lfs pull)");
    }
    throw new MediaError(`is not a readable image (${(err as Error).message.split('\n')[0]}): the file may be corrupt`);
  }
  const type = (meta.format && RASTER[meta.format]) ?? byName;
  // EXIF orientation swaps width and height for pictures taken sideways.
  const width = meta.autoOrient?.width ?? meta.width ?? null;
  const height = meta.autoOrient?.height ?? meta.height ?? null;
  if (width && height && width * height > limits.maxPixels) {
    const mp = (n: number) => `${(n / 1e6).toFixed(1)} megapixels`;
    throw new MediaError(
      `is ${width}×${height} (${mp(width * height)}), over the ${mp(limits.maxPixels)} limit (QUIRE_MAX_IMAGE_MEGAPIXELS)`,
    );
  }
  if (!RASTER[meta.format ?? '']) return { ...base, type, width, height };
  try {
    return { ...base, type, width, height, placeholder: await placeholder(bytes, limits.maxPixels) };
  } catch (err) {
    throw new MediaError(`could not be decoded (${(err as Error).message.split('\n')[0]}): the file may be truncated or corrupt`);
  }
}
