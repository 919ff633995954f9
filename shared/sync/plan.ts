// What an import does to one feature, and what a resolution writes — pure, shared by the store
// (renderer/src/db/sync.ts) and the model replicas of the property test.
import {
  EXISTS,
  contentFromFields,
  contentKey,
  decidedPhoto,
  fieldValue,
  readField,
  type FeatureContent,
  type FieldValue,
} from './fields';
import { resolvedPhotos, type DeletionConflict, type FeatureEvaluation, type FieldConflict } from './merge';

/** What a device shows of a feature: its content (null = deleted or unknown) and its photos' state. */
export interface FeatureDisplay {
  feature: FeatureContent | null;
  /** Attachment id → attached; photos the feature never had are absent. */
  photos: Record<string, boolean>;
}

/** A conflict waiting for a person, with both sides. */
export interface ConflictDetail {
  /** The feature's heads when the conflict was found. */
  heads: string[];
  fields: FieldConflict[];
  deletion: DeletionConflict | null;
  /** What this device shows (kept until a person decides). */
  mine: FeatureDisplay;
  /** This device's feature with the other side's value in every conflicting field (null: the other side deleted it). */
  theirs: FeatureDisplay;
}

export interface FeaturePlan {
  heads: string[];
  /** What the device should show after the import. */
  target: FeatureDisplay;
  conflict: ConflictDetail | null;
}

export const sameDisplay = (left: FeatureDisplay, right: FeatureDisplay): boolean =>
  contentKey(left.feature) === contentKey(right.feature) && photosKey(left.photos) === photosKey(right.photos);

function photosKey(photos: Record<string, boolean>): string {
  return Object.keys(photos)
    .sort()
    .map((id) => `${id}=${photos[id] === true ? 1 : 0}`)
    .join(',');
}

/**
 * The display after merging: every field that has one value takes it; a conflicting field keeps
 * what this device shows (`current`), so nothing is applied that a person has not decided —
 * likewise the existence of a feature in a deletion conflict, and the photos its delete detached.
 */
export function planFeature(evaluation: FeatureEvaluation, current: FeatureDisplay): FeaturePlan {
  const photos = Object.fromEntries(resolvedPhotos(evaluation));
  if (evaluation.clean) {
    const target: FeatureDisplay = { feature: evaluation.content, photos: evaluation.content === null ? detachAll(photos) : photos };
    return { heads: evaluation.heads, target, conflict: null };
  }
  const conflicting = new Map(evaluation.conflicts.map((conflict) => [conflict.field, conflict]));
  const deletion = evaluation.deletion;
  const exists = deletion !== null ? current.feature !== null : evaluation.resolved.get(EXISTS)?.value === true;
  const read = (preferCurrent: boolean) => (field: string): FieldValue | undefined => {
    if (field === EXISTS) return fieldValue(exists);
    const conflict = conflicting.get(field);
    if (conflict === undefined) return evaluation.resolved.get(field);
    if (preferCurrent && current.feature !== null) return fieldValue(readField(current.feature, field));
    const first = conflict.candidates[0] as FieldValue;
    return { key: first.key, value: first.value };
  };
  const fieldNames = new Set([...evaluation.resolved.keys(), ...conflicting.keys()]);
  const feature = exists ? contentFromFields(read(true), fieldNames) : null;
  const targetPhotos = { ...photos };
  if (deletion !== null) for (const id of deletion.photos) if (id in current.photos) targetPhotos[id] = current.photos[id] as boolean;
  const target: FeatureDisplay = { feature, photos: feature === null ? detachAll(targetPhotos) : targetPhotos };
  return { heads: evaluation.heads, target, conflict: { heads: evaluation.heads, fields: evaluation.conflicts, deletion, mine: target, theirs: theirsOf(evaluation, target) } };
}

function detachAll(photos: Record<string, boolean>): Record<string, boolean> {
  return Object.fromEntries(Object.keys(photos).map((id) => [id, false]));
}

/** Mine with the other side's value in every conflicting field; with a deletion conflict, the other side's existence. */
function theirsOf(evaluation: FeatureEvaluation, mine: FeatureDisplay): FeatureDisplay {
  const deletion = evaluation.deletion;
  if (deletion !== null && mine.feature !== null) {
    return { feature: null, photos: detachAll(mine.photos) };
  }
  const other = (conflict: FieldConflict): FieldValue => {
    const mineKey = fieldValue(readField(mine.feature, conflict.field)).key;
    const candidate = conflict.candidates.find((entry) => entry.key !== mineKey) ?? (conflict.candidates[0] as FieldValue);
    return { key: candidate.key, value: candidate.value };
  };
  const conflicting = new Map(evaluation.conflicts.map((conflict) => [conflict.field, conflict]));
  const read = (field: string): FieldValue | undefined => {
    if (field === EXISTS) return fieldValue(true);
    const conflict = conflicting.get(field);
    return conflict === undefined ? evaluation.resolved.get(field) : other(conflict);
  };
  if (mine.feature === null && deletion === null) return mine;
  const feature = contentFromFields(read, new Set([...evaluation.resolved.keys(), ...conflicting.keys()]));
  const photos = { ...mine.photos };
  if (deletion !== null) for (const id of deletion.photos) photos[id] = true;
  return { feature, photos };
}

export type ResolutionChoice = { kind: 'mine' } | { kind: 'theirs' } | { kind: 'merged'; feature: FeatureContent | null };

export interface ResolutionPlan {
  target: FeatureDisplay;
  /**
   * Field keys the resolution decides: every conflicting field, `exists` for a deletion conflict,
   * and the state of the photos a delete had detached. They count as written by the resolution,
   * so it supersedes every side of the conflict.
   */
  decides: string[];
}

/** What resolving `conflict` with `choice` writes. */
export function planResolution(conflict: ConflictDetail, choice: ResolutionChoice): ResolutionPlan {
  let target: FeatureDisplay;
  if (choice.kind === 'mine') target = conflict.mine;
  else if (choice.kind === 'theirs') target = conflict.theirs;
  else {
    const photos = { ...conflict.mine.photos };
    if (conflict.deletion !== null) for (const id of conflict.deletion.photos) photos[id] = choice.feature !== null;
    target = { feature: choice.feature, photos: choice.feature === null ? detachAll(photos) : photos };
  }
  const decides = new Set<string>();
  if (target.feature !== null) for (const field of conflict.fields) decides.add(field.field);
  if (conflict.deletion !== null) {
    decides.add(EXISTS);
    if (target.feature !== null) for (const id of conflict.deletion.photos) decides.add(decidedPhoto(id, target.photos[id] === true));
  }
  return { target, decides: [...decides].sort() };
}
