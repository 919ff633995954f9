// One sync cycle with the hub (SYNC-CONTEXT decision 5) and filling a new hub database: who am I
// → push what waits → send queued resolutions → refresh the conflict mirror → pull every page →
// `hub:last-sync`. Every step keeps what it did; a failure stops the cycle and says why
// (`stopped`), never throws for the network, so the controller only reads the report.
import { HubRequestError, type HubClient } from '../../../../shared/sync/hub/client';
import type { OneMapDatabase } from '../schema';
import { META_KEYS } from '../records';
import { transact, transactTables, type FeatureOperation } from '../transact';
import { pushPending } from './push';
import { pullAll, pullCounties } from './pull';
import { refreshHubConflicts, sendHubResolutions } from './conflicts';
import { saveHubSession } from './workspace';
import type { SyncOptions, SyncReport, SyncStop } from './types';

interface HubWorkspaceMeta {
  name: { zh: string; en: string } | null;
  counties: { adcode: number; name: { zh: string; en: string } }[];
}

/**
 * Fills a hub database from the hub: the workspace's targets and counties, the hub's layers
 * (created through `transact` as hub-applied layer changes). Pulls come after (`syncOnce`).
 * Layers already here are left as they are.
 */
export async function prepareHubWorkspace(database: OneMapDatabase, client: HubClient, signal?: unknown): Promise<{ layers: string[]; targets: number }> {
  const workspace = await client.workspace(signal);
  const { layers } = await client.layers(signal);
  const live = layers.filter((layer) => !layer.deleted);
  return database.transaction('rw', [...transactTables(database), database.targets], async () => {
    const present = new Set((await database.layers.toCollection().primaryKeys()) as string[]);
    const operations: FeatureOperation[] = live
      .filter((layer) => !present.has(layer.id))
      .map((layer) => ({ kind: 'create-layer', layerId: layer.id, layer: layer.definition, applies: [`hub:layer/${layer.id}@${layer.version}`] }));
    if (operations.length > 0) await transact(database, { author: 'hub', authorName: 'hub', device: 'hub', operations });
    await database.targets.bulkPut(workspace.targets);
    await database.meta.put({ key: META_KEYS.hubWorkspace, value: { name: workspace.name, counties: workspace.counties } satisfies HubWorkspaceMeta });
    await database.meta.put({ key: META_KEYS.hubLayers, value: layers.map((layer) => layer.id).sort() });
    return { layers: operations.map((operation) => operation.layerId), targets: workspace.targets.length };
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
  const report: SyncReport = { pushed: 0, refused: 0, conflicts: await database.hubConflicts.count(), pulled: 0, resolutions: 0, stopped: null, error: null };
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
    const workspace = (await database.meta.get(META_KEYS.hubWorkspace))?.value as HubWorkspaceMeta | undefined;
    let workspaceCounties = workspace?.counties.map((county) => county.adcode);
    if (session.user.counties === 'all' && workspaceCounties === undefined) workspaceCounties = (await client.workspace(signal)).counties.map((county) => county.adcode);
    const counties = pullCounties(session.user.counties, workspaceCounties ?? []);
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
