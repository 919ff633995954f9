import { createContext, useContext } from 'react';
import {
  openCheckedOneMapDatabase,
  seed,
  ensureWorkspaceIdentity,
  removeAbandonedImports,
  type DemoLayerCollection,
  type OneMapDatabase,
  type PersistentStorageState,
  requestPersistentStorage,
  type SeedReport,
  type StoreLossReport,
  type WorkspaceIdentity,
  currentLocalWorkspaceId,
  getLocalWorkspace,
  demoLayersUpToDate,
  recordDemoSources,
} from '../db';
import { openHubDatabase, type HubTarget } from './hub-workspace';
import { hengshuiLayers, hengshuiTargets2021, hengshuiWorkspace, DEMO_LAYER_FILES } from '../../../seeds';
import type { WorkspaceDefinition } from '../../../shared/workspace';
import { OneMapError } from '../../../shared/errors';

/** Everything the features need of the open workspace. */
export interface Workspace {
  /** Which city: name, boundaries or bundled basemap, extent (CRS detection, the start view). */
  definition: WorkspaceDefinition;
  database: OneMapDatabase;
  identity: WorkspaceIdentity;
  /** The date progress and overdue lists are computed for (the demo data's date while it is shown). */
  asOf: string;
  /** What seeding the local workspace wrote; null in a hub workspace (filled from the hub instead). */
  seedReport: SeedReport | null;
  /** The hub and user this workspace syncs with; null for the local (demo) workspace. */
  hub: HubTarget | null;
  /** Whether the browser promised not to evict the store under storage pressure. */
  persistence: PersistentStorageState;
  /** Set when the store's data vanished since the last start (emptied by the browser): offer a restore. */
  storeLoss: StoreLossReport | null;
}

const WorkspaceContext = createContext<Workspace | null>(null);
export const WorkspaceProvider = WorkspaceContext.Provider;

/**
 * Changes the open workspace: a hub's (after signing in there) or the local one (after signing
 * out). The app closes the current store and opens the other; the workbench starts afresh.
 */
export type SwitchWorkspace = (hub: HubTarget | null) => void;
const SwitchWorkspaceContext = createContext<SwitchWorkspace>(() => {
  throw new Error('useSwitchWorkspace outside <SwitchWorkspaceProvider>');
});
export const SwitchWorkspaceProvider = SwitchWorkspaceContext.Provider;
export function useSwitchWorkspace(): SwitchWorkspace {
  return useContext(SwitchWorkspaceContext);
}

export function useWorkspace(): Workspace {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error('useWorkspace outside <WorkspaceProvider>');
  return workspace;
}

// The demo layers are bundled as files of their own (fetched from the app's origin), not inlined
// in the JavaScript: the store is seeded from them once, and re-seeded only when they change.
const demoFileUrls = import.meta.glob('../../../seeds/demo/*.geojson', { query: '?url', import: 'default', eager: true }) as Record<
  string,
  string
>;

/** A bundled demo file is missing or not GeoJSON (code `demo-file-invalid`). */
export class WorkspaceOpenError extends OneMapError {
  override name = 'WorkspaceOpenError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super('demo-file-invalid', { file, technical: reason });
    this.message = `${file}: ${reason}`;
  }
}

function demoFileUrl(fileName: string): string {
  const url = Object.entries(demoFileUrls).find(([path]) => path.endsWith(`/${fileName}`))?.[1];
  if (!url) throw new WorkspaceOpenError(fileName, 'not bundled with the app');
  return url;
}

async function fetchDemoFile(fileName: string): Promise<{ features: DemoLayerCollection['features'] }> {
  const url = demoFileUrl(fileName);
  const response = await fetch(url);
  if (!response.ok) throw new WorkspaceOpenError(fileName, `HTTP ${response.status}`);
  const collection = (await response.json()) as { type?: unknown; features?: unknown };
  if (collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    throw new WorkspaceOpenError(fileName, 'not a GeoJSON FeatureCollection');
  }
  return collection as { features: DemoLayerCollection['features'] };
}

/** Today's calendar date here (a hub workspace's progress is as of today). */
function localToday(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/** The embedded default workspace (seeded from seeds/). */
export const defaultWorkspace: WorkspaceDefinition = hengshuiWorkspace;

/**
 * Which workspace opens: a hub's works on the default's city (the hub serves its layers and
 * counties); otherwise the local workspace chosen last (the registry's pointer), else the default.
 * A pointer to a workspace no longer listed opens the default.
 */
export async function resolveWorkspaceDefinition(hub: HubTarget | null): Promise<WorkspaceDefinition> {
  if (hub !== null) return defaultWorkspace;
  const id = await currentLocalWorkspaceId().catch(() => null);
  if (id === null || id === defaultWorkspace.id) return defaultWorkspace;
  return (await getLocalWorkspace(id).catch(() => undefined)) ?? defaultWorkspace;
}

/**
 * Opens a hub's workspace (its own database, filled from the hub by the sync — never seeded from
 * the demo files), a local workspace made in the app (its own database, filled when it was made)
 * or, for the default, the local store seeded with the Hengshui demo workspace (idempotent: an
 * upsert by stable id).
 */
export async function openWorkspace(hub: HubTarget | null = null, definition: WorkspaceDefinition = defaultWorkspace): Promise<Workspace> {
  if (hub !== null) {
    const { database, loss: storeLoss } = await openHubDatabase(hub);
    const identity = await ensureWorkspaceIdentity(database);
    const persistence = await requestPersistentStorage();
    return { definition, database, identity, asOf: localToday(), seedReport: null, hub, persistence, storeLoss };
  }
  if (definition.id !== defaultWorkspace.id) {
    const { database, loss: storeLoss } = await openCheckedOneMapDatabase(definition.database);
    void removeAbandonedImports(database).catch((error: unknown) => console.warn('sweeping abandoned import chunks failed', error));
    const identity = await ensureWorkspaceIdentity(database);
    const persistence = await requestPersistentStorage();
    return { definition, database, identity, asOf: definition.asOf ?? localToday(), seedReport: null, hub: null, persistence, storeLoss };
  }
  performance.mark('onemap:workspace-opening');
  // Checked before seeding: seeding an emptied store would otherwise hide that its data is gone.
  const { database, loss: storeLoss } = await openCheckedOneMapDatabase(definition.database);
  const sources = DEMO_LAYER_FILES.map((file) => ({ layerId: file.layerId, url: demoFileUrl(file.fileName) }));
  // A dev server's URLs carry no content hash: there every start fetches and compares.
  const upToDate = import.meta.env.DEV ? new Set<string>() : await demoLayersUpToDate(database, sources);
  const demoCollections = await Promise.all(
    DEMO_LAYER_FILES.filter((file) => !upToDate.has(file.layerId)).map(
      async (file): Promise<DemoLayerCollection> => ({ layer: file.layerId, features: (await fetchDemoFile(file.fileName)).features }),
    ),
  );
  performance.mark('onemap:demo-files-fetched');
  const seedReport = await seed(database, {
    layers: hengshuiLayers,
    targets: hengshuiTargets2021,
    demoCollections,
  });
  seedReport.layersUnchanged.push(...upToDate);
  const seededLayers = new Set(demoCollections.map((collection) => collection.layer));
  if (seededLayers.size > 0) await recordDemoSources(database, sources.filter((source) => seededLayers.has(source.layerId)));
  performance.mark('onemap:workspace-seeded');
  // Chunks an import staged before a crash (or a window closed mid-import): swept in the
  // background, small transactions; an import running in another window or worker is spared.
  void removeAbandonedImports(database).catch((error: unknown) => console.warn('sweeping abandoned import chunks failed', error));
  const identity = await ensureWorkspaceIdentity(database);
  const persistence = await requestPersistentStorage();
  return { definition, database, identity, asOf: definition.asOf ?? localToday(), seedReport, hub: null, persistence, storeLoss };
}

