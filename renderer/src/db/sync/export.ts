// Export: the versions (journal entries) of every feature touched since the last package for a
// peer — or since a date, or all — each feature's whole history, its current value, its layer
// and the photos its versions attach, as one `.onemap` file.
import { encodeEditPackage, exportStart, contiguousEnd, EDIT_PACKAGE_EXTENSION, type EditPackageManifest, type ExportMode, type PackagePhoto } from '../../../../shared/sync';
import type { LayerDefinition } from '../../../../shared/model';
import type { OneMapDatabase } from '../schema';
import type { AttachmentRecord } from '../records';
import { ensureWorkspaceIdentity, randomId } from '../identity';
import { listSyncPeers, peerKey, readPeer, type SyncPeer } from './peers';
import { knownLayerChanges } from './layer-changes';
import { knownTargetChanges } from './target-changes';
import { displaysOf, featureKey, versionsOf } from './versions';

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
    [database.journal, database.syncVersions, database.meta, database.layers, database.layerBases, database.featureChunks, database.featureFilters, database.featureEdits, database.attachments, database.layerJournal, database.targets],
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
      const layers: LayerDefinition[] = [];
      for (const [index, layer] of (await database.layers.bulkGet(layerIds)).entries()) {
        // A layer deleted here still goes with its features' versions: the receiver may not know it.
        const definition = layer ?? (await database.layerJournal.where('layerId').equals(layerIds[index] as string).last())?.before ?? undefined;
        if (definition !== undefined) layers.push(definition);
      }
      const layerChanges = (await knownLayerChanges(database)).sort((left, right) => left.time.localeCompare(right.time) || left.id.localeCompare(right.id));
      const photoIds = [...new Set(versions.filter((version) => version.operation === 'attach').map((version) => version.attachment?.id as string))].sort();
      const attachments = (await database.attachments.bulkGet(photoIds)).filter((record): record is AttachmentRecord => record !== undefined);
      const peers = await listSyncPeers(database);
      const targetChanges = (await knownTargetChanges(database)).sort((left, right) => left.time.localeCompare(right.time) || left.id.localeCompare(right.id));
      return { journalFrom, journalTo, receivedFrom, receivedTo, keys, versions, features, layers, attachments, peers, layerChanges, targetChanges };
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
      layerChanges: snapshot.layerChanges,
      targetChanges: snapshot.targetChanges,
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
