// Pull (`GET /v1/changes`): what changed in some counties since a cursor, from hub.change_log
// in (county, seq) order. The answer's JSON is built by PostgreSQL (json_agg): no per-row work in
// JavaScript, so a page of 5,000 features costs one query and one string.
import type { FastifyPluginAsync } from 'fastify';
import type { Pool } from 'pg';
import { PULL_LIMIT_DEFAULT, PULL_LIMIT_MAX, pullQuerySchema, pullResponseSchema, type PullQuery } from '../../shared/sync/hub/pull';
import { inScope } from '../auth/user';
import { invalidRequest, outOfScope } from '../errors';
import { decodeCursor, encodeCursor } from '../pull/cursor';
import { errorResponseJsonSchema, jsonSchema } from '../schema';

type Bbox = [number, number, number, number];

function parseBbox(text: string | undefined): Bbox | null {
  if (text === undefined) return null;
  const [minX, minY, maxX, maxY] = text.split(',').map(Number) as Bbox;
  const valid = minX >= -180 && maxX <= 180 && minY >= -90 && maxY <= 90 && minX < maxX && minY < maxY;
  if (!valid) throw invalidRequest('querystring/bbox', 'must be minLon,minLat,maxLon,maxLat with min < max, in degrees');
  return [minX, minY, maxX, maxY];
}

// $1 counties, $2 their last seqs, $3 limit, $4..$7 bbox (null: none).
// - page: the next rows of each county (lateral, by the primary key), then the first $3 by
//   (county, seq) — a county's rows are visible in seq order (hub.next_county_seq), so a cursor of
//   last seqs never skips one that committed late.
// - latest: one row per feature. Its current row is sent when its county is pulled; otherwise it
//   left the pulled counties (moved-out row, or moved again since this row): `movedOut`, no content.
export const PULL_SQL = `
WITH page AS MATERIALIZED (
  SELECT l.county, l.seq, l.layer_id, l.feature_id, l.version
  FROM unnest($1::int[], $2::bigint[]) AS c(county, after)
  CROSS JOIN LATERAL (
    SELECT county, seq, layer_id, feature_id, version FROM hub.change_log
    WHERE county = c.county AND seq > c.after ORDER BY seq LIMIT $3) l
  ORDER BY l.county, l.seq
  LIMIT $3
),
latest AS (
  SELECT DISTINCT ON (layer_id, feature_id) layer_id, feature_id, county, seq
  FROM page ORDER BY layer_id, feature_id, version DESC, county, seq DESC
),
answer AS (
  SELECT lt.county, lt.seq, COALESCE(f.county, 0) = ANY($1::int[]) AS present, f
  FROM latest lt JOIN hub.features f ON f.layer_id = lt.layer_id AND f.id = lt.feature_id
)
SELECT
  (SELECT COALESCE(json_agg(CASE WHEN a.present THEN json_build_object(
      'layerId', (a.f).layer_id, 'id', (a.f).id, 'version', (a.f).version, 'deleted', (a.f).deleted,
      'county', (a.f).county, 'status', (a.f).status, 'properties', (a.f).properties,
      'geometry', (a.f).geometry, 'demo', (a.f).demo,
      'createdAt', to_char((a.f).created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'updatedAt', to_char((a.f).updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'fieldVersions', (a.f).field_versions,
      'attachments', COALESCE((
        SELECT json_agg(json_build_object(
          'attachmentId', fa.attachment_id, 'sha256', fa.sha256, 'thumbnailSha256', fa.thumbnail_sha256,
          'fileName', fa.file_name, 'mediaType', fa.media_type, 'byteSize', fa.byte_size,
          'createdAt', to_char(fa.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'attached', fa.attached, 'version', fa.version) ORDER BY fa.attachment_id)
        FROM hub.feature_attachments fa
        WHERE fa.layer_id = (a.f).layer_id AND fa.feature_id = (a.f).id), '[]'::json))
    ELSE json_build_object('layerId', (a.f).layer_id, 'id', (a.f).id, 'version', (a.f).version,
      'movedOut', true, 'county', a.county) END
    ORDER BY a.county, a.seq), '[]'::json)
   FROM answer a
   WHERE NOT a.present OR $4::float8 IS NULL
      OR (a.f).geom && ST_MakeEnvelope($4::float8, $5::float8, $6::float8, $7::float8, 4490))::text AS features,
  (SELECT COALESCE(json_object_agg(county, last_seq), '{}'::json)
   FROM (SELECT county, max(seq) AS last_seq FROM page GROUP BY county) s)::text AS seen,
  (SELECT count(*) FROM page)::int AS row_count`;

export const pullRoutes: FastifyPluginAsync<{ pool: Pool }> = async (app, { pool }) => {
  app.get(
    '/v1/changes',
    {
      schema: {
        summary: 'Pull: features changed in some counties since a cursor',
        querystring: jsonSchema(pullQuerySchema),
        response: {
          200: jsonSchema(pullResponseSchema),
          400: errorResponseJsonSchema,
          401: errorResponseJsonSchema,
          403: errorResponseJsonSchema,
        },
      },
    },
    async (request, reply) => {
      const query = request.query as PullQuery;
      const counties = [...new Set(query.counties.split(',').map(Number))];
      for (const county of counties) {
        if (!inScope(request.hubUser, county === 0 ? null : county)) throw outOfScope(county);
      }
      const limit = query.limit === undefined ? PULL_LIMIT_DEFAULT : Number(query.limit);
      if (limit > PULL_LIMIT_MAX) throw invalidRequest('querystring/limit', `must be at most ${PULL_LIMIT_MAX}`);
      const cursor = decodeCursor(query.cursor);
      if (cursor === null) throw invalidRequest('querystring/cursor', 'is not a cursor this hub gave out');
      const bbox = parseBbox(query.bbox);

      const afters = counties.map((county) => cursor.get(county) ?? 0);
      const { rows } = await pool.query<{ features: string; seen: string; row_count: number }>(PULL_SQL, [
        counties,
        afters,
        limit,
        ...(bbox ?? [null, null, null, null]),
      ]);
      const { features, seen, row_count: rowCount } = rows[0]!;
      for (const [county, seq] of Object.entries(JSON.parse(seen) as Record<string, number>)) cursor.set(Number(county), seq);
      const more = rowCount >= limit;
      return reply
        .type('application/json; charset=utf-8')
        .send(`{"features":${features},"cursor":${JSON.stringify(encodeCursor(cursor))},"more":${more}}`);
    },
  );
};
