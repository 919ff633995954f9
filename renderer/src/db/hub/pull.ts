// Pull (SYNC-CONTEXT decision 3): the hub's changes of this user's counties, page by page, each
// page applied in ONE transaction through `transact` as entries that apply hub versions
// (`applies: ['hub:<layerId>/<featureId>@<version>']`: not versions of this device, never pushed
// back, not in undo), written in the name of the hub's last writer. Fields written by local
// changes not yet pushed keep their local value (shared/sync/hub/rebase.ts). A feature the hub
// holds as this store does writes no entry, only its hub version. Photo bytes are fetched before
// the page's transaction (an IndexedDB transaction cannot wait on the network).
import type { HubClient } from '../../../../shared/sync/hub/client';
import { isMovedOut, type PulledFeature, type PullResponse } from '../../../../shared/sync/hub/pull';
import { lastChangeSchema } from '../../../../shared/sync/hub/history';
import { rebaseOnHub, writtenFields } from '../../../../shared/sync/hub/rebase';
import { EXISTS, contentFields, contentKey, featureContent, photoField, type FeatureContent } from '../../../../shared/sync';
import { validateFeatureAgainstLayer, type Feature, type LayerDefinition } from '../../../../shared/model';
import type { OneMapDatabase } from '../schema';
import { META_KEYS, type AttachmentRecord, type HubFeatureRecord, type HubSkippedFeature, type StoredJournalEntry } from '../records';
import { transact, transactTables, type FeatureOperation } from '../transact';
import { readCurrentFeatures } from '../base';
import { rethrowStorageError } from '../durability';
import { pendingEntries } from './workspace';
import { recordSkips, refusedFeatures, skipKey } from './pull-skips';

export const hubVersionId = (layerId: string, featureId: string, version: number): string => `hub:${layerId}/${featureId}@${version}`;
const keyOf = (layerId: string, featureId: string): string => `${layerId}\u0000${featureId}`;

/** Who a pulled change is written as: the hub's last writer of the feature. */
interface Writer {
  author: string;
  authorName: string;
  device: string;
  note?: string;
  time?: Date;
}

function writerOf(feature: PulledFeature): Writer {
  const parsed = lastChangeSchema.safeParse((feature as { lastChange?: unknown }).lastChange);
  if (!parsed.success) return { author: 'hub', authorName: 'hub', device: 'hub' };
  const change = parsed.data;
  const time = new Date(change.time);
  const when = Number.isNaN(time.getTime()) ? {} : { time };
  const note = change.note === null || change.note === undefined ? {} : { note: change.note };
  if (change.source === 'sql') {
    const role = change.dbRole ?? 'sql';
    return { author: `sql:${role}`, authorName: `QGIS/SQL (${role})`, device: `sql:${role}`, ...note, ...when };
  }
  const name = change.authorName ?? change.userName ?? 'hub';
  return { author: change.userName ?? change.device ?? 'hub', authorName: name.slice(0, 100), device: change.device ?? 'hub', ...note, ...when };
}

const hubContent = (feature: PulledFeature): FeatureContent | null =>
  feature.deleted ? null : { geometry: feature.geometry, properties: feature.properties, status: feature.status, county: feature.county, demo: feature.demo, createdAt: feature.createdAt };

/** Stands for every field: a whole-feature conflict (edit-deleted, delete-edited). */
const WHOLE_FEATURE = '*';

/**
 * The fields of open hub conflicts that this store's own pushes caused, per feature: until a
 * person decides, this store keeps its value there (as a file-exchange conflict does), so a pull
 * never swaps the contested value behind the review queue's back.
 */
async function ownConflictFields(database: OneMapDatabase, features: readonly PulledFeature[]): Promise<Map<string, Set<string>>> {
  const rows = await database.hubConflicts.where('[layerId+featureId]').anyOf(features.map((feature) => [feature.layerId, feature.id])).toArray();
  const fields = new Map<string, Set<string>>();
  if (rows.length === 0) return fields;
  const pushes = await database.hubPushes.bulkGet(rows.map((row) => row.conflict.changeId.replace(/#\d+$/, '')));
  rows.forEach((row, index) => {
    if (pushes[index] === undefined) return;
    const key = keyOf(row.layerId, row.featureId);
    const set = fields.get(key) ?? new Set<string>();
    set.add(row.conflict.kind === 'field' ? row.conflict.field : WHOLE_FEATURE);
    fields.set(key, set);
  });
  return fields;
}

export interface PullPageResult {
  /** Features whose local value or photos changed. */
  changed: number;
  /** Features the hub sent that could not be written here (they do not fit the local layer); recorded in `hub:skipped`. */
  skipped: HubSkippedFeature[];
}

/** The bytes of every photo the page attaches that this store lacks, by attachment id. */
async function fetchPhotos(database: OneMapDatabase, client: HubClient, features: readonly PulledFeature[], signal: unknown): Promise<Map<string, { blob: Blob; thumbnail: Blob | null }>> {
  const wanted = features.flatMap((feature) => (feature.deleted ? [] : feature.attachments.filter((photo) => photo.attached)));
  const present = await database.attachments.bulkGet(wanted.map((photo) => photo.attachmentId));
  const photos = new Map<string, { blob: Blob; thumbnail: Blob | null }>();
  for (const [index, photo] of wanted.entries()) {
    if (present[index] !== undefined || photos.has(photo.attachmentId)) continue;
    const bytes = await client.getAttachment(photo.sha256, signal);
    const thumbnail = photo.thumbnailSha256 === null ? null : await client.getAttachment(photo.thumbnailSha256, signal);
    photos.set(photo.attachmentId, {
      blob: new Blob([bytes.bytes], { type: photo.mediaType }),
      thumbnail: thumbnail === null ? null : new Blob([thumbnail.bytes], { type: thumbnail.mediaType }),
    });
  }
  return photos;
}

/**
 * Applies one page of a pull and stores its cursor, all in one transaction. `layers`: the hub's
 * layer definitions, for layers this store lacks (created in the same change as their features).
 */
export async function applyPullPage(database: OneMapDatabase, client: HubClient, page: PullResponse, layers: () => Promise<Map<string, LayerDefinition>>, signal?: unknown): Promise<PullPageResult> {
  const pulled = page.features.filter((feature): feature is PulledFeature => !isMovedOut(feature));
  const photos = await fetchPhotos(database, client, pulled, signal);
  const layerIds = [...new Set(page.features.map((feature) => feature.layerId))];
  const known = new Set((await database.layers.bulkGet(layerIds)).filter((layer) => layer !== undefined).map((layer) => layer.id));
  const missing = layerIds.filter((layerId) => !known.has(layerId));
  const definitions = missing.length > 0 ? await layers() : new Map<string, LayerDefinition>();

  // Features a try of this page's transaction was refused for: the next try leaves them out.
  const refused = new Map<string, string>();
  for (;;) {
    try {
      return await writePullPage(database, page, layerIds, definitions, photos, refused);
    } catch (error) {
      const found = refusedFeatures(error);
      if (found === null || [...found.keys()].every((key) => refused.has(key))) throw error;
      for (const [key, reason] of found) refused.set(key, reason);
    }
  }
}

/** One try at writing a pulled page (see applyPullPage), leaving out the features in `refused`. */
function writePullPage(
  database: OneMapDatabase,
  page: PullResponse,
  layerIds: readonly string[],
  definitions: ReadonlyMap<string, LayerDefinition>,
  photos: ReadonlyMap<string, { blob: Blob; thumbnail: Blob | null }>,
  refused: ReadonlyMap<string, string>,
): Promise<PullPageResult> {
  const pulled = page.features.filter((feature): feature is PulledFeature => !isMovedOut(feature));
  return database
    .transaction('rw', [...transactTables(database), database.hubFeatures, database.hubConflicts, database.hubPushes], async () => {
      const pending = new Map<string, StoredJournalEntry[]>();
      for (const entry of await pendingEntries(database)) {
        const key = keyOf(entry.layerId, entry.featureId);
        pending.set(key, [...(pending.get(key) ?? []), entry]);
      }
      const contested = await ownConflictFields(database, pulled);
      const localLayers = new Map<string, LayerDefinition>();
      (await database.layers.bulkGet([...layerIds])).forEach((layer) => void (layer !== undefined && localLayers.set(layer.id, layer)));
      const createLayers: FeatureOperation[] = [];
      for (const layerId of layerIds) {
        const definition = definitions.get(layerId);
        if (localLayers.has(layerId) || definition === undefined) continue;
        localLayers.set(layerId, definition);
        createLayers.push({ kind: 'create-layer', layerId, layer: definition, applies: [`hub:layer/${layerId}`] });
      }
      const current = new Map<string, Feature | null>();
      for (const layerId of layerIds) {
        const ids = page.features.filter((feature) => feature.layerId === layerId).map((feature) => feature.id);
        for (const [featureId, feature] of (await readCurrentFeatures(database, layerId, ids)).features) current.set(keyOf(layerId, featureId), feature);
      }
      const localPhotos = new Map<string, AttachmentRecord>();
      for (const record of await database.attachments.where('[layerId+featureId]').anyOf(pulled.map((feature) => [feature.layerId, feature.id])).toArray()) localPhotos.set(record.id, record);

      const groups = new Map<string, { writer: Writer; operations: FeatureOperation[] }>();
      const operate = (writer: Writer, operations: FeatureOperation[]): void => {
        if (operations.length === 0) return;
        const group = JSON.stringify([writer.author, writer.authorName, writer.device, writer.note ?? null, writer.time?.toISOString() ?? null]);
        const found = groups.get(group);
        if (found === undefined) groups.set(group, { writer, operations });
        else found.operations.push(...operations);
      };
      const hubRows: HubFeatureRecord[] = [];
      const droppedRows: [string, string][] = [];
      const skipped: HubSkippedFeature[] = [];
      const time = new Date().toISOString();
      const skip = (feature: { layerId: string; id: string; version: number }, reason: string) =>
        skipped.push({ layerId: feature.layerId, featureId: feature.id, version: feature.version, reason, time });
      const changedKeys = new Set<string>();
      for (const feature of page.features) {
        const key = keyOf(feature.layerId, feature.id);
        const local = current.get(key) ?? null;
        const waiting = pending.get(key) ?? [];
        const applies = [hubVersionId(feature.layerId, feature.id, feature.version)];
        if (isMovedOut(feature)) {
          droppedRows.push([feature.layerId, feature.id]);
          // A change waiting for this feature still goes up (the hub says whether it may).
          if (local !== null && waiting.length === 0 && localLayers.has(feature.layerId)) {
            operate({ author: 'hub', authorName: 'hub', device: 'hub' }, [{ kind: 'restore', layerId: feature.layerId, featureId: feature.id, to: null, applies }]);
            changedKeys.add(skipKey(feature.layerId, feature.id));
          }
          continue;
        }
        const layer = localLayers.get(feature.layerId);
        if (layer === undefined) {
          skip(feature, 'no such layer');
          continue;
        }
        const refusedBefore = refused.get(skipKey(feature.layerId, feature.id));
        if (refusedBefore !== undefined) {
          skip(feature, refusedBefore);
          continue;
        }
        const writes = writtenFields(waiting);
        for (const field of contested.get(key) ?? []) writes.add(field);
        if (writes.has(WHOLE_FEATURE)) for (const field of [EXISTS, ...contentFields(local === null ? null : featureContent(local)).keys()]) writes.add(field);
        const target = rebaseOnHub(hubContent(feature), local === null ? null : featureContent(local), writes);
        const operations: FeatureOperation[] = [];
        if (contentKey(target) !== contentKey(local === null ? null : featureContent(local))) {
          if (target !== null) {
            const issues = validateFeatureAgainstLayer(layer, { ...target, id: feature.id, layerId: feature.layerId, updatedAt: feature.updatedAt, revision: 1 });
            if (issues.length > 0) {
              skip(feature, issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
              continue;
            }
          }
          operations.push({ kind: 'restore', layerId: feature.layerId, featureId: feature.id, to: target, applies });
        }
        if (target !== null) {
          for (const photo of feature.attachments) {
            if (writes.has(photoField(photo.attachmentId))) continue;
            const here = localPhotos.get(photo.attachmentId);
            const attachedHere = here !== undefined && here.removedAt === null && here.featureId === feature.id;
            if (photo.attached === attachedHere) continue;
            if (!photo.attached) operations.push({ kind: 'detach', layerId: feature.layerId, featureId: feature.id, attachmentId: photo.attachmentId, applies });
            else if (here !== undefined) operations.push({ kind: 'reattach', layerId: feature.layerId, featureId: feature.id, attachmentId: photo.attachmentId, applies });
            else {
              const bytes = photos.get(photo.attachmentId);
              if (bytes === undefined) continue;
              operations.push({
                kind: 'attach',
                layerId: feature.layerId,
                featureId: feature.id,
                applies,
                attachment: { id: photo.attachmentId, blob: bytes.blob, thumbnail: bytes.thumbnail, fileName: photo.fileName, mediaType: photo.mediaType, createdAt: photo.createdAt },
              });
            }
          }
        }
        if (operations.length > 0) changedKeys.add(skipKey(feature.layerId, feature.id));
        operate(writerOf(feature), operations);
        hubRows.push({ layerId: feature.layerId, featureId: feature.id, version: feature.version, fieldVersions: feature.fieldVersions, county: feature.county });
      }
      if (createLayers.length > 0) await transact(database, { author: 'hub', authorName: 'hub', device: 'hub', operations: createLayers, allowAnyStatusChange: true });
      for (const { writer, operations } of groups.values()) {
        await transact(database, {
          author: writer.author,
          authorName: writer.authorName,
          device: writer.device,
          operations,
          allowAnyStatusChange: true,
          ...(writer.note === undefined ? {} : { note: writer.note }),
          ...(writer.time === undefined ? {} : { time: writer.time }),
        });
      }
      await recordSkips(database, skipped, new Set(hubRows.map((row) => skipKey(row.layerId, row.featureId))));
      if (hubRows.length > 0) await database.hubFeatures.bulkPut(hubRows);
      if (droppedRows.length > 0) await database.hubFeatures.bulkDelete(droppedRows);
      await database.meta.put({ key: META_KEYS.hubCursor, value: page.cursor });
      // Nothing waits: the outbox may start after this page's entries (they are not versions), so
      // the next scan for waiting changes does not walk every pulled entry again.
      if (pending.size === 0) {
        const last = (await database.journal.orderBy(':id').lastKey()) as number | undefined;
        if (last !== undefined) await database.meta.put({ key: META_KEYS.hubPushedThrough, value: last });
      }
      return { changed: changedKeys.size, skipped };
    })
    .catch(rethrowStorageError);
}

/** The counties a user pulls: theirs, or for 'all' every county of the workspace plus 0 (outside every county). */
export function pullCounties(userCounties: readonly number[] | 'all', workspaceCounties: readonly number[]): number[] {
  return userCounties === 'all' ? [...workspaceCounties, 0] : [...userCounties];
}

/** Pulls every page since the stored cursor. */
export async function pullAll(
  database: OneMapDatabase,
  client: HubClient,
  counties: readonly number[],
  options: { limit?: number; signal?: { readonly aborted: boolean } } = {},
): Promise<PullPageResult> {
  let cached: Promise<Map<string, LayerDefinition>> | null = null;
  const layers = (): Promise<Map<string, LayerDefinition>> =>
    (cached ??= client.layers(options.signal).then((answer) => new Map(answer.layers.filter((layer) => !layer.deleted).map((layer) => [layer.id, layer.definition]))));
  const total: PullPageResult = { changed: 0, skipped: [] };
  if (counties.length === 0) return total;
  for (;;) {
    if (options.signal?.aborted === true) throw new Error('sync cancelled');
    const cursor = await database.meta.get(META_KEYS.hubCursor);
    const page = await client.pull({ counties, cursor: typeof cursor?.value === 'string' ? cursor.value : null, ...(options.limit === undefined ? {} : { limit: options.limit }) }, options.signal);
    const result = await applyPullPage(database, client, page, layers, options.signal);
    total.changed += result.changed;
    total.skipped.push(...result.skipped);
    if (!page.more) return total;
  }
}
