// Sync bookkeeping per peer device (meta `sync-peer:<deviceId>`): what was sent to it, what it
// acknowledged, which of its ranges arrived here.
import type { Interval, SyncPosition } from '../../../../shared/sync';
import type { OneMapDatabase } from '../schema';
import { META_KEYS } from '../records';

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

export const peerKey = (deviceId: string): string => `${META_KEYS.syncPeerPrefix}${deviceId}`;

function emptyPeer(deviceId: string): SyncPeer {
  return { deviceId, userName: null, lastSent: null, acked: null, covered: { journal: [], received: [] }, lastExportAt: null, lastImportAt: null };
}

export async function readPeer(database: OneMapDatabase, deviceId: string): Promise<SyncPeer> {
  const row = await database.meta.get(peerKey(deviceId));
  return row === undefined ? emptyPeer(deviceId) : (row.value as SyncPeer);
}

/** Every device this one has exchanged packages with, by name. */
export async function listSyncPeers(database: OneMapDatabase): Promise<SyncPeer[]> {
  const rows = await database.meta.where('key').startsWith(META_KEYS.syncPeerPrefix).toArray();
  return rows.map((row) => row.value as SyncPeer).sort((left, right) => (left.userName ?? left.deviceId).localeCompare(right.userName ?? right.deviceId));
}
