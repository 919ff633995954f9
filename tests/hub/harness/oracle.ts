// What the property and fault tests check against the hub's database after every device synced:
// - each device's copy equals the hub's rows of its counties (and nothing is left to push);
// - no field edit lost: every field a pushed change wrote (its net effect on each feature) is
//   the hub's current value, or was overwritten by a later version of the hub (per-field
//   versions, i.e. the hub's own sequence — never a client clock), or the feature was deleted
//   later, or the write is recorded in hub.conflicts exactly once;
// - every conflict recorded once: each conflict an answer names is one row, every conflict row
//   was named in its change's answer, a repeated push got the same answer;
// - nothing doubled: one applied_changes row per change id, each journal entry at most one
//   history row, photos attached once.
import type { Pool } from 'pg';
import type { JournalEntry } from '../../../shared/model';
import { canonicalJson, versionWrites } from '../../../shared/sync';
import { featureKey, type ChangeRecord, type SimClient } from './sim-client';
import { hubRows, type HubRow } from './hub-world';

interface ConflictRow {
  id: string;
  layer_id: string;
  feature_id: string;
  change_id: string;
  entry_id: string;
  field: string;
}

function readRowField(row: HubRow, field: string): unknown {
  if (field === 'exists') return !row.deleted;
  if (field.startsWith('properties.')) return row.properties[field.slice('properties.'.length)];
  return (row as unknown as Record<string, unknown>)[field];
}

/** Net field writes of one change on one feature (later entries win; a change ending in a delete keeps only `exists`), with the entry that wrote each. */
function netWrites(entries: JournalEntry[]): Map<string, { value: unknown; entryId: string }> {
  const writes = new Map<string, { value: unknown; entryId: string }>();
  for (const entry of entries) {
    if (entry.operation === 'attach' || entry.operation === 'detach') continue;
    if (entry.after === null) writes.clear();
    for (const [field, { value }] of versionWrites(entry)) if (field !== 'createdAt') writes.set(field, { value, entryId: entry.id });
  }
  return writes;
}

export async function checkHub(pool: Pool, clients: SimClient[]): Promise<string[]> {
  const problems: string[] = [];
  const rows = await hubRows(pool);
  const byKey = new Map(rows.map((row) => [featureKey(row.layer_id, row.id), row]));
  const { rows: conflictRows } = await pool.query<ConflictRow>('SELECT id::text, layer_id, feature_id, change_id, entry_id, field FROM hub.conflicts');
  const conflictsById = new Map(conflictRows.map((row) => [row.id, row]));
  const { rows: photoState } = await pool.query<{ layer_id: string; feature_id: string; photos: string }>(
    `SELECT layer_id, feature_id, string_agg(attachment_id || '=' || sha256 || ':' || attached, ',' ORDER BY attachment_id) AS photos
       FROM hub.feature_attachments GROUP BY layer_id, feature_id`,
  );
  const hubPhotos = new Map(photoState.map((row) => [featureKey(row.layer_id, row.feature_id), row.photos]));

  // Devices converge on the hub.
  for (const client of clients) {
    if (client.pending.length > 0) problems.push(`${client.device}: ${client.pending.length} change(s) never answered`);
    const expected = rows.filter((row) => row.county !== null && client.options.counties.includes(row.county));
    const seen = new Set<string>();
    for (const row of expected) {
      const key = featureKey(row.layer_id, row.id);
      seen.add(key);
      const mine = client.server.get(key);
      if (mine === undefined) {
        problems.push(`${client.device}: missing ${key} (hub v${row.version})`);
        continue;
      }
      const hubSide = canonicalJson({ v: Number(row.version), d: row.deleted, s: row.status, p: row.properties, g: row.geometry, c: row.county, x: row.demo });
      const mineSide = canonicalJson({ v: mine.version, d: mine.deleted, s: mine.status, p: mine.properties, g: mine.geometry, c: mine.county, x: mine.demo });
      if (hubSide !== mineSide) problems.push(`${client.device}: ${key} differs: device ${mineSide} hub ${hubSide}`);
      const myPhotos = [...mine.attachments]
        .sort((left, right) => (left.attachmentId < right.attachmentId ? -1 : 1))
        .map((photo) => `${photo.attachmentId}=${photo.sha256}:${String(photo.attached)}`)
        .join(',');
      if (myPhotos !== (hubPhotos.get(key) ?? '')) problems.push(`${client.device}: ${key} photos differ: device [${myPhotos}] hub [${hubPhotos.get(key) ?? ''}]`);
    }
    for (const key of client.server.keys()) if (!seen.has(key)) problems.push(`${client.device}: holds ${key}, which is not in its counties on the hub`);
  }

  // Every change: answered the same way each time, recorded once, its writes kept or accounted for.
  const changes = clients.flatMap((client) => client.changes);
  const namedConflicts = new Set<string>();
  const { rows: applied } = await pool.query<{ change_id: string; n: string }>('SELECT change_id, count(*)::text AS n FROM hub.applied_changes GROUP BY change_id');
  const appliedCount = new Map(applied.map((row) => [row.change_id, Number(row.n)]));
  const { rows: history } = await pool.query<{ change_id: string; entry_id: string; layer_id: string; feature_id: string; version: string }>(
    'SELECT change_id, entry_id, layer_id, feature_id, version FROM hub.history WHERE change_id IS NOT NULL',
  );
  const entryHistory = new Map<string, number>();
  const changeVersion = new Map<string, number>();
  for (const row of history) {
    const entryKey = `${row.change_id}|${row.entry_id}`;
    entryHistory.set(entryKey, (entryHistory.get(entryKey) ?? 0) + 1);
    const featureChange = `${row.change_id}|${featureKey(row.layer_id, row.feature_id)}`;
    changeVersion.set(featureChange, Math.max(changeVersion.get(featureChange) ?? 0, Number(row.version)));
  }
  for (const [entryKey, count] of entryHistory) if (count > 1) problems.push(`entry ${entryKey} written ${count} times in history`);
  const { rows: photoRows } = await pool.query<{ layer_id: string; feature_id: string; attachment_id: string; sha256: string; ok: boolean }>(
    `SELECT fa.layer_id, fa.feature_id, fa.attachment_id, fa.sha256, a.sha256 IS NOT NULL AND encode(sha256(a.bytes), 'hex') = fa.sha256 AS ok
       FROM hub.feature_attachments fa LEFT JOIN hub.attachments a ON a.sha256 = fa.sha256`,
  );
  const photos = new Map(photoRows.map((row) => [`${featureKey(row.layer_id, row.feature_id)}|${row.attachment_id}`, row]));

  for (const change of changes) checkChange(change);
  for (const row of conflictRows) if (!namedConflicts.has(row.id)) problems.push(`conflict ${row.id} (${row.change_id} ${row.field}) in no answer`);
  return problems;

  function checkChange(change: ChangeRecord): void {
    const { changeId } = change.body;
    if (change.answers.length === 0) return;
    const count = appliedCount.get(changeId) ?? 0;
    if (count !== 1) problems.push(`${changeId}: ${count} applied_changes rows`);
    const first = canonicalJson(change.answers[0]);
    for (const answer of change.answers.slice(1)) if (canonicalJson(answer) !== first) problems.push(`${changeId}: a repeated push got another answer`);
    const answer = change.answers[0];
    if (answer === undefined) return;
    for (const feature of answer.features) {
      for (const conflict of feature.conflicts) {
        const id = String(conflict.id);
        const row = conflictsById.get(id);
        if (row === undefined || row.change_id !== changeId) problems.push(`${changeId}: answered conflict ${id} is not recorded for it`);
        namedConflicts.add(id);
      }
    }
    const byFeature = new Map<string, JournalEntry[]>();
    for (const entry of change.body.entries) {
      const key = featureKey(entry.layerId, entry.featureId);
      byFeature.set(key, [...(byFeature.get(key) ?? []), entry]);
    }
    for (const [key, entries] of byFeature) {
      const row = byKey.get(key);
      const conflictsHere = conflictRows.filter((conflict) => conflict.change_id === changeId && featureKey(conflict.layer_id, conflict.feature_id) === key);
      const covered = (entryId: string, field: string): number =>
        conflictsHere.filter((conflict) => conflict.entry_id === entryId && (conflict.field === field || conflict.field === '')).length;
      const featureAnswer = answer.features.find((feature) => featureKey(feature.layerId, feature.featureId) === key);
      const at = changeVersion.get(`${changeId}|${key}`) ?? featureAnswer?.version ?? 0;
      for (const [field, { value, entryId }] of netWrites(entries)) {
        const conflicts = covered(entryId, field);
        if (conflicts > 1) problems.push(`${changeId}: ${key} ${field} recorded in ${conflicts} conflicts`);
        if (conflicts >= 1) continue;
        if (row === undefined) {
          problems.push(`${changeId}: ${key} wrote ${field} but the feature is not on the hub`);
          continue;
        }
        if (canonicalJson(readRowField(row, field)) === canonicalJson(value)) continue;
        if ((row.field_versions[field] ?? 0) > at) continue;
        if (row.deleted && (row.field_versions.exists ?? 0) > at) continue;
        problems.push(`${changeId}: ${key} ${field}=${canonicalJson(value)} lost (hub ${canonicalJson(readRowField(row, field))} v${row.field_versions[field]}, change at v${at})`);
      }
      for (const entry of entries) {
        if (entry.operation !== 'attach' || entry.attachment === undefined) continue;
        if (covered(entry.id, `photo:${entry.attachment.id}`) > 0) continue;
        const photo = photos.get(`${key}|${entry.attachment.id}`);
        const detachedLater = change.body.entries.some((other) => other.operation === 'detach' && other.attachment?.id === entry.attachment?.id);
        if (photo === undefined && !detachedLater) problems.push(`${changeId}: photo ${entry.attachment.id} of ${key} not on the hub`);
        else if (photo !== undefined && !photo.ok) problems.push(`${changeId}: photo ${entry.attachment.id} of ${key}: bytes missing or not matching ${photo.sha256}`);
      }
    }
  }
}
