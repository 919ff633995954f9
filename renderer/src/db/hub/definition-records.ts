// Definition changes in a hub workspace (layer definitions, target sets, targets): which
// `layerJournal` records wait for the hub, and the hub versions this store holds (the base
// version of its next write). Runs in the caller's transaction, if any.
import type { OneMapDatabase } from '../schema';
import { META_KEYS, type LayerJournalRecord } from '../records';
import { TARGET_RECORD_PREFIX, TARGET_SET_RECORD_PREFIX } from '../change/target-types';

export type DefinitionKind = 'layer' | 'target-set' | 'target';

/** `layer:<id>`, `target-set:<id>`, `target:<id>` → the hub's version; `layer-definition:<id>` → the version inside the hub's definition. */
export type DefinitionVersions = Record<string, number>;

export const definitionKey = (kind: DefinitionKind | 'layer-definition', id: string): string => `${kind}:${id}`;

export async function readDefinitionVersions(database: OneMapDatabase): Promise<DefinitionVersions> {
  const row = await database.meta.get(META_KEYS.hubDefinitionVersions);
  return { ...((row?.value as DefinitionVersions | undefined) ?? {}) };
}

export async function writeDefinitionVersions(database: OneMapDatabase, versions: DefinitionVersions): Promise<void> {
  await database.meta.put({ key: META_KEYS.hubDefinitionVersions, value: versions });
}

/** What a `layerJournal` record made here writes on the hub, or null when it is not a definition change the hub takes. */
export function definitionOf(record: LayerJournalRecord): { kind: DefinitionKind; id: string } | null {
  if (record.applies !== undefined) return null;
  if (record.target !== undefined) return { kind: 'target', id: record.layerId.slice(TARGET_RECORD_PREFIX.length) };
  if (record.targetSet !== undefined) return { kind: 'target-set', id: record.layerId.slice(TARGET_SET_RECORD_PREFIX.length) };
  if (record.after === null) return null;
  // A layer made in the layer editor (alone: no imported base, no feature), every definition
  // change and a rename (the whole definition goes); an import's layer travels with its features'
  // push, a removal stays here.
  const madeAlone = record.operation === 'create-layer' && record.base === undefined && record.reinstated !== true && record.journalPosition !== undefined;
  if (record.operation === 'update-layer' || record.operation === 'rename-layer' || madeAlone) return { kind: 'layer', id: record.layerId };
  return null;
}

/** The definition changes waiting for the hub, in commit order. */
export async function pendingDefinitionRecords(database: OneMapDatabase): Promise<LayerJournalRecord[]> {
  const row = await database.meta.get(META_KEYS.hubDefinitionsPushedThrough);
  const through = typeof row?.value === 'number' ? row.value : 0;
  return database.layerJournal.where(':id').above(through).filter((record) => definitionOf(record) !== null).toArray();
}

/** `kind:id` of every definition with a change not yet on the hub (a pull leaves them as they are here). */
export async function pendingDefinitionKeys(database: OneMapDatabase): Promise<Set<string>> {
  return new Set(
    (await pendingDefinitionRecords(database)).map((record) => {
      const definition = definitionOf(record) as { kind: DefinitionKind; id: string };
      return definitionKey(definition.kind, definition.id);
    }),
  );
}
