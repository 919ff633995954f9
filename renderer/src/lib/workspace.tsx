import { createContext, useContext } from 'react';
import { localized } from './localize';
import {
  openCheckedOneMapDatabase,
  seed,
  ensureWorkspaceIdentity,
  removeAbandonedImports,
  type DemoLayerCollection,
  type OneMapDatabase,
  type PersistentStorageState,
  requestPersistentStorage,
  StoreError,
  type SeedReport,
  type StoreLossReport,
  type WorkspaceIdentity,
} from '../db';
import { hengshuiLayers, hengshuiTargets2021, DEMO_LAYER_FILES, DEMO_AS_OF } from '../../../seeds';

/** Everything the features need of the open workspace. */
export interface Workspace {
  database: OneMapDatabase;
  identity: WorkspaceIdentity;
  /** The date progress and overdue lists are computed for (the demo data's date while it is shown). */
  asOf: string;
  seedReport: SeedReport;
  /** Whether the browser promised not to evict the store under storage pressure. */
  persistence: PersistentStorageState;
  /** Set when the store's data vanished since the last start (emptied by the browser): offer a restore. */
  storeLoss: StoreLossReport | null;
}

const WorkspaceContext = createContext<Workspace | null>(null);
export const WorkspaceProvider = WorkspaceContext.Provider;

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

export class WorkspaceOpenError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'WorkspaceOpenError';
  }
}

async function fetchDemoFile(fileName: string): Promise<{ features: DemoLayerCollection['features'] }> {
  const url = Object.entries(demoFileUrls).find(([path]) => path.endsWith(`/${fileName}`))?.[1];
  if (!url) throw new WorkspaceOpenError(fileName, 'not bundled with the app');
  const response = await fetch(url);
  if (!response.ok) throw new WorkspaceOpenError(fileName, `HTTP ${response.status}`);
  const collection = (await response.json()) as { type?: unknown; features?: unknown };
  if (collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    throw new WorkspaceOpenError(fileName, 'not a GeoJSON FeatureCollection');
  }
  return collection as { features: DemoLayerCollection['features'] };
}

/** Opens the local store and seeds the Hengshui workspace (idempotent: an upsert by stable id). */
export async function openWorkspace(): Promise<Workspace> {
  performance.mark('onemap:workspace-opening');
  // Checked before seeding: seeding an emptied store would otherwise hide that its data is gone.
  const { database, loss: storeLoss } = await openCheckedOneMapDatabase();
  const demoCollections = await Promise.all(
    DEMO_LAYER_FILES.map(async (file): Promise<DemoLayerCollection> => ({
      layer: file.layerId,
      features: (await fetchDemoFile(file.fileName)).features,
    })),
  );
  performance.mark('onemap:demo-files-fetched');
  const seedReport = await seed(database, {
    layers: hengshuiLayers,
    targets: hengshuiTargets2021,
    demoCollections,
  });
  performance.mark('onemap:workspace-seeded');
  // Chunks an import staged before a crash (or a window closed mid-import): swept in the
  // background, small transactions; an import running in another window or worker is spared.
  void removeAbandonedImports(database).catch((error: unknown) => console.warn('sweeping abandoned import chunks failed', error));
  const identity = await ensureWorkspaceIdentity(database);
  const persistence = await requestPersistentStorage();
  return { database, identity, asOf: DEMO_AS_OF, seedReport, persistence, storeLoss };
}

/** A store error's message in the UI language (StoreError carries zh/en), else the error's own text. */
export function storeErrorText(error: unknown, language: string): string {
  if (error instanceof StoreError) return localized(error.messages, language);
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
