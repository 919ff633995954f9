// Reading and writing hub.features for the push path: per-feature locks in a stable order, the
// writer's `onemap.*` settings (the triggers log them in hub.history), and the writes themselves.
import type { PoolClient } from 'pg';
import type { FeatureContent, HubFeatureState } from '../../shared/sync';

export interface FeatureKey {
  layerId: string;
  featureId: string;
}

export interface LockedFeature {
  state: HubFeatureState;
  version: number;
}

export const keyOf = (layerId: string, featureId: string): string => `${layerId}\u0000${featureId}`;

/**
 * Locks the features (present or not) and returns the hub's rows. Advisory locks in key order
 * (unless the caller holds them already, `advisoryLocksHeld`)
 * serialize writers of one feature, even of one that does not exist yet (two creates of the same
 * id); then the rows are locked FOR UPDATE in (layer, id) order, so no two pushes deadlock.
 */
export async function lockFeatures(client: PoolClient, keys: FeatureKey[], options: { advisoryLocksHeld?: boolean } = {}): Promise<Map<string, LockedFeature>> {
  const unique = [...new Map(keys.map((key) => [keyOf(key.layerId, key.featureId), key])).values()];
  const layers = unique.map((key) => key.layerId);
  const ids = unique.map((key) => key.featureId);
  // A push took them in its opening statement (open.ts); taking them again costs a round trip.
  if (!options.advisoryLocksHeld) await client.query(
    `SELECT pg_advisory_xact_lock(k) FROM (
       SELECT DISTINCT hashtextextended(l || chr(1) || i, 0) AS k FROM unnest($1::text[], $2::text[]) AS t (l, i) ORDER BY k) AS s`,
    [layers, ids],
  );
  const rows = await client.query<{
    layer_id: string; id: string; geometry: FeatureContent['geometry']; properties: FeatureContent['properties'];
    status: string; county: number | null; demo: boolean; created_at: Date; version: string; deleted: boolean; photos: string[] | null;
  }>(
    `SELECT f.layer_id, f.id, f.geometry, f.properties, f.status, f.county, f.demo, f.created_at, f.version, f.deleted,
       (SELECT array_agg(a.attachment_id ORDER BY a.attachment_id) FROM hub.feature_attachments a
         WHERE a.layer_id = f.layer_id AND a.feature_id = f.id AND a.attached) AS photos
     FROM hub.features f JOIN unnest($1::text[], $2::text[]) AS t (l, i) ON f.layer_id = t.l AND f.id = t.i
     ORDER BY f.layer_id, f.id FOR UPDATE OF f`,
    [layers, ids],
  );
  const found = new Map<string, LockedFeature>();
  for (const row of rows.rows) {
    const content: FeatureContent = {
      geometry: row.geometry,
      properties: row.properties,
      status: row.status,
      county: row.county,
      demo: row.demo,
      createdAt: row.created_at.toISOString(),
    };
    found.set(keyOf(row.layer_id, row.id), { state: { content, deleted: row.deleted, photos: new Set(row.photos ?? []) }, version: Number(row.version) });
  }
  return found;
}

export interface WriterSettings {
  changeId: string;
  entryId: string;
  userId: number;
  userName: string;
  device: string | null;
  authorName: string | null;
  note: string | null;
  clientTime: string | null;
}

const SETTINGS = ['change_id', 'entry_id', 'user_id', 'user_name', 'device', 'author_name', 'note', 'client_time'];

function settingValues(writer: WriterSettings): string[] {
  return [writer.changeId, writer.entryId, String(writer.userId), writer.userName, writer.device ?? '', writer.authorName ?? '', writer.note ?? '', writer.clientTime ?? ''];
}

/** One SQL expression setting the writer's `onemap.*` (transaction-local; '' reads as unset); `value` gives each value's SQL. */
export function writerSettingsSql(writer: WriterSettings, value: (text: string, index: number) => string): string {
  return `concat(${settingValues(writer).map((text, index) => `set_config('onemap.${SETTINGS[index]}', ${value(text, index)}, true)`).join(', ')})`;
}

/** Says who writes, for the triggers. */
export async function setWriter(client: PoolClient, writer: WriterSettings): Promise<void> {
  await client.query(`SELECT ${writerSettingsSql(writer, (_, index) => `$${index + 1}`)}`, settingValues(writer));
}

export interface FeatureWrite {
  layerId: string;
  featureId: string;
  /** null: the feature becomes a tombstone. */
  content: FeatureContent | null;
  /** The row exists (an update, or a tombstone brought back), else it is created. */
  exists: boolean;
  /** Set in the same statement (a joined one-row subquery, produced before the row is written, so the triggers read them). */
  writer?: WriterSettings;
}

/** The statement of a write, RETURNING the row's version; `value` gives each value's SQL (a placeholder or a literal). */
export function featureWriteSql(write: FeatureWrite, value: (text: string | null, index: number) => string): string {
  const values: (string | null)[] = [write.layerId, write.featureId];
  const at = (text: string | null): string => {
    values.push(text);
    return value(text, values.length - 1);
  };
  const [layer, id] = [value(write.layerId, 0), value(write.featureId, 1)];
  const content = write.content;
  let columns = '';
  if (content !== null) {
    columns = [
      `${at(content.county === null ? null : String(content.county))}::int`,
      `${at(content.status)}::text`,
      `${at(JSON.stringify(content.properties))}::jsonb`,
      `${at(JSON.stringify(content.geometry))}::jsonb`,
      `${at(String(content.demo))}::boolean`,
    ].join(', ');
  }
  const created = content !== null && !write.exists ? `${at(content.createdAt)}::timestamptz` : '';
  const settings = write.writer === undefined ? '1' : writerSettingsSql(write.writer, (text) => at(text));
  const writer = `(SELECT ${settings} AS settings) AS writer`;
  if (content === null) return `UPDATE hub.features SET deleted = true FROM ${writer} WHERE layer_id = ${layer} AND id = ${id} RETURNING version`;
  if (write.exists) {
    return `UPDATE hub.features SET (county, status, properties, geometry, demo, deleted) = (${columns}, false)
      FROM ${writer} WHERE layer_id = ${layer} AND id = ${id} RETURNING version`;
  }
  return `INSERT INTO hub.features (layer_id, id, county, status, properties, geometry, demo, created_at)
    SELECT ${layer}::text, ${id}::text, ${columns}, ${created} FROM ${writer} RETURNING version`;
}

/** Runs a write and returns the feature's version (one round trip). */
export async function writeFeature(client: PoolClient, write: FeatureWrite): Promise<number> {
  const values: (string | null)[] = [];
  const sql = featureWriteSql(write, (text, index) => {
    values[index] = text;
    return `$${index + 1}`;
  });
  const result = await client.query<{ version: string }>(sql, values);
  return Number(result.rows[0]?.version);
}

/** Writes a feature's content (creating the row, or bringing back a tombstone) and returns its version. */
export async function upsertFeature(client: PoolClient, layerId: string, featureId: string, content: FeatureContent, exists: boolean, writer?: WriterSettings): Promise<number> {
  return writeFeature(client, { layerId, featureId, content, exists, ...(writer === undefined ? {} : { writer }) });
}

export async function deleteFeature(client: PoolClient, layerId: string, featureId: string, writer?: WriterSettings): Promise<number> {
  return writeFeature(client, { layerId, featureId, content: null, exists: true, ...(writer === undefined ? {} : { writer }) });
}

export interface PhotoWrite {
  attachmentId: string;
  attached: boolean;
  sha256?: string;
  thumbnailSha256?: string;
  fileName?: string;
  mediaType?: string;
  byteSize?: number;
  createdAt?: string;
}

export async function writePhoto(client: PoolClient, layerId: string, featureId: string, photo: PhotoWrite): Promise<void> {
  if (!photo.attached) {
    await client.query(
      `UPDATE hub.feature_attachments SET attached = false, version = version + 1
       WHERE layer_id = $1 AND feature_id = $2 AND attachment_id = $3 AND attached`,
      [layerId, featureId, photo.attachmentId],
    );
    return;
  }
  await client.query(
    `INSERT INTO hub.feature_attachments (layer_id, feature_id, attachment_id, sha256, thumbnail_sha256, file_name, media_type, byte_size, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (layer_id, feature_id, attachment_id) DO UPDATE SET attached = true, sha256 = EXCLUDED.sha256,
       thumbnail_sha256 = EXCLUDED.thumbnail_sha256, version = hub.feature_attachments.version + 1`,
    [layerId, featureId, photo.attachmentId, photo.sha256, photo.thumbnailSha256 ?? null, photo.fileName, photo.mediaType, photo.byteSize, photo.createdAt],
  );
}

/**
 * A photo attached or detached changes no column of hub.features, so the triggers log nothing:
 * this appends the feature's change-log row (its current version, in its county) itself, so the
 * next pull of that county sends the feature with its photos. Call it last in the transaction,
 * for features whose row the change did not write, in county order (as the trigger takes them).
 */
export async function logPhotoChange(client: PoolClient, changeId: string, layerId: string, featureId: string, county: number | null, version: number): Promise<void> {
  await client.query(
    `INSERT INTO hub.change_log (county, seq, layer_id, feature_id, version, kind, change_id, source)
     VALUES (COALESCE($3::int, 0), hub.next_county_seq(COALESCE($3::int, 0)), $1, $2, $4, 'upsert', $5, 'hub')`,
    [layerId, featureId, county, version, changeId],
  );
}
