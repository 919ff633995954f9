// PUT /v1/attachments/:sha256 — a photo's bytes, stored once per SHA-256 (uploaded before the
// change that attaches it); GET gives them back with their media type.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { Pool } from 'pg';
import { sha256HexSchema } from '../../shared/sync/hub/changes';
import { HubError, answer, hubUserOf, parseOrThrow } from '../push/errors';
import type { HubFaults } from '../push/push';

export const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;

const mediaTypeOf = (header: string | undefined): string => (header ?? 'application/octet-stream').split(';')[0]?.trim().toLowerCase() || 'application/octet-stream';

export const attachmentsRoutes: FastifyPluginAsync<{ pool: Pool; faults?: HubFaults; maxBytes?: number }> = async (app, options) => {
  const maxBytes = options.maxBytes ?? MAX_ATTACHMENT_BYTES;
  // Raw bytes as a Buffer; only in this plugin's scope (content-type parsers are encapsulated).
  for (const type of ['application/octet-stream', /^image\/[\w.+-]+$/]) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) => {
      done(null, body);
    });
  }

  app.put<{ Params: { sha256: string } }>('/v1/attachments/:sha256', { bodyLimit: maxBytes }, async (request, reply) =>
    answer(reply, async () => {
      const user = hubUserOf(request);
      const expected = parseOrThrow(sha256HexSchema, request.params.sha256, 'params.sha256');
      if (!Buffer.isBuffer(request.body)) {
        throw new HubError(400, 'invalid-request', 'body: send the bytes as application/octet-stream or image/*');
      }
      const bytes = request.body;
      const actual = createHash('sha256').update(bytes).digest('hex');
      if (actual !== expected) {
        throw new HubError(400, 'hash-mismatch', `body: the bytes hash to ${actual}, not ${expected}`, { expected, actual });
      }
      const mediaType = mediaTypeOf(request.headers['content-type']);
      const inserted = await options.pool.query(
        `INSERT INTO hub.attachments (sha256, media_type, byte_size, bytes, uploaded_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (sha256) DO NOTHING RETURNING sha256`,
        [actual, mediaType, bytes.length, bytes, user.id],
      );
      const created = inserted.rowCount === 1;
      return reply.code(created ? 201 : 200).send({ sha256: actual, byteSize: bytes.length, mediaType, created });
    }),
  );

  app.get<{ Params: { sha256: string } }>('/v1/attachments/:sha256', async (request, reply) =>
    answer(reply, async () => {
      hubUserOf(request);
      const sha256 = parseOrThrow(sha256HexSchema, request.params.sha256, 'params.sha256');
      const found = await options.pool.query<{ media_type: string; bytes: Buffer }>('SELECT media_type, bytes FROM hub.attachments WHERE sha256 = $1', [sha256]);
      const row = found.rows[0];
      if (row === undefined) throw new HubError(404, 'not-found', `attachment ${sha256} is not on the hub`, { sha256 });
      // Content-addressed: the bytes behind a hash never change.
      return reply.type(row.media_type).header('cache-control', 'private, max-age=31536000, immutable').header('etag', `"${sha256}"`).send(row.bytes);
    }),
  );
};
