// Reading a layer = its packed base chunks with the per-feature edit rows laid over them.
// Pure: the repositories feed it what they read; the unit tests feed it literals.
import type { Feature } from '../../../shared/model';
import type { FeatureEditRecord } from './records';

/**
 * The current features of a layer: every base feature in chunk order, replaced by its edit row
 * when there is one, left out when the edit row is a tombstone; then the features that exist
 * only as edits (created by the user), in the order they were last changed. The inputs are not
 * modified; feature objects are shared, not copied.
 */
export function mergeBaseWithEdits(
  chunks: readonly { features: readonly Feature[] }[],
  edits: readonly FeatureEditRecord[],
): Feature[] {
  const editsById = new Map<string, FeatureEditRecord>();
  for (const edit of edits) editsById.set(edit.featureId, edit);
  const merged: Feature[] = [];
  const applied = new Set<string>();
  for (const chunk of chunks) {
    for (const feature of chunk.features) {
      const edit = editsById.get(feature.id);
      if (edit === undefined) {
        merged.push(feature);
        continue;
      }
      applied.add(feature.id);
      if (edit.feature !== null) merged.push(edit.feature);
    }
  }
  const createdOnly = edits
    .filter((edit) => edit.feature !== null && !applied.has(edit.featureId))
    .sort((left, right) => left.sequence - right.sequence);
  for (const edit of createdOnly) merged.push(edit.feature as Feature);
  return merged;
}
