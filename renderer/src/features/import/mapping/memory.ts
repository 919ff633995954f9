// The mapping used last time for a source (its file name and columns), kept in localStorage.
import type { LayerDefinition } from '../../../../../shared/model';
import type { FieldMapping, FieldSource } from './types';

/** A source is its file name and its set of columns (order ignored). */
export function mappingMemoryKey(fileName: string, columns: readonly string[]): string {
  return `onemap.import.mapping.v1:${fileName}\u001f${[...columns].sort().join('\u001f')}`;
}

export interface RememberedMapping {
  layerId: string;
  mapping: FieldMapping;
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function rememberMapping(storage: KeyValueStorage, fileName: string, columns: readonly string[], remembered: RememberedMapping): void {
  try {
    storage.setItem(mappingMemoryKey(fileName, columns), JSON.stringify(remembered));
  } catch {
    // Storage full or disabled: the mapping is a convenience, the import itself is done.
  }
}

/** The mapping used last time for this source, kept only where it still fits the layer and the columns. */
export function recallMapping(storage: KeyValueStorage, fileName: string, columns: readonly string[], layer: LayerDefinition): FieldMapping | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(storage.getItem(mappingMemoryKey(fileName, columns)) ?? 'null');
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const remembered = parsed as Partial<RememberedMapping>;
  if (remembered.layerId !== layer.id || typeof remembered.mapping !== 'object' || remembered.mapping === null) return null;
  const known = new Set(columns);
  const fields: Record<string, FieldSource> = {};
  for (const field of layer.fields) {
    const source = remembered.mapping.fields?.[field.key];
    if (source?.kind === 'column' && known.has(source.column)) fields[field.key] = source;
    else if (source?.kind === 'constant') fields[field.key] = source;
    else fields[field.key] = { kind: 'none' };
  }
  const column = (value: unknown) => (typeof value === 'string' && known.has(value) ? value : null);
  return { fields, idColumn: column(remembered.mapping.idColumn), statusColumn: column(remembered.mapping.statusColumn) };
}
