// One sync cycle with the hub (SYNC-CONTEXT decision 5) and filling a new hub database: who am I
// → push what waits (feature and definition changes) → send queued resolutions → refresh the
// conflict mirror → pull the definitions → pull every page of features → `hub:last-sync`. Every
// step keeps what it did; a failure stops the cycle and says why (`stopped`), never throws for the
// network, so the controller only reads the report.
import { HubRequestError, type HubClient } from '../../../../shared/sync/hub/client';
import type { OneMapDatabase } from '../schema';
import { META_KEYS } from '../records';
import { pushPending } from './push';
import { pullDefinitions } from './definitions-pull';
import type { LayersResponse, WorkspaceResponse } from '../../../../shared/sync/hub/layers';
import { pullAll, pullCounties } from './pull';
import { refreshHubConflicts, sendHubResolutions } from './conflicts';
import { saveHubSession } from './workspace';
import type { SyncOptions, SyncReport, SyncStop } from './types';

interface HubWorkspaceMeta {
  name: { zh: string; en: string } | null;
  counties: { adcode: number; name: { zh: string; en: string } }[];
}

/**
 * Fills a hub database from the hub: the workspace's counties, the hub's layers, target sets and
 * targets (through `transact` as pulled definition changes, definitions-pull.ts). Pulls of
 * features come after (`syncOnce`).
 */
export async function prepareHubWorkspace(database: OneMapDatabase, client: HubClient, signal?: unknown): Promise<{ layers: string[]; targets: number }> {
  const workspace = await client.workspace(signal);
  const layers = await client.layers(signal);
  const pulled = await pullDefinitions(database, client, { signal, workspace, layers });
  await saveWorkspaceMeta(database, workspace, layers);
  return { layers: pulled.changed.filter((key) => key.startsWith('layer:')).map((key) => key.slice('layer:'.length)), targets: workspace.targets.length };
}

async function saveWorkspaceMeta(database: OneMapDatabase, workspace: WorkspaceResponse, layers: LayersResponse): Promise<void> {
  await database.transaction('rw', database.meta, async () => {
    await database.meta.put({ key: META_KEYS.hubWorkspace, value: { name: workspace.name, counties: workspace.counties } satisfies HubWorkspaceMeta });
    await database.meta.put({ key: META_KEYS.hubLayers, value: layers.layers.map((layer) => layer.id).sort() });
  });
}

function stopOf(error: unknown): SyncStop {
  if (error instanceof HubRequestError) {
    if (error.kind === 'unauthorized') return 'auth-expired';
    if (error.kind === 'offline' || error.kind === 'server' || error.status === 429) return 'offline';
  }
  return 'failed';
}

/** Runs one sync cycle (see the file comment). Resolves with what it did and, if it stopped early, why. */
export async function syncOnce(database: OneMapDatabase, options: SyncOptions): Promise<SyncReport> {
  const { client, signal } = options;
  const now = options.now ?? (() => new Date());
  const report: SyncReport = { pushed: 0, refused: 0, conflicts: await database.hubConflicts.count(), pulled: 0, definitions: 0, resolutions: 0, stopped: null, error: null };
  try {
    const session = await client.session(signal);
    await saveHubSession(database, client.address, session);
    const pushed = await pushPending(database, client, { ...(options.device === undefined ? {} : { device: options.device }), ...(signal === undefined ? {} : { signal }), now });
    report.pushed = pushed.pushed;
    report.refused = pushed.refused;
    report.resolutions = await sendHubResolutions(database, client, signal);
    options.onPushed?.();
    // Before the pull: the pull keeps this store's side of its own open conflicts (pull.ts).
    const conflictCounties = session.user.counties === 'all' ? undefined : session.user.counties;
    await refreshHubConflicts(database, client, conflictCounties, signal);
    // Definitions every sync (they are small), before the features that may need them.
    const workspace = await client.workspace(signal);
    const layers = await client.layers(signal);
    const definitions = await pullDefinitions(database, client, { signal, workspace, layers });
    report.definitions = definitions.changed.length;
    await saveWorkspaceMeta(database, workspace, layers);
    const counties = pullCounties(session.user.counties, workspace.counties.map((county) => county.adcode));
    const pulled = await pullAll(database, client, counties, { ...(options.pullLimit === undefined ? {} : { limit: options.pullLimit }), ...(signal === undefined ? {} : { signal }) });
    report.pulled = pulled.changed;
    report.conflicts = await database.hubConflicts.count();
    await database.meta.put({ key: META_KEYS.hubLastSync, value: now().toISOString() });
  } catch (error) {
    report.stopped = stopOf(error);
    report.error = error instanceof Error ? error : new Error(String(error));
  }
  return report;
}
