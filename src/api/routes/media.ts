// /v1/media/<sha256>/<name>: the files documents use, as imported, or resized copies of
// images (?w= one of QUIRE_IMAGE_WIDTHS, &format=webp|avif). The URL changes when the
// bytes do, so responses are immutable; Range requests serve video and PDF in parts; SVG
// comes with a policy under which its scripts cannot run.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import mime from 'mime-types';
import parseRange from 'range-parser';
import { z } from 'zod';
import type { MediaSettings } from '../../config.js';
import type { Reader } from '../../db/reader.js';
import { isResizable, MediaError } from '../../media/probe.js';
import { BusyError, mediaBytes, mediaFacts, type StoredMedia, type VariantMaker } from '../../media/store.js';
import { VARIANT_FORMATS } from '../../media/urls.js';
import { cacheable } from '../plugins/delivery.js';
import { documented } from '../responses.js';
import { HttpProblem, notFound, PROBLEM_CONTENT_TYPE, ProblemSchema } from '../problems.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** An SVG opened on its own is a document: sandboxed, no script, only its own inline styles. */
const SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

/**
 * The file's own name, as imported: never the one a request's URL gives (any name finds the
 * file by its hash, and a link could otherwise offer it under a name of its choosing).
 */
function contentDisposition(media: StoredMedia): string {
  const name = media.name ?? `${media.hash.slice(0, 16)}.${mime.extension(media.type) || 'bin'}`;
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export const mediaRoutes: FastifyPluginAsyncZod<{ reader: Reader; variants: VariantMaker; settings: MediaSettings }> = async (
  app,
  { reader, variants, settings },
) => {
  const widths = settings.widths;
  const ParamsSchema = z.strictObject({
    hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of a file (64 hex digits)'),
    name: z.string().min(1).max(200).describe("The file's name (any: the hash says which file)"),
  });
  const QuerySchema = z.strictObject({
    w: z.coerce
      .number({ error: `must be one of ${widths.join(', ')}` })
      .refine((w) => widths.includes(w), `must be one of ${widths.join(', ')}`)
      // A refinement has no JSON Schema: the document lists the widths itself.
      .meta({ enum: [...widths] })
      .optional()
      .describe(`A resized copy this many pixels wide (never wider than the image): one of ${widths.join(', ')}`),
    format: z
      .enum(VARIANT_FORMATS, { error: `must be ${VARIANT_FORMATS.join(' or ')}` })
      .optional()
      .describe('A copy in WebP or AVIF (WebP when w is given alone)'),
  });

  app.get(
    '/media/:hash/:name',
    {
      schema: {
        operationId: 'getMedia',
        summary: 'A file a document uses, or a resized copy of an image',
        description:
          'Immutable: the URL names the bytes. Range requests are answered 206. Resized copies are made ' +
          'on first request (at most QUIRE_MEDIA_RESIZE_CONCURRENCY at a time) and kept.',
        tags: ['media'],
        params: ParamsSchema,
        querystring: QuerySchema,
        response: {
          ...documented({ description: 'The file', content: { '*/*': { schema: z.string().describe('The bytes') } } }, {}, 400, 404, 416),
          206: { description: 'Part of the file (Range)', content: { '*/*': { schema: z.string() } } },
          422: {
            description:
              'The image cannot be resized (more pixels than QUIRE_MAX_IMAGE_MEGAPIXELS, or unreadable); the original can still be fetched',
            content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
          },
        },
      },
    },
    async (request, reply) => {
      const { hash } = request.params;
      const { w, format } = request.query;
      const media = await mediaFacts(reader, hash);
      if (!media) throw notFound(`no file with hash ${hash}`);
      reply.header('cache-control', IMMUTABLE).header('content-disposition', contentDisposition(media));
      if (media.type === 'image/svg+xml') reply.header('content-security-policy', SVG_POLICY);

      if (w !== undefined || format !== undefined) {
        if (!isResizable(media.type)) {
          throw new HttpProblem(
            400,
            'invalid-parameter',
            `${media.type} files are served as they are: w and format apply to PNG, JPEG, WebP and AVIF images`,
            [{ in: 'query', name: w !== undefined ? 'w' : 'format', reason: 'applies to raster images only' }],
          );
        }
        // A width at or above the image's is its own width (0): one copy, not one per such width.
        const width = w !== undefined && media.width && w < media.width ? w : 0;
        let variant;
        try {
          variant = await variants.get(media, width, format ?? 'webp');
        } catch (err) {
          if (err instanceof BusyError) throw new HttpProblem(503, 'service-unavailable', err.message);
          if (err instanceof MediaError) {
            request.log.warn({ err, hash }, 'an image was not resized');
            throw new HttpProblem(422, 'image-not-resizable', `this image ${err.message}`);
          }
          throw err;
        }
        reply.header('etag', `"${hash}-${width}-${format ?? 'webp'}"`);
        cacheable(reply, media.createdAt, [`media:${hash}`]);
        return reply.type(variant.type).send(variant.bytes);
      }

      reply.header('etag', `"${hash}"`).header('accept-ranges', 'bytes');
      cacheable(reply, media.createdAt, [`media:${hash}`]);
      const range = request.headers.range ? parseRange(media.size, request.headers.range, { combine: true }) : undefined;
      if (range === -1) {
        reply.header('content-range', `bytes */${media.size}`);
        throw new HttpProblem(416, 'range-not-satisfiable', `the file is ${media.size} bytes: no part of the range asked for is in it`);
      }
      // One range is served as asked; several (rare, and a multipart answer) as the whole file.
      // HEAD gets the same body: Fastify's HEAD route takes Content-Length from it and sends none.
      if (Array.isArray(range) && range.type === 'bytes' && range.length === 1) {
        const { start, end } = range[0]!;
        reply.cacheKeys = undefined;
        reply.code(206).header('content-range', `bytes ${start}-${end}/${media.size}`);
        return reply.type(media.type).send(await mediaBytes(reader, hash, { start, length: end - start + 1 }));
      }
      return reply.type(media.type).send(await mediaBytes(reader, hash));
    },
  );
};
