// Rows of hub.layers, hub.target_sets and hub.targets as the API hands them out
// (shared/sync/hub/layers.ts: HubLayer, HubTargetSet, HubTarget).
import type { Pool, PoolClient } from 'pg';
import type { HubLayer, HubTarget, HubTargetSet } from '../../shared/sync/hub/layers';

export type DefinitionKind = 'layer' | 'target-set' | 'target';

export interface DefinitionRow {
  id: string;
  definition: unknown;
  version: string;
  deleted: boolean;
  updated_at: Date;
  updated_by: string | null;
}

export const DEFINITION_TABLES: Record<DefinitionKind, string> = { layer: 'hub.layers', 'target-set': 'hub.target_sets', target: 'hub.targets' };

const common = (row: DefinitionRow) => ({ id: row.id, version: Number(row.version), deleted: row.deleted, updatedAt: row.updated_at.toISOString(), updatedBy: row.updated_by });

export const layerRecord = (row: DefinitionRow): HubLayer => ({ ...common(row), definition: row.definition as HubLayer['definition'] });
export const targetSetRecord = (row: DefinitionRow): HubTargetSet => ({ ...common(row), set: row.definition as HubTargetSet['set'] });
export const targetRecord = (row: DefinitionRow): HubTarget => ({ ...common(row), target: row.definition as HubTarget['target'] });

export function recordOf(kind: DefinitionKind, row: DefinitionRow): HubLayer | HubTargetSet | HubTarget {
  if (kind === 'layer') return layerRecord(row);
  return kind === 'target-set' ? targetSetRecord(row) : targetRecord(row);
}

const COLUMNS = 'id, definition, version, deleted, updated_at, updated_by';

export async function readDefinitions(db: Pool | PoolClient, kind: DefinitionKind): Promise<DefinitionRow[]> {
  return (await db.query<DefinitionRow>(`SELECT ${COLUMNS} FROM ${DEFINITION_TABLES[kind]} ORDER BY id`)).rows;
}

/** One row, locked until the transaction ends (a second writer of the same record waits). */
export async function lockDefinition(client: PoolClient, kind: DefinitionKind, id: string): Promise<DefinitionRow | null> {
  return (await client.query<DefinitionRow>(`SELECT ${COLUMNS} FROM ${DEFINITION_TABLES[kind]} WHERE id = $1 FOR UPDATE`, [id])).rows[0] ?? null;
}
