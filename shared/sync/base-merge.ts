// The hub's merge: one pushed journal entry against the hub's current feature, field by field,
// with the entry's `before` as the base (what the device saw) and its `after` as the new value.
// For each field the entry wrote (`versionWrites`): hub value equal to the new value → unchanged;
// equal to the base → applied; otherwise a conflict and the hub keeps its value. Whole-feature
// cases: an edit against a tombstone and a delete against a feature edited since the base are
// conflicts; a create of an existing id merges against an empty base. Pure: the hub's push path
// (server/push) and the tests call it alike.
import type { JournalEntry } from '../model';
import { EXISTS, canonicalJson, contentFields, isPhotoField, photoIdOf, readField, versionWrites, type FeatureContent } from './fields';

/** The hub's copy of a feature: its content (kept on a tombstone) and which photos are attached. */
export interface HubFeatureState {
  content: FeatureContent;
  deleted: boolean;
  /** Attachment ids attached now. */
  photos: ReadonlySet<string>;
}

export type BaseConflictKind = 'field' | 'edit-deleted' | 'delete-edited';

export interface BaseConflict {
  kind: BaseConflictKind;
  /** The field key; '' for the whole-feature kinds. */
  field: string;
  base: unknown;
  theirs: unknown;
  hub: unknown;
}

export interface BaseMergeResult {
  /**
   * What to write: 'none' (keep the hub's row as it is), 'upsert' (`content`, not deleted),
   * 'delete' (tombstone; `content` is the hub's, kept).
   */
  write: 'none' | 'upsert' | 'delete';
  /** The feature's content after the merge (null when the hub has no such feature and none is made). */
  content: FeatureContent | null;
  /** Photos whose attached state the merge sets. */
  photos: { attachmentId: string; attached: boolean }[];
  applied: string[];
  unchanged: string[];
  conflicts: BaseConflict[];
}

// createdAt is each device's own seeding time (shared/sync/README.md): it is never merged.
const UNMERGED = new Set(['createdAt']);

const none = (hub: HubFeatureState | null): BaseMergeResult => ({
  write: 'none',
  content: hub?.content ?? null,
  photos: [],
  applied: [],
  unchanged: [],
  conflicts: [],
});

/** The hub's value of a field: a tombstone or an absent feature has only `exists: false`. */
function hubValue(hub: HubFeatureState | null, field: string): unknown {
  if (isPhotoField(field)) return hub !== null && !hub.deleted && hub.photos.has(photoIdOf(field));
  return readField(hub === null || hub.deleted ? null : hub.content, field);
}

/** Sets one field of a content (a property set to undefined is removed). */
function withField(content: FeatureContent, field: string, value: unknown): FeatureContent {
  if (field.startsWith('properties.')) {
    const key = field.slice('properties.'.length);
    const properties = { ...content.properties };
    if (value === undefined) delete properties[key];
    else properties[key] = value as FeatureContent['properties'][string];
    return { ...content, properties };
  }
  return { ...content, [field]: value };
}

/** True when every mergeable field of `a` equals that of `b` (photos and createdAt aside). */
function sameMergeableFields(a: FeatureContent, b: FeatureContent): boolean {
  const left = contentFields(a);
  const right = contentFields(b);
  for (const field of new Set([...left.keys(), ...right.keys()])) {
    if (UNMERGED.has(field)) continue;
    if (left.get(field)?.key !== right.get(field)?.key) return false;
  }
  return true;
}

const contentOf = (entry: JournalEntry, side: 'before' | 'after'): FeatureContent | null => {
  const snapshot = entry[side];
  if (snapshot === null) return null;
  const { geometry, properties, status, county, demo, createdAt } = snapshot;
  return { geometry, properties, status, county, demo, createdAt };
};

/** Merges one journal entry into the hub's feature (`null`: the hub has no such feature). */
export function mergeAgainstBase(hub: HubFeatureState | null, entry: JournalEntry): BaseMergeResult {
  const live = hub !== null && !hub.deleted;
  const before = contentOf(entry, 'before');
  const after = contentOf(entry, 'after');

  if (entry.operation === 'delete') return mergeDelete(hub, before);

  if (entry.operation === 'attach' || entry.operation === 'detach') {
    const [[field, written]] = [...versionWrites(entry)] as [[string, { key: string; value: unknown }]];
    if (!live) {
      const result = none(hub);
      result.conflicts.push({ kind: 'edit-deleted', field: '', base: null, theirs: written.value, hub: null });
      return result;
    }
    const result = none(hub);
    // A photo's base is always the opposite of what the entry wrote, so this never conflicts.
    if (canonicalJson(hubValue(hub, field)) === written.key) result.unchanged.push(field);
    else {
      result.applied.push(field);
      result.photos.push({ attachmentId: photoIdOf(field), attached: written.value === true });
    }
    return result;
  }

  // create or update
  if (after === null) throw new Error(`sync: a ${entry.operation} entry without "after" (${entry.id})`);
  const writes = versionWrites(entry);
  if (!live && entry.operation === 'update' && hub !== null) {
    // Edited on the device, deleted on the hub: the tombstone stays until someone decides.
    const written = [...writes.keys()].filter((field) => !UNMERGED.has(field));
    const result = none(hub);
    if (written.length > 0) result.conflicts.push({ kind: 'edit-deleted', field: '', base: before, theirs: after, hub: null });
    return result;
  }
  if (!live) {
    // Nothing here (or a tombstone that a create brings back, e.g. the undo of a delete): take it whole.
    const fields = [...contentFields(after).keys()].filter((field) => !UNMERGED.has(field));
    const content = hub === null ? after : { ...after, createdAt: hub.content.createdAt };
    return { write: 'upsert', content, photos: [], applied: fields, unchanged: [], conflicts: [] };
  }

  // A create of an id the hub has merges against an empty base (every field counts as written).
  const base = entry.operation === 'create' ? null : before;
  const fieldsWritten = entry.operation === 'create' ? contentFields(after) : writes;
  const result = none(hub);
  let content = hub.content;
  for (const [field, written] of fieldsWritten) {
    if (UNMERGED.has(field) || field === EXISTS) continue;
    const current = hubValue(hub, field);
    const currentKey = canonicalJson(current);
    if (currentKey === written.key) result.unchanged.push(field);
    else if (currentKey === canonicalJson(readField(base, field))) {
      result.applied.push(field);
      content = withField(content, field, written.value);
    } else {
      result.conflicts.push({ kind: 'field', field, base: readField(base, field) ?? null, theirs: written.value ?? null, hub: current ?? null });
    }
  }
  if (entry.operation === 'create') {
    // Properties the hub has and the created feature lacks: a create writes them as absent.
    for (const field of contentFields(hub.content).keys()) {
      if (!field.startsWith('properties.') || fieldsWritten.has(field)) continue;
      result.conflicts.push({ kind: 'field', field, base: null, theirs: null, hub: hubValue(hub, field) ?? null });
    }
  }
  if (result.applied.length > 0) {
    result.write = 'upsert';
    result.content = content;
  }
  return result;
}

function mergeDelete(hub: HubFeatureState | null, before: FeatureContent | null): BaseMergeResult {
  const result = none(hub);
  if (hub === null || hub.deleted) {
    result.unchanged.push(EXISTS);
    return result;
  }
  if (before !== null && sameMergeableFields(hub.content, before)) {
    result.write = 'delete';
    result.applied.push(EXISTS);
    return result;
  }
  result.conflicts.push({ kind: 'delete-edited', field: '', base: before, theirs: null, hub: hub.content });
  return result;
}

/** Applies a merge result to the hub state (what the next entry of the same change merges against). */
export function nextHubState(hub: HubFeatureState | null, result: BaseMergeResult): HubFeatureState | null {
  if (result.write === 'none' && result.photos.length === 0) return hub;
  const content = result.content ?? hub?.content;
  if (content === undefined) return hub;
  const photos = new Set(hub?.photos ?? []);
  for (const photo of result.photos) {
    if (photo.attached) photos.add(photo.attachmentId);
    else photos.delete(photo.attachmentId);
  }
  const deleted = result.write === 'delete' ? true : result.write === 'upsert' ? false : (hub?.deleted ?? false);
  return { content, deleted, photos };
}
