// Exchanging edits between devices through files (shared/sync has the format and the merge).
//
// Export: the versions (journal entries) of every feature touched since the last package for a
// peer — or since a date, or all — each feature's whole history, its current value, its layer
// and the photos its versions attach, as one `.onemap` file.
// Import: the file is checked completely first (shared/sync decodeEditPackage: a refused file
// writes nothing). Then, in ONE transaction: the new versions are kept (`syncVersions`), every
// touched feature is merged over its version graph, what merged is applied through `transact`
// (journaled, author = the package's user, undoable as one step), each feature's heads are
// recorded, and every conflict goes to the review queue (`syncConflicts`) with both sides — its
// feature keeps what this device shows until a person decides. Importing a package twice, or
// packages in any order, gives the same result.
// Resolution: keep mine / keep theirs / an edited version, re-merged at the moment of deciding,
// journaled through `transact` (undoable; undoing it reopens the conflict).
import {
  contentFields,
  contentKey,
  decodeEditPackage,
  fieldValue,
  encodeEditPackage,
  evaluateFeature,
  exportStart,
  addInterval,
  contiguousEnd,
  planFeature,
  planResolution,
  EditPackageError,
  EDIT_PACKAGE_EXTENSION,
  type ConflictDetail,
  type DecodedEditPackage,
  type EditPackageManifest,
  type ExportMode,
  type FeatureDisplay,
  type Interval,
  type PackagePhoto,
  type ResolutionChoice,
  type SyncPosition,
  type SyncVersion,
} from '../../../shared/sync';
import { validateFeatureAgainstLayer, type Feature, type LayerDefinition, type LocalizedText } from '../../../shared/model';
import type { OneMapDatabase } from './schema';
import { META_KEYS, type AttachmentRecord, type StoredJournalEntry, type SyncArrival, type SyncConflictRecord, type SyncVersionRecord } from './records';
import { transact, transactTables, type CommittedChange, type FeatureOperation } from './transact';
import { readCurrentFeatures } from './base';
import { ensureWorkspaceIdentity, randomId } from './identity';
import { rethrowStorageError, StoreError } from './durability';
import { featureContent } from './undo';

// ---- bookkeeping per peer (meta `sync-peer:<deviceId>`) ----

/** What this device knows about another device it exchanges packages with. */
export interface SyncPeer {
  deviceId: string;
  userName: string | null;
  /** Positions (this device's journal / received versions) the last package for this peer covered up to. */
  lastSent: SyncPosition | null;
  /** What the peer's own packages say it holds of this device's journal and received versions. */
  acked: SyncPosition | null;
  /** The ranges of the peer's journal and received log this device got in its packages. */
  covered: { journal: Interval[]; received: Interval[] };
  lastExportAt: string | null;
  lastImportAt: string | null;
}

const peerKey = (deviceId: string): string => `${META_KEYS.syncPeerPrefix}${deviceId}`;

function emptyPeer(deviceId: string): SyncPeer {
  return { deviceId, userName: null, lastSent: null, acked: null, covered: { journal: [], received: [] }, lastExportAt: null, lastImportAt: null };
}

async function readPeer(database: OneMapDatabase, deviceId: string): Promise<SyncPeer> {
  const row = await database.meta.get(peerKey(deviceId));
  return row === undefined ? emptyPeer(deviceId) : (row.value as SyncPeer);
}

/** Every device this one has exchanged packages with, by name. */
export async function listSyncPeers(database: OneMapDatabase): Promise<SyncPeer[]> {
  const rows = await database.meta.where('key').startsWith(META_KEYS.syncPeerPrefix).toArray();
  return rows.map((row) => row.value as SyncPeer).sort((left, right) => (left.userName ?? left.deviceId).localeCompare(right.userName ?? right.deviceId));
}

// ---- versions of a feature ----

const featureKey = (layerId: string, featureId: string): string => `${layerId}\u0000${featureId}`;

/** A journal entry as a version: entries written before sync name no parents — their parent is the feature's previous entry. */
function journalVersions(entries: readonly StoredJournalEntry[]): SyncVersion[] {
  const versions: SyncVersion[] = [];
  const previous = new Map<string, string>();
  for (const entry of [...entries].sort((left, right) => left.sequence - right.sequence)) {
    if (entry.applies !== undefined) continue;
    const key = featureKey(entry.layerId, entry.featureId);
    const { sequence: _sequence, ...shared } = entry;
    const before = previous.get(key);
    versions.push({ ...shared, parents: entry.parents ?? (before === undefined ? [] : [before]) });
    previous.set(key, entry.id);
  }
  return versions;
}

function receivedVersion(record: SyncVersionRecord): SyncVersion {
  const { receivedSequence: _receivedSequence, arrival: _arrival, ...version } = record;
  return version;
}

/** Every version (local and received) of the given features, grouped by feature. Runs in the caller's transaction. */
async function versionsOf(database: OneMapDatabase, keys: readonly [string, string][]): Promise<Map<string, SyncVersion[]>> {
  const grouped = new Map<string, SyncVersion[]>();
  if (keys.length === 0) return grouped;
  const local = journalVersions(await database.journal.where('[layerId+featureId]').anyOf(keys).toArray());
  const received = (await database.syncVersions.where('[layerId+featureId]').anyOf(keys).toArray()).map(receivedVersion);
  for (const version of [...local, ...received]) {
    const key = featureKey(version.layerId, version.featureId);
    const list = grouped.get(key);
    if (list === undefined) grouped.set(key, [version]);
    else list.push(version);
  }
  // A parent this store no longer holds (its journal was replaced by a backup restore, which does
  // not carry the sync tables) is left out: the version becomes a root of what is known.
  for (const list of grouped.values()) {
    const known = new Set(list.map((version) => version.id));
    for (const version of list) if (version.parents.some((parent) => !known.has(parent))) version.parents = version.parents.filter((parent) => known.has(parent));
  }
  return grouped;
}

/** What this device shows of features: content and photo states. Runs in the caller's transaction. */
async function displaysOf(database: OneMapDatabase, keys: readonly [string, string][]): Promise<{ displays: Map<string, FeatureDisplay>; features: Map<string, Feature | null>; attachments: Map<string, AttachmentRecord> }> {
  const displays = new Map<string, FeatureDisplay>();
  const features = new Map<string, Feature | null>();
  const byLayer = new Map<string, string[]>();
  for (const [layerId, featureId] of keys) byLayer.set(layerId, [...(byLayer.get(layerId) ?? []), featureId]);
  for (const [layerId, featureIds] of byLayer) {
    const current = await readCurrentFeatures(database, layerId, featureIds);
    for (const [featureId, feature] of current.features) features.set(featureKey(layerId, featureId), feature);
  }
  const attachments = new Map<string, AttachmentRecord>();
  for (const record of keys.length === 0 ? [] : await database.attachments.where('[layerId+featureId]').anyOf(keys).toArray()) attachments.set(record.id, record);
  for (const [layerId, featureId] of keys) {
    const key = featureKey(layerId, featureId);
    const feature = features.get(key) ?? null;
    const photos: Record<string, boolean> = {};
    for (const record of attachments.values()) if (record.layerId === layerId && record.featureId === featureId) photos[record.id] = record.removedAt === null;
    displays.set(key, { feature: feature === null ? null : featureContent(feature), photos });
  }
  return { displays, features, attachments };
}

// ---- export ----

export interface ExportEditPackageOptions {
  /** The device the package is for: it holds what changed since the last package for it. */
  peer?: string | null;
  /** Instead: every feature changed since this time. */
  since?: Date | null;
  /** Instead: every feature ever changed here or received. */
  all?: boolean;
  time?: Date;
}

export interface ExportedEditPackage {
  bytes: Uint8Array;
  fileName: string;
  manifest: Pick<EditPackageManifest, 'packageId' | 'createdAt' | 'range' | 'peer'> & { counts: EditPackageManifest['counts'] };
}

const compactTime = (iso: string): string => iso.slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
const safeFilePart = (text: string): string => text.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 40);

/**
 * Writes an edit package (see the file comment). With `peer`, remembers what it covered, so the
 * next package for that peer starts there (or earlier, when the peer's own packages say it
 * missed something).
 */
export async function exportEditPackage(database: OneMapDatabase, options: ExportEditPackageOptions = {}): Promise<ExportedEditPackage> {
  const createdAt = (options.time ?? new Date()).toISOString();
  const peerId = options.peer ?? null;
  const mode: ExportMode = options.all === true ? 'all' : options.since !== undefined && options.since !== null ? 'since' : peerId !== null ? 'peer' : 'all';
  const since = mode === 'since' ? (options.since as Date).toISOString() : null;
  const identity = await ensureWorkspaceIdentity(database);
  const snapshot = await database.transaction(
    'r',
    [database.journal, database.syncVersions, database.meta, database.layers, database.layerBases, database.featureChunks, database.featureEdits, database.attachments],
    async () => {
      const peer = peerId === null ? null : await readPeer(database, peerId);
      const journalTo = ((await database.journal.orderBy(':id').lastKey()) as number | undefined) ?? 0;
      const receivedTo = ((await database.syncVersions.orderBy(':id').lastKey()) as number | undefined) ?? 0;
      let journalFrom = 0;
      let receivedFrom = 0;
      if (mode === 'peer' && peer !== null) {
        journalFrom = exportStart(peer.lastSent?.journal ?? 0, peer.acked?.journal);
        receivedFrom = exportStart(peer.lastSent?.received ?? 0, peer.acked?.received);
      }
      // The features touched in range.
      const touched = new Map<string, [string, string]>();
      const touch = (entry: { layerId: string; featureId: string }): void => void touched.set(featureKey(entry.layerId, entry.featureId), [entry.layerId, entry.featureId]);
      if (mode === 'since') {
        await database.journal.where('time').aboveOrEqual(since as string).each((entry) => void (entry.applies === undefined && touch(entry)));
        await database.syncVersions.each((version) => void (version.time >= (since as string) && touch(version)));
      } else {
        await database.journal.where(':id').above(journalFrom).each((entry) => void (entry.applies === undefined && touch(entry)));
        await database.syncVersions.where(':id').above(receivedFrom).each(touch);
      }
      const keys = [...touched.values()].sort();
      const grouped = await versionsOf(database, keys);
      const { features } = await displaysOf(database, keys);
      const versions = [...grouped.values()].flat();
      const layerIds = [...new Set(keys.map(([layerId]) => layerId))].sort();
      const layers = (await database.layers.bulkGet(layerIds)).filter((layer): layer is LayerDefinition => layer !== undefined);
      const photoIds = [...new Set(versions.filter((version) => version.operation === 'attach').map((version) => version.attachment?.id as string))].sort();
      const attachments = (await database.attachments.bulkGet(photoIds)).filter((record): record is AttachmentRecord => record !== undefined);
      const peers = await listSyncPeers(database);
      return { journalFrom, journalTo, receivedFrom, receivedTo, keys, versions, features, layers, attachments, peers };
    },
  );
  // Blob bytes are read after the transaction: a read that is not IndexedDB's would end it early.
  const photos: PackagePhoto[] = [];
  for (const record of snapshot.attachments) {
    photos.push({
      id: record.id,
      layerId: record.layerId,
      featureId: record.featureId,
      fileName: record.fileName,
      mediaType: record.mediaType,
      byteSize: record.byteSize,
      createdAt: record.createdAt,
      bytes: new Uint8Array(await record.blob.arrayBuffer()),
      thumbnail: record.thumbnail === null ? null : { mediaType: record.thumbnail.type || 'image/jpeg', bytes: new Uint8Array(await record.thumbnail.arrayBuffer()) },
    });
  }
  const packageId = randomId();
  const range = {
    mode,
    since,
    journalFrom: mode === 'since' ? 0 : snapshot.journalFrom,
    journalTo: mode === 'since' ? 0 : snapshot.journalTo,
    receivedFrom: mode === 'since' ? 0 : snapshot.receivedFrom,
    receivedTo: mode === 'since' ? 0 : snapshot.receivedTo,
  };
  const acks = Object.fromEntries(snapshot.peers.map((peer) => [peer.deviceId, { journal: contiguousEnd(peer.covered.journal), received: contiguousEnd(peer.covered.received) }]));
  const bytes = await encodeEditPackage(
    {
      versions: snapshot.versions,
      features: snapshot.keys.map(([layerId, featureId]) => ({ layerId, featureId, feature: snapshot.features.get(featureKey(layerId, featureId)) ?? null })),
      layers: snapshot.layers,
      photos,
    },
    { packageId, createdAt, source: { device: identity.deviceId, userName: identity.userName, workspaceId: identity.workspaceId }, peer: peerId, range, acks },
  );
  if (peerId !== null && mode !== 'since') {
    await database.transaction('rw', database.meta, async () => {
      const peer = await readPeer(database, peerId);
      await database.meta.put({ key: peerKey(peerId), value: { ...peer, lastSent: { journal: snapshot.journalTo, received: snapshot.receivedTo }, lastExportAt: createdAt } satisfies SyncPeer });
    });
  }
  const who = safeFilePart(identity.userName ?? identity.deviceId.slice(0, 8));
  return {
    bytes,
    fileName: `onemap-${who}-${compactTime(createdAt)}${EDIT_PACKAGE_EXTENSION}`,
    manifest: { packageId, createdAt, range, peer: peerId, counts: { versions: snapshot.versions.length, features: snapshot.keys.length, layers: snapshot.layers.length, photos: photos.length } },
  };
}

// ---- import ----

export interface ImportEditPackageReport {
  packageId: string;
  source: { device: string; userName: string | null };
  /** Versions new to this device, and versions it already had. */
  versions: { received: number; duplicates: number };
  /** Features the import wrote to (their fields that merged), whether or not another field of theirs is in conflict. */
  applied: number;
  /** The fields it wrote, over all those features (one per property, core field, existence and photo). */
  fields: number;
  /** Of the features written, those edited here too, merged field by field. */
  merged: number;
  /** Features with a conflict now waiting in the review queue. */
  conflicts: number;
  /** Their conflicting fields (a deletion conflict counts one), kept as they are here until a person decides. */
  conflictFields: number;
  /** Features the versions touched whose value here did not change. */
  unchanged: number;
  /** Layers created from the package's definitions. */
  createdLayers: string[];
  /** Photos the package attached here. */
  photos: number;
  /** The change that applied it (null when nothing changed): undo reverts it as one step. */
  changeId: string | null;
}

/** A merged feature that does not fit its layer: kept as it is here, queued for a person. */
interface InvalidMerge {
  issues: string[];
}

type StoredConflictDetail = ConflictDetail & { invalid?: InvalidMerge };

function invalidMergeConflict(plan: { heads: string[]; target: FeatureDisplay }, current: FeatureDisplay, issues: string[]): StoredConflictDetail {
  const mine = contentFields(current.feature);
  const merged = contentFields(plan.target.feature);
  const fields: ConflictDetail['fields'] = [];
  for (const field of [...new Set([...mine.keys(), ...merged.keys()])].sort()) {
    const left = mine.get(field) ?? fieldValue(undefined);
    const right = merged.get(field) ?? fieldValue(undefined);
    if (left.key === right.key) continue;
    fields.push({ field, candidates: [{ ...left, versions: [] }, { ...right, versions: [...plan.heads] }] });
  }
  return { heads: plan.heads, fields, deletion: null, mine: current, theirs: plan.target, invalid: { issues } };
}

/** How many fields (as the merge counts them: existence, core fields, properties) differ between two contents. */
function changedFields(before: FeatureDisplay['feature'], after: FeatureDisplay['feature']): number {
  const left = contentFields(before);
  const right = contentFields(after);
  let count = 0;
  for (const field of new Set([...left.keys(), ...right.keys()])) if ((left.get(field) ?? fieldValue(undefined)).key !== (right.get(field) ?? fieldValue(undefined)).key) count += 1;
  return count;
}

/**
 * Imports an edit package (see the file comment). Throws {@link EditPackageError} — nothing
 * written — for a file that is truncated, damaged, altered (checksum), from a newer format, not
 * a package, or touching a layer this store neither has nor gets from the package.
 */
export async function importEditPackage(database: OneMapDatabase, bytes: Uint8Array, options: { time?: Date } = {}): Promise<ImportEditPackageReport> {
  const decoded = await decodeEditPackage(bytes);
  const time = options.time ?? new Date();
  const tables = [...transactTables(database), database.syncVersions, database.syncConflicts];
  return database
    .transaction('rw', tables, async () => {
      const identity = await ensureWorkspaceIdentity(database);
      const { manifest } = decoded;
      const journalPosition = ((await database.journal.orderBy(':id').lastKey()) as number | undefined) ?? 0;
      const ids = decoded.versions.map((version) => version.id);
      const known = new Set<string>([...((await database.syncVersions.where('id').anyOf(ids).keys()) as string[]), ...((await database.journal.where('id').anyOf(ids).keys()) as string[])]);
      const fresh = decoded.versions.filter((version) => !known.has(version.id));

      // Layers: every touched layer must exist here or come with the package.
      const layerIds = [...new Set(fresh.map((version) => version.layerId))].sort();
      const localLayers = new Map<string, LayerDefinition>();
      (await database.layers.bulkGet(layerIds)).forEach((layer) => void (layer !== undefined && localLayers.set(layer.id, layer)));
      const createLayers: FeatureOperation[] = [];
      for (const layerId of layerIds) {
        if (localLayers.has(layerId)) continue;
        const definition = decoded.layers.find((layer) => layer.id === layerId);
        if (definition === undefined) throw new EditPackageError('unknown-layer', { layerId, reason: `layer ${layerId} is neither here nor in the package` });
        localLayers.set(layerId, definition);
        createLayers.push({ kind: 'create-layer', layerId, layer: definition });
      }

      const keys = [...new Map(fresh.map((version) => [featureKey(version.layerId, version.featureId), [version.layerId, version.featureId] as [string, string]])).values()].sort();
      const grouped = await versionsOf(database, keys);
      const freshIds = new Map<string, string[]>();
      for (const version of fresh) {
        const key = featureKey(version.layerId, version.featureId);
        grouped.set(key, [...(grouped.get(key) ?? []), version]);
        freshIds.set(key, [...(freshIds.get(key) ?? []), version.id]);
      }
      const { displays, attachments } = await displaysOf(database, keys);
      const packagePhotos = new Map(decoded.photos.map((photo) => [photo.id, photo]));
      const previousHeads = await database.syncHeads.bulkGet(keys);

      const operations: FeatureOperation[] = [...createLayers];
      const heads: { layerId: string; featureId: string; heads: string[] }[] = [];
      const conflicts = new Map<string, StoredConflictDetail | null>();
      let applied = 0;
      let fields = 0;
      let merged = 0;
      let unchanged = 0;
      let photos = 0;
      keys.forEach(([layerId, featureId], index) => {
        const key = featureKey(layerId, featureId);
        const current = displays.get(key) as FeatureDisplay;
        const evaluation = evaluateFeature(grouped.get(key) ?? [], current.feature);
        const plan = planFeature(evaluation, current);
        heads.push({ layerId, featureId, heads: plan.heads });
        let conflict: StoredConflictDetail | null = plan.conflict;
        let target = plan.target;
        if (target.feature !== null && contentKey(target.feature) !== contentKey(current.feature)) {
          const layer = localLayers.get(layerId) as LayerDefinition;
          const issues = validateFeatureAgainstLayer(layer, { ...target.feature, id: featureId, layerId, updatedAt: time.toISOString(), revision: 1 });
          if (issues.length > 0) {
            conflict = invalidMergeConflict(plan, current, issues.map((issue) => `${issue.path}: ${issue.message}`));
            target = current;
          }
        }
        conflicts.set(key, conflict);
        const applies = freshIds.get(key) ?? [];
        const contentChanged = contentKey(target.feature) !== contentKey(current.feature);
        const operationsBefore = operations.length;
        if (contentChanged) {
          operations.push({ kind: 'restore', layerId, featureId, to: target.feature, applies });
          fields += changedFields(current.feature, target.feature);
        }
        if (target.feature !== null) {
          for (const [attachmentId, attached] of Object.entries(target.photos).sort()) {
            const now = current.feature !== null && current.photos[attachmentId] === true;
            if (attached === now) continue;
            if (!attached) operations.push({ kind: 'detach', layerId, featureId, attachmentId, applies });
            else if (attachments.has(attachmentId)) operations.push({ kind: 'reattach', layerId, featureId, attachmentId, applies });
            else {
              const photo = packagePhotos.get(attachmentId);
              if (photo === undefined) continue; // bytes purged on the exporter: the photo cannot come
              photos += 1;
              operations.push({
                kind: 'attach',
                layerId,
                featureId,
                applies,
                attachment: {
                  id: attachmentId,
                  blob: new Blob([photo.bytes as Uint8Array<ArrayBuffer>], { type: photo.mediaType }),
                  fileName: photo.fileName,
                  mediaType: photo.mediaType,
                  thumbnail: photo.thumbnail === null ? null : new Blob([photo.thumbnail.bytes as Uint8Array<ArrayBuffer>], { type: photo.thumbnail.mediaType }),
                  createdAt: photo.createdAt,
                },
              });
            }
          }
        }
        // Counted as written: a feature in conflict still gets its fields that merged.
        if (operations.length > operationsBefore) {
          applied += 1;
          fields += operations.length - operationsBefore - (contentChanged ? 1 : 0); // each photo attached or detached
          if ((previousHeads[index]?.heads.length ?? 0) > 0 && plan.heads.length > 1) merged += 1;
        } else if (conflict === null) unchanged += 1;
      });

      // Bookkeeping: what this device now holds of the exporter's logs, and what the exporter holds of ours.
      const source = manifest.source.device;
      let peerChanged = false;
      let peer: SyncPeer | null = null;
      if (source !== identity.deviceId) {
        const before = await readPeer(database, source);
        const covers = (from: number, to: number): Interval => (manifest.range.mode === 'since' ? [0, 0] : [manifest.range.mode === 'all' ? 0 : from, to]);
        const ack = manifest.acks[identity.deviceId] ?? { journal: 0, received: 0 };
        peer = {
          ...before,
          userName: manifest.source.userName ?? before.userName,
          covered: {
            journal: addInterval(before.covered.journal, covers(manifest.range.journalFrom, manifest.range.journalTo)),
            received: addInterval(before.covered.received, covers(manifest.range.receivedFrom, manifest.range.receivedTo)),
          },
          acked: { journal: Math.max(before.acked?.journal ?? 0, ack.journal), received: Math.max(before.acked?.received ?? 0, ack.received) },
        };
        peerChanged = JSON.stringify({ ...peer, lastImportAt: null }) !== JSON.stringify({ ...before, lastImportAt: null });
      }

      const report: ImportEditPackageReport = {
        packageId: manifest.packageId,
        source: { device: manifest.source.device, userName: manifest.source.userName },
        versions: { received: fresh.length, duplicates: decoded.versions.length - fresh.length },
        applied,
        fields,
        merged,
        conflicts: [...conflicts.values()].filter((conflict) => conflict !== null).length,
        conflictFields: [...conflicts.values()].reduce((sum, conflict) => sum + (conflict === null ? 0 : conflict.fields.length + (conflict.deletion === null ? 0 : 1)), 0),
        unchanged,
        createdLayers: createLayers.map((operation) => operation.layerId),
        photos,
        changeId: null,
      };
      // Nothing new: nothing is written at all (importing the same package twice changes nothing).
      if (fresh.length === 0 && !peerChanged) return report;

      if (operations.length > 0) {
        const committed = await transact(database, {
          author: manifest.source.device,
          ...(manifest.source.userName === null ? {} : { authorName: manifest.source.userName }),
          operations,
          allowAnyStatusChange: true,
          note: `edit package ${manifest.packageId}`,
          time,
        });
        report.changeId = committed.changeId;
      }
      const arrival: SyncArrival = { packageId: manifest.packageId, time: time.toISOString(), fromDevice: manifest.source.device, fromName: manifest.source.userName, journalPosition };
      if (fresh.length > 0) await database.syncVersions.bulkAdd(fresh.map((version) => ({ ...version, arrival })));
      if (heads.length > 0) await database.syncHeads.bulkPut(heads);
      await writeConflicts(database, conflicts, manifest.packageId, time.toISOString());
      if (peer !== null && (peerChanged || fresh.length > 0)) await database.meta.put({ key: peerKey(source), value: { ...peer, lastImportAt: time.toISOString() } satisfies SyncPeer });
      return report;
    })
    .catch(rethrowStorageError);
}

async function writeConflicts(database: OneMapDatabase, conflicts: ReadonlyMap<string, StoredConflictDetail | null>, packageId: string, time: string): Promise<void> {
  const openByFeature = new Map<string, SyncConflictRecord[]>();
  for (const record of await database.syncConflicts.where('status').equals('open').toArray()) {
    const key = featureKey(record.layerId, record.featureId);
    openByFeature.set(key, [...(openByFeature.get(key) ?? []), record]);
  }
  for (const [key, detail] of conflicts) {
    const [layerId, featureId] = key.split('\u0000') as [string, string];
    const open = openByFeature.get(key) ?? [];
    if (detail === null) {
      // Decided elsewhere (a resolution arrived), or merged away: nothing left to ask.
      for (const record of open) await database.syncConflicts.put({ ...record, status: 'superseded' });
      continue;
    }
    const existing = open[0];
    await database.syncConflicts.put({
      id: existing?.id ?? randomId(),
      layerId,
      featureId,
      status: 'open',
      detectedAt: time,
      packageId,
      detail,
      resolution: null,
    });
  }
}

// ---- the review queue ----

export interface SyncConflictView {
  id: string;
  layerId: string;
  featureId: string;
  detectedAt: string;
  packageId: string;
  detail: StoredConflictDetail;
  /** True when its resolution was undone: it waits again. */
  reopened: boolean;
}

/** Whether the change was undone (and not redone since). Runs in the caller's transaction. */
async function isUndone(database: OneMapDatabase, layerId: string, featureId: string, changeId: string): Promise<boolean> {
  const entries = await database.journal.where('[layerId+featureId]').equals([layerId, featureId]).toArray();
  let current = changeId;
  let undone = false;
  for (;;) {
    const next = entries.find((entry) => (undone ? entry.redoes === current : entry.undoes === current));
    if (next === undefined) return undone;
    current = next.changeId;
    undone = !undone;
  }
}

/** The conflicts waiting for a person: open ones, and resolved ones whose resolution was undone. */
export function listSyncConflicts(database: OneMapDatabase): Promise<SyncConflictView[]> {
  return database.transaction('r', [database.syncConflicts, database.journal], async () => {
    const records = await database.syncConflicts.where('status').anyOf('open', 'resolved').toArray();
    const views: SyncConflictView[] = [];
    for (const record of records) {
      const reopened = record.status === 'resolved' && record.resolution !== null && (await isUndone(database, record.layerId, record.featureId, record.resolution.changeId));
      if (record.status === 'open' || reopened) {
        views.push({ id: record.id, layerId: record.layerId, featureId: record.featureId, detectedAt: record.detectedAt, packageId: record.packageId, detail: record.detail as StoredConflictDetail, reopened });
      }
    }
    return views.sort((left, right) => left.detectedAt.localeCompare(right.detectedAt) || left.id.localeCompare(right.id));
  });
}

/** The conflict is not waiting (any more): resolved, superseded, or unknown. */
export class SyncConflictClosedError extends StoreError {
  readonly messages: LocalizedText = {
    zh: '该冲突已处理，无需再处理。',
    en: 'This conflict has already been dealt with.',
  };

  constructor(readonly conflictId: string) {
    super(`conflict ${conflictId} is not waiting`);
    this.name = 'SyncConflictClosedError';
  }
}

/**
 * The conflict as it stands now: the feature re-merged over every version this device holds,
 * with what it shows now as "mine". Null when nothing is left to decide. Runs in the caller's
 * transaction, if any.
 */
export async function currentConflict(database: OneMapDatabase, view: Pick<SyncConflictView, 'layerId' | 'featureId' | 'detail' | 'reopened'>): Promise<StoredConflictDetail | null> {
  const key: [string, string] = [view.layerId, view.featureId];
  const grouped = await versionsOf(database, [key]);
  const { displays } = await displaysOf(database, [key]);
  const current = displays.get(featureKey(...key)) as FeatureDisplay;
  const plan = planFeature(evaluateFeature(grouped.get(featureKey(...key)) ?? [], current.feature), current);
  if (plan.conflict !== null) return plan.conflict;
  const stored = view.detail;
  if (!view.reopened && stored.invalid === undefined) return null;
  // A reopened (undone) resolution, or a merge that did not fit the layer: the stored sides, over what is shown now.
  const theirs: FeatureDisplay = stored.theirs;
  return { ...stored, heads: plan.heads, mine: current, theirs };
}

export interface ResolveConflictRequest {
  conflictId: string;
  choice: ResolutionChoice;
  author: string;
  time?: Date;
  note?: string;
}

/**
 * Decides a conflict: keep mine, keep theirs, or an edited version. Re-merges first (versions
 * may have arrived since); writes the decision through `transact` — one change, journaled with
 * `resolves` and the fields it decides, undoable — and marks the conflict resolved. Resolves
 * with the change, or null when nothing was left to decide (the conflict is closed).
 */
export async function resolveConflict(database: OneMapDatabase, request: ResolveConflictRequest): Promise<CommittedChange | null> {
  const tables = [...transactTables(database), database.syncVersions, database.syncConflicts];
  return database
    .transaction('rw', tables, async () => {
      const record = await database.syncConflicts.get(request.conflictId);
      if (record === undefined) throw new SyncConflictClosedError(request.conflictId);
      const reopened = record.status === 'resolved' && record.resolution !== null && (await isUndone(database, record.layerId, record.featureId, record.resolution.changeId));
      if (record.status !== 'open' && !reopened) throw new SyncConflictClosedError(request.conflictId);
      const conflict = await currentConflict(database, { layerId: record.layerId, featureId: record.featureId, detail: record.detail as StoredConflictDetail, reopened });
      if (conflict === null) {
        await database.syncConflicts.put({ ...record, status: 'superseded' });
        return null;
      }
      const plan = planResolution(conflict, request.choice);
      const current = conflict.mine;
      const { layerId, featureId } = record;
      const operations: FeatureOperation[] = [];
      if (current.feature === null && plan.target.feature === null) {
        // Deleted here and the deletion is kept: the decision is journaled as re-create + delete.
        const seen = conflict.theirs.feature ?? conflict.mine.feature;
        if (seen !== null) operations.push({ kind: 'restore', layerId, featureId, to: seen });
        operations.push({ kind: 'restore', layerId, featureId, to: null, decides: plan.decides });
      } else {
        operations.push({ kind: 'restore', layerId, featureId, to: plan.target.feature, decides: plan.decides });
      }
      if (plan.target.feature !== null) {
        for (const [attachmentId, attached] of Object.entries(plan.target.photos).sort()) {
          const now = current.feature !== null && current.photos[attachmentId] === true;
          if (attached && !now) operations.push({ kind: 'reattach', layerId, featureId, attachmentId });
          if (!attached && now) operations.push({ kind: 'detach', layerId, featureId, attachmentId });
        }
      }
      const committed = await transact(database, {
        author: request.author,
        operations,
        allowAnyStatusChange: true,
        resolves: record.id,
        ...(request.note === undefined ? {} : { note: request.note }),
        ...(request.time === undefined ? {} : { time: request.time }),
      });
      await database.syncConflicts.put({
        ...record,
        status: 'resolved',
        resolution: { changeId: committed.changeId, choice: request.choice.kind, time: committed.time },
      });
      return committed;
    })
    .catch(rethrowStorageError);
}

/**
 * Recomputes every feature's heads from the journal and the received versions — for after a
 * backup restore replaced the journal (backup.ts does not carry the sync tables). Returns how
 * many features have heads.
 */
export async function rebuildSyncHeads(database: OneMapDatabase): Promise<number> {
  return database.transaction('rw', [database.journal, database.syncVersions, database.syncHeads], async () => {
    const grouped = new Map<string, SyncVersion[]>();
    const add = (version: SyncVersion): void => {
      const key = featureKey(version.layerId, version.featureId);
      grouped.set(key, [...(grouped.get(key) ?? []), version]);
    };
    journalVersions(await database.journal.toArray()).forEach(add);
    (await database.syncVersions.toArray()).map(receivedVersion).forEach(add);
    await database.syncHeads.clear();
    const rows = [...grouped.values()].map((versions) => {
      const known = new Set(versions.map((version) => version.id));
      const parents = new Set(versions.flatMap((version) => version.parents.filter((parent) => known.has(parent))));
      const first = versions[0] as SyncVersion;
      return { layerId: first.layerId, featureId: first.featureId, heads: versions.map((version) => version.id).filter((id) => !parents.has(id)).sort() };
    });
    await database.syncHeads.bulkPut(rows);
    return rows.length;
  });
}

/** `layerId/featureId` of every feature with a conflict waiting (for map flags and dashboards). */
export async function conflictedFeatureKeys(database: OneMapDatabase): Promise<Set<string>> {
  return new Set((await listSyncConflicts(database)).map((view) => `${view.layerId}/${view.featureId}`));
}

export type { DecodedEditPackage };
