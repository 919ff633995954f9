// Pulling from the hub over local changes not yet pushed: per field, what a pending local entry
// wrote keeps its local value; every other field takes the hub's (SYNC-CONTEXT decision 3). The
// pending entries stay as they are (their `before` is still their base), so the push that follows
// is merged by the hub against that base and any field both sides changed becomes a hub conflict.
import type { JournalEntry } from '../../model';
import { EXISTS, contentFields, contentFromFields, fieldValue, isPhotoField, readField, versionWrites, type FeatureContent, type FieldValue } from '../fields';

/** The fields (shared/sync/fields.ts keys, photos included) written by the given entries. */
export function writtenFields(entries: Iterable<JournalEntry>): Set<string> {
  const fields = new Set<string>();
  for (const entry of entries) for (const field of versionWrites(entry).keys()) fields.add(field);
  return fields;
}

/**
 * The feature this store should hold: the hub's content with the fields in `pending` (written by
 * local entries not yet pushed) kept as they are locally. `null`: deleted.
 */
export function rebaseOnHub(hub: FeatureContent | null, local: FeatureContent | null, pending: ReadonlySet<string>): FeatureContent | null {
  const contentPending = [...pending].filter((field) => !isPhotoField(field));
  if (contentPending.length === 0) return hub;
  const exists = pending.has(EXISTS) ? local !== null : hub !== null;
  if (!exists) return null;
  // One side has no values to give: the other side's fields are all there is.
  if (hub === null) return local;
  if (local === null) return hub;
  const hubFields = contentFields(hub);
  const localFields = contentFields(local);
  const read = (field: string): FieldValue | undefined => {
    if (field === EXISTS) return fieldValue(true);
    return pending.has(field) ? fieldValue(readField(local, field)) : (hubFields.get(field) ?? fieldValue(readField(hub, field)));
  };
  return contentFromFields(read, new Set([...hubFields.keys(), ...localFields.keys()]));
}
