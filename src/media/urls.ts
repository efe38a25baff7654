// Where media are served, and which resized copies exist: one rule for the importer (which
// writes the URLs into HTML and covers) and the API (which refuses any other copy).
// /v1/media/<sha256>/<name>            the file as imported
// /v1/media/<sha256>/<name>?w=640&format=webp   a copy 640 pixels wide (or narrower, never wider
//                                       than the original), in WebP or AVIF
import { isResizable } from './probe.js';

export const VARIANT_FORMATS = ['webp', 'avif'] as const;
export type VariantFormat = (typeof VARIANT_FORMATS)[number];

/**
 * Media URLs are stored with this origin, which no real URL has (.invalid is reserved,
 * RFC 2606); reads put the API's public origin (QUIRE_API_URL) in its place. So the stored
 * HTML does not depend on where the API is served from, and a change of that address needs
 * no re-import.
 */
export const MEDIA_ORIGIN = 'https://quire.invalid';

export interface MediaUrlSettings {
  /** The only widths copies are made at (QUIRE_IMAGE_WIDTHS). */
  widths: readonly number[];
}

export interface MediaFacts {
  hash: string;
  name: string;
  type: string;
  width: number | null;
  height: number | null;
  placeholder: string | null;
}

export const mediaPath = (m: { hash: string; name: string }) => `/v1/media/${m.hash}/${encodeURIComponent(m.name)}`;

export function mediaUrl(
  settings: MediaUrlSettings,
  m: { hash: string; name: string },
  variant?: { w?: number; format: VariantFormat },
): string {
  const base = `${MEDIA_ORIGIN}${mediaPath(m)}`;
  if (!variant) return base;
  return `${base}?${variant.w ? `w=${variant.w}&` : ''}format=${variant.format}`;
}

/** Copies at every configured width narrower than the image, and one at its own width. */
export function srcset(settings: MediaUrlSettings, m: MediaFacts, format: VariantFormat = 'webp'): string | null {
  if (!m.width || !isResizable(m.type)) return null;
  const widths = settings.widths.filter((w) => w < m.width!);
  return [...widths.map((w) => `${mediaUrl(settings, m, { w, format })} ${w}w`), `${mediaUrl(settings, m, { format })} ${m.width}w`].join(
    ', ',
  );
}

/** The cover image as served: enough to lay it out before it loads. */
export function coverOf(settings: MediaUrlSettings, src: string, alt: string | undefined, m: MediaFacts | undefined) {
  if (!m) return { url: src, width: null, height: null, alt: alt ?? null, type: null, srcset: null, placeholder: null };
  return {
    url: mediaUrl(settings, m),
    width: m.width,
    height: m.height,
    alt: alt ?? null,
    type: m.type,
    srcset: srcset(settings, m),
    placeholder: m.placeholder,
  };
}
