// Layer changes between devices: a layer renamed, deleted, or brought back (undo of a delete), and
// a layer's definition made or changed in the layer editor (`define`: the whole definition).
// They travel in every edit package (`layer-changes.json`, all that the exporter knows: they are
// few and small, and importing one twice changes nothing). Each layer has two registers, decided
// the same way on every device whatever order the changes arrive in: its name — the latest rename
// — and whether it exists — the latest delete or restore ("latest" by time, then id); a third, its
// definition, is the `define` of the highest `version` (then the latest).
//
// A delete also travels as a delete version of every feature its author's device held versions
// of, so the per-feature merge decides those features: one edited elsewhere meanwhile becomes a
// deletion conflict in that device's review queue. A device removes the layer itself only when,
// after the merge, none of its features is left there — otherwise the layer stays (held back)
// and the import says so: an edit is never lost silently.
import { z } from 'zod';
import { layerDefinitionSchema, localizedTextSchema, timestampSchema, type LayerDefinition, type LocalizedText } from '../model';

export const layerChangeSchema = z.strictObject({
  /** Its author's `layerJournal` record id. */
  id: z.string().min(1),
  layerId: z.string().min(1),
  kind: z.enum(['rename', 'remove', 'restore', 'define']),
  /** rename: the new name. */
  name: localizedTextSchema.optional(),
  /** restore: the definition brought back; define: the new definition. */
  layer: layerDefinitionSchema.optional(),
  author: z.string().min(1),
  authorName: z.string().optional(),
  device: z.string().min(1),
  time: timestampSchema,
});

export interface LayerChange {
  id: string;
  layerId: string;
  kind: 'rename' | 'remove' | 'restore' | 'define';
  name?: LocalizedText;
  layer?: LayerDefinition;
  author: string;
  authorName?: string;
  device: string;
  time: string;
}

const later = (left: LayerChange, right: LayerChange): boolean => (left.time !== right.time ? left.time > right.time : left.id > right.id);

const versionOf = (change: LayerChange): number => change.layer?.version ?? 1;

/** The layer's name, existence and definition as every device decides them from the same changes (null: no change of that kind). */
export function layerRegisters(changes: Iterable<LayerChange>): { name: LayerChange | null; existence: LayerChange | null; definition: LayerChange | null } {
  let name: LayerChange | null = null;
  let existence: LayerChange | null = null;
  let definition: LayerChange | null = null;
  for (const change of changes) {
    if (change.kind === 'rename') {
      if (name === null || later(change, name)) name = change;
    } else if (change.kind === 'define') {
      if (definition === null || versionOf(change) > versionOf(definition) || (versionOf(change) === versionOf(definition) && later(change, definition))) definition = change;
    } else if (existence === null || later(change, existence)) existence = change;
  }
  return { name, existence, definition };
}

/** Checks the content of `layer-changes.json`; returns the issue's path and message, or the changes. */
export function parseLayerChanges(json: unknown): { changes: LayerChange[] } | { path: (string | number)[]; message: string } {
  const parsed = z.array(layerChangeSchema).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { path: (issue?.path ?? []).map((part) => (typeof part === 'symbol' ? String(part) : part)), message: issue?.message ?? 'invalid' };
  }
  for (const [index, change] of parsed.data.entries()) {
    if (change.kind === 'rename' && change.name === undefined) return { path: [index, 'name'], message: 'a rename needs its name' };
    if ((change.kind === 'restore' || change.kind === 'define') && change.layer === undefined) return { path: [index, 'layer'], message: `a ${change.kind} needs the layer` };
    if (change.layer !== undefined && change.layer.id !== change.layerId) return { path: [index, 'layer', 'id'], message: `not layer ${change.layerId}` };
  }
  return { changes: parsed.data as LayerChange[] };
}
