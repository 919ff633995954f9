// The per-feature merge: the state of a feature is a pure function of the set of its versions
// (the version graph), so every device that holds the same versions shows the same feature,
// whatever order the versions arrived in and however often. See README.md for the semantics.
import { OneMapError } from '../errors';
import {
  EXISTS,
  contentFields,
  contentFromFields,
  contentKey,
  fieldValue,
  isPhotoField,
  isPropertyField,
  photoIdOf,
  versionWrites,
  type FeatureContent,
  type FieldValue,
  type SyncVersion,
} from './fields';

/** A value some versions wrote concurrently with other values. */
export interface FieldCandidate {
  key: string;
  value: unknown;
  /** The concurrent latest writers of this value (version ids, sorted). */
  versions: string[];
}

export interface FieldConflict {
  field: string;
  /** Two or more, sorted by key. */
  candidates: FieldCandidate[];
}

/** A feature deleted on one side and edited (or re-created) on another, concurrently. */
export interface DeletionConflict {
  /** The latest deletes (version ids). */
  deletes: string[];
  /** Versions that changed the feature without knowing of any of those deletes. */
  edits: string[];
  /** Photos detached by those deletes (they come back if the feature is kept). */
  photos: string[];
}

export interface FeatureEvaluation {
  /** The versions no other version is based on, sorted. */
  heads: string[];
  /** Every field that has one value (the photo fields always do: attached wins). */
  resolved: Map<string, FieldValue>;
  /** Fields written concurrently with different values (photo fields never are). */
  conflicts: FieldConflict[];
  deletion: DeletionConflict | null;
  /** True when nothing is in conflict: `content` is the merged feature. */
  clean: boolean;
  /** The merged content when clean (null = deleted). */
  content: FeatureContent | null;
}

/** A version names a parent that is not among the versions given. */
export class IncompleteHistoryError extends OneMapError {
  override name = 'IncompleteHistoryError';
  constructor(
    readonly versionId: string,
    readonly missingParent: string,
  ) {
    super('incomplete-history', { versionId, missingParent, technical: `version ${versionId} is based on ${missingParent}, which is missing` });
    this.message = `version ${versionId} is based on ${missingParent}, which is missing`;
  }
}

interface Node {
  id: string;
  /** Ids of every node this one is (transitively) based on, itself excluded. */
  ancestors: Set<string>;
  writes: Map<string, FieldValue>;
  version: SyncVersion | null;
}

/** Versions sorted so that every version comes after its parents (ties by id: deterministic). */
export function topologicalOrder(versions: Iterable<SyncVersion>): SyncVersion[] {
  const byId = new Map<string, SyncVersion>();
  for (const version of versions) byId.set(version.id, version);
  const ordered: SyncVersion[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (version: SyncVersion): void => {
    const stack: { version: SyncVersion; next: number }[] = [{ version, next: 0 }];
    state.set(version.id, 'visiting');
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as { version: SyncVersion; next: number };
      const parents = frame.version.parents;
      if (frame.next < parents.length) {
        const parentId = parents[frame.next] as string;
        frame.next += 1;
        const parent = byId.get(parentId);
        if (parent === undefined) throw new IncompleteHistoryError(frame.version.id, parentId);
        const seen = state.get(parentId);
        if (seen === 'visiting') throw new Error(`sync: version ${parentId} is its own ancestor`);
        if (seen === undefined) {
          state.set(parentId, 'visiting');
          stack.push({ version: parent, next: 0 });
        }
        continue;
      }
      state.set(frame.version.id, 'done');
      ordered.push(frame.version);
      stack.pop();
    }
  };
  for (const id of [...byId.keys()].sort()) {
    if (!state.has(id)) visit(byId.get(id) as SyncVersion);
  }
  return ordered;
}

/** The versions no other version names as a parent, sorted. */
export function headsOf(versions: Iterable<SyncVersion>): string[] {
  const all = [...versions];
  const parents = new Set(all.flatMap((version) => version.parents));
  return all
    .map((version) => version.id)
    .filter((id) => !parents.has(id))
    .sort();
}

/**
 * Merges every version of one feature. A field's value is the value written by its latest
 * writers — the writers no other writer of that field is based on. One value: merged. Several:
 * a conflict (a person decides). `exists: false` from the latest deletes while some version
 * changed the feature without knowing of them: a deletion conflict. Photos: attached wins.
 *
 * `base` is what this device shows of the feature: it gives the fields no version wrote (the
 * seeded values — equal on every device, since any change to them is a version); when it is
 * null, any snapshot in the versions gives them.
 *
 * Versions whose parents are missing throw {@link IncompleteHistoryError}: a package always
 * carries the whole history of the features it touches.
 */
export function evaluateFeature(versions: Iterable<SyncVersion>, base: FeatureContent | null = null): FeatureEvaluation {
  const ordered = topologicalOrder(versions);
  const nodes = new Map<string, Node>();
  // Roots are based on what their author saw before any version: the seeded feature, or nothing.
  // That starting content is a virtual writer of every field, one per distinct content. A photo
  // entry carries no snapshot: a root that is one is based on every starting content.
  // `createdAt` is left out of a starting content: seeding stamps it with each device's own seeding
  // time, so the same seeded feature would otherwise be two starting contents, each a concurrent
  // writer of every field — a false conflict on every field one side changed.
  const isPhotoEntry = (version: SyncVersion): boolean => version.operation === 'attach' || version.operation === 'detach';
  const originOf = (before: FeatureContent | null): string => `origin:${contentKey(before === null ? null : { ...before, createdAt: '' })}`;
  const originIds: string[] = [];
  for (const version of ordered) {
    if (version.parents.length > 0 || isPhotoEntry(version)) continue;
    const originId = originOf(version.before);
    if (nodes.has(originId)) continue;
    const writes = contentFields(version.before);
    writes.delete('createdAt');
    nodes.set(originId, { id: originId, ancestors: new Set(), writes, version: null });
    originIds.push(originId);
  }
  for (const version of ordered) {
    const ancestors = new Set<string>();
    if (version.parents.length === 0) {
      if (isPhotoEntry(version)) for (const originId of originIds) ancestors.add(originId);
      else ancestors.add(originOf(version.before));
    }
    for (const parentId of version.parents) {
      const parent = nodes.get(parentId) as Node;
      ancestors.add(parentId);
      for (const ancestor of parent.ancestors) ancestors.add(ancestor);
    }
    nodes.set(version.id, { id: version.id, ancestors, writes: versionWrites(version), version });
  }
  const heads = headsOf(ordered);

  // Latest writers per field.
  const writersByField = new Map<string, Node[]>();
  for (const node of nodes.values()) {
    for (const field of node.writes.keys()) {
      const list = writersByField.get(field);
      if (list === undefined) writersByField.set(field, [node]);
      else list.push(node);
    }
  }
  const latest = (writers: Node[]): Node[] => writers.filter((writer) => !writers.some((other) => other !== writer && other.ancestors.has(writer.id)));

  const resolved = new Map<string, FieldValue>();
  const conflicts: FieldConflict[] = [];
  const latestByField = new Map<string, Node[]>();
  for (const [field, writers] of [...writersByField].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))) {
    const top = latest(writers);
    latestByField.set(field, top);
    const byValue = new Map<string, FieldCandidate>();
    for (const node of top) {
      const written = node.writes.get(field) as FieldValue;
      const candidate = byValue.get(written.key);
      if (candidate === undefined) byValue.set(written.key, { key: written.key, value: written.value, versions: [node.id] });
      else candidate.versions.push(node.id);
    }
    if (byValue.size === 1) {
      const only = [...byValue.values()][0] as FieldCandidate;
      resolved.set(field, { key: only.key, value: only.value });
    } else if (isPhotoField(field)) {
      resolved.set(field, fieldValue(true)); // attached wins: a photo is never dropped by a merge
    } else {
      const candidates = [...byValue.values()].sort((left, right) => (left.key < right.key ? -1 : left.key > right.key ? 1 : 0));
      for (const candidate of candidates) candidate.versions.sort();
      conflicts.push({ field, candidates });
    }
  }

  // Deletion conflicts: the latest deletes, and versions that changed the feature without them.
  let deletion: DeletionConflict | null = null;
  const existsWriters = latestByField.get(EXISTS) ?? [];
  const deletes = existsWriters.filter((node) => node.writes.get(EXISTS)?.value === false);
  if (deletes.length > 0) {
    const edits = [...nodes.values()].filter(
      (node) =>
        node.version !== null &&
        node.writes.get(EXISTS)?.value !== false &&
        node.writes.size > 0 &&
        !deletes.some((deleted) => deleted.ancestors.has(node.id)),
    );
    if (edits.length > 0) {
      const deleteChanges = new Set(deletes.map((node) => node.version?.changeId));
      const photos = [...nodes.values()]
        .filter((node) => node.version !== null && node.version.operation === 'detach' && deleteChanges.has(node.version.changeId))
        .map((node) => node.version?.attachment?.id as string);
      deletion = { deletes: deletes.map((node) => node.id).sort(), edits: edits.map((node) => node.id).sort(), photos: [...new Set(photos)].sort() };
      // `exists` itself may be written true by a concurrent re-create: part of this conflict.
      const existsConflict = conflicts.findIndex((conflict) => conflict.field === EXISTS);
      if (existsConflict >= 0) conflicts.splice(existsConflict, 1);
    }
  }

  // Fields no version ever wrote keep their starting value — the seeded value, the same on every
  // device, and in every snapshot of the feature (a version's before or after).
  const snapshot = base ?? ordered.map((version) => version.after ?? version.before).find((found) => found !== null) ?? null;
  if (snapshot !== null || !resolved.has(EXISTS)) {
    for (const [field, value] of contentFields(snapshot)) if (!writersByField.has(field)) resolved.set(field, value);
  }
  const exists = resolved.get(EXISTS)?.value;
  // A feature every side deleted: conflicts over its other fields no longer matter.
  const relevantConflicts = deletion === null && exists === false ? [] : conflicts;
  const clean = deletion === null && relevantConflicts.length === 0;
  const content = clean ? contentFromFields((field) => resolved.get(field), resolved.keys()) : null;
  return { heads, resolved, conflicts: relevantConflicts, deletion, clean, content };
}

/** The photo fields (attachment id → attached) of a merge. */
export function resolvedPhotos(evaluation: FeatureEvaluation): Map<string, boolean> {
  const photos = new Map<string, boolean>();
  for (const [field, value] of evaluation.resolved) if (isPhotoField(field)) photos.set(photoIdOf(field), value.value === true);
  return photos;
}

export { isPropertyField };
