// The local workspace registry (WS-CONTEXT decision 2): a small database of its own,
// `onemap-workspaces`, outside every workspace's store. It lists the workspaces made on this
// computer (each with its own database `onemap-ws-<id>`) and which one is open; the embedded
// default (Hengshui, database `onemap`) is not stored here — it is always there.
import Dexie, { type EntityTable } from 'dexie';
import type { LayerDefinition, Target, GeoJsonFeature } from '../../../shared/model';
import { workspaceDefinitionSchema, WorkspaceError, type WorkspaceDefinition } from '../../../shared/workspace';
import { openDatabase, openOneMapDatabase } from './schema';
import { seed } from './seed';

export const WORKSPACE_REGISTRY_NAME = 'onemap-workspaces';
export const WORKSPACE_DATABASE_PREFIX = 'onemap-ws-';

interface RegistryMeta {
  key: string;
  value: unknown;
}

class WorkspaceRegistry extends Dexie {
  workspaces!: EntityTable<WorkspaceDefinition, 'id'>;
  meta!: EntityTable<RegistryMeta, 'key'>;
  constructor() {
    super(WORKSPACE_REGISTRY_NAME);
    this.version(1).stores({ workspaces: 'id', meta: 'key' });
  }
}

const CURRENT_KEY = 'current';

async function withRegistry<T>(work: (registry: WorkspaceRegistry) => Promise<T>): Promise<T> {
  const registry = await openDatabase(new WorkspaceRegistry());
  try {
    return await work(registry);
  } finally {
    registry.close();
  }
}

/** The workspaces made on this computer, oldest first (the default is not among them). */
export function listLocalWorkspaces(): Promise<WorkspaceDefinition[]> {
  return withRegistry(async (registry) => (await registry.workspaces.toArray()).sort((a, b) => a.createdAt.localeCompare(b.createdAt)));
}

export function getLocalWorkspace(id: string): Promise<WorkspaceDefinition | undefined> {
  return withRegistry((registry) => registry.workspaces.get(id));
}

/** The id of the local workspace to open, or null for the default. */
export function currentLocalWorkspaceId(): Promise<string | null> {
  return withRegistry(async (registry) => {
    const value = (await registry.meta.get(CURRENT_KEY))?.value;
    return typeof value === 'string' ? value : null;
  });
}

/** Chooses the local workspace opened next (null: the default). */
export function setCurrentLocalWorkspace(id: string | null): Promise<void> {
  return withRegistry(async (registry) => {
    if (id === null) await registry.meta.delete(CURRENT_KEY);
    else await registry.meta.put({ key: CURRENT_KEY, value: id });
  });
}

export interface NewWorkspaceContent {
  definition: Omit<WorkspaceDefinition, 'database' | 'createdAt'>;
  layers: readonly LayerDefinition[];
  targets: readonly Target[];
  /** Features by layer (a template with data), written as the layers' starting base. */
  features?: Readonly<Record<string, readonly GeoJsonFeature[]>>;
  /** Names taken: the default's and any other the caller knows. */
  reservedNames?: readonly string[];
  time?: Date;
}

/** A new workspace id: `ws-<base36 time><4 random base36 digits>`. */
export function newWorkspaceId(): string {
  return `ws-${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, '0')}`;
}

/**
 * Makes a local workspace: its own database filled with the layers, targets and features (one
 * seed), then its registry entry. All or nothing: a refusal or a failure deletes the new
 * database, and the registry is written last, so no half-made workspace is ever listed.
 */
export async function createLocalWorkspace(content: NewWorkspaceContent): Promise<WorkspaceDefinition> {
  const name = content.definition.name.zh.trim();
  if (name === '') throw new WorkspaceError('workspace.name-missing');
  const taken = [...(content.reservedNames ?? []), ...(await listLocalWorkspaces()).map((workspace) => workspace.name.zh)];
  if (taken.includes(name)) throw new WorkspaceError('workspace.name-taken', { value: name });
  const definition = workspaceDefinitionSchema.parse({
    ...content.definition,
    name: { zh: name, en: content.definition.name.en.trim() || name },
    database: `${WORKSPACE_DATABASE_PREFIX}${content.definition.id}`,
    createdAt: (content.time ?? new Date()).toISOString(),
  });
  const database = await openOneMapDatabase(definition.database);
  try {
    await seed(database, {
      layers: content.layers,
      targets: content.targets,
      demoCollections: Object.entries(content.features ?? {}).map(([layer, features]) => ({ layer, features })),
      ...(content.time ? { time: content.time } : {}),
    });
    database.close();
    await withRegistry((registry) => registry.workspaces.add(definition));
    return definition;
  } catch (error) {
    database.close();
    await Dexie.delete(definition.database);
    throw error;
  }
}
