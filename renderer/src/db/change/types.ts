// The change's types: what a caller hands `transact` (Change, FeatureOperation) and what it gets
// back (CommittedChange). Types only — no runtime import of another db module — so the apply
// steps, the import bases and the callers can all name them without an import cycle.
import type { Feature, Geometry, LayerDefinition, LocalizedText, PropertyValue, ValidationIssue } from '../../../../shared/model';
import type { FeatureEditRecord, LayerBaseRecord, LayerJournalRecord, StoredJournalEntry } from '../records';
import type { ImportedLayerBase } from '../imported-base';
import type { StagedLayerBase } from '../staged-base';
import type { FeatureContent, NewAttachment, NewFeature } from './inputs';
import type { TargetOperation } from './target-types';

export type { FeatureContent, NewAttachment, NewFeature } from './inputs';
export type { TargetOperation } from './target-types';

export type FeatureOperation =
  | { kind: 'create'; layerId: string; feature: NewFeature }
  | {
      /** Properties and/or status (and county). */
      kind: 'update';
      layerId: string;
      featureId: string;
      /** Merged into the current properties; a key set to `undefined` is removed. */
      properties?: Record<string, PropertyValue | undefined>;
      status?: string;
      county?: number | null;
    }
  | { kind: 'update-geometry'; layerId: string; featureId: string; geometry: Geometry }
  /** Deletes the feature and detaches (softly) its photos, in the same change. */
  | { kind: 'delete'; layerId: string; featureId: string }
  /**
   * Makes the feature equal to `to` — re-creating it if it is deleted, deleting it (as `delete`
   * does) if `to` is null. Journaled as a create, update or delete. Used by undo, redo and
   * "restore this version"; the revision still only grows.
   */
  | ({ kind: 'restore'; layerId: string; featureId: string; to: FeatureContent | null } & SyncOperationFields & { decides?: readonly string[] })
  /** Attaches a new photo to an existing feature. */
  | ({ kind: 'attach'; layerId: string; featureId: string; attachment: NewAttachment } & SyncOperationFields)
  /** Attaches again a photo that was detached (its bytes were kept): undo of a detach, redo of an attach. */
  | ({ kind: 'reattach'; layerId: string; featureId: string; attachmentId: string } & SyncOperationFields)
  /** Detaches a photo softly (sets `removedAt`, keeps the bytes so undo can bring it back). */
  | ({ kind: 'detach'; layerId: string; featureId: string; attachmentId: string } & SyncOperationFields)
  /**
   * Adds a new layer definition (an import creating its layer); `layerId` is `layer.id`. Validated
   * with shared/model, refused if the id exists; journaled in `layerJournal` under the change's id.
   * Features of the same change may be created in it. With `base` (the bulk-load path of an
   * import), the layer's features are written as its packed base — chunks in Hilbert order, no
   * edit row and no journal entry per feature: the `layerJournal` record says the layer was
   * imported with N features (from `source`). A {@link StagedLayerBase} (the streamed import,
   * staged-base.ts) is already written as a staged generation: the change only checks it is all
   * there and points the layer at it. With `reinstate` (redo of an undone import), the base
   * and edit rows that the `remove-layer` kept are put back.
   */
  | ({
      kind: 'create-layer';
      layerId: string;
      layer: LayerDefinition;
      base?: ImportedLayerBase | StagedLayerBase;
      /** The file (or other source) an imported layer came from, for its journal record. */
      source?: string;
      reinstate?: RemovedLayerState;
    } & LayerSyncFields)
  /** Gives an existing layer a new display name (zh and en); journaled in `layerJournal` (before/after). */
  | ({ kind: 'rename-layer'; layerId: string; name: LocalizedText } & LayerSyncFields)
  /**
   * Takes a layer away (a deleted layer, or undo of the change that created it): its definition,
   * its base record and its edit rows — those this change writes included — go; its chunks stay,
   * so undo (a `create-layer` with `reinstate`) brings it all back. The `layerJournal` record keeps
   * what was removed. The change's other operations on that layer may only delete features.
   */
  | ({ kind: 'remove-layer'; layerId: string } & LayerSyncFields)
  /** A new definition of an existing layer (the layer editor): see change/apply-layer-definition.ts. */
  | ({ kind: 'update-layer'; layerId: string; layer: LayerDefinition } & LayerSyncFields)
  | TargetOperation;

/** Sync (sync.ts): the layer changes received from other devices that a layer operation applies. */
export interface LayerSyncFields {
  applies?: readonly string[];
}

/** What a `remove-layer` took away (kept in its `layerJournal` record): enough to put it back. */
export interface RemovedLayerState {
  base: LayerBaseRecord | null;
  edits: FeatureEditRecord[];
}

/**
 * Sync (sync.ts): `applies` — the operation applies versions received from other devices (their
 * ids): its entries are not versions and leave the heads to sync.ts. `decides` (restore only) —
 * field keys a conflict resolution decided, on the feature's entry (see shared/sync/fields.ts).
 */
export interface SyncOperationFields {
  applies?: readonly string[];
}

/** What a change answers to, copied onto each of its journal entries (see `JournalEntry`). */
export interface ChangeLinks {
  undoes?: string;
  redoes?: string;
  restores?: string;
}

export interface Change {
  /** Who makes the change (shown in history). */
  author: string;
  /** One operation, or many committed as one group (one `changeId`, undone together). */
  operations: readonly FeatureOperation[];
  note?: string;
  /**
   * Skip the status workflow's allowed transitions — for undo and "restore this version",
   * which move a feature back. Field and status values are still validated.
   */
  allowAnyStatusChange?: boolean;
  /** The change's time; now when absent (tests pin it). */
  time?: Date;
  /** Set by undo, redo and restore (undo.ts, history.ts) so the journal says what they answer to. */
  links?: ChangeLinks;
  /** Sync: the review-queue conflict this change resolves (on its feature entries). */
  resolves?: string;
  /** The author's user name on every entry; the installation's user name (meta) when absent. */
  authorName?: string;
  /**
   * The device the change was made on, when not this one: a change pulled from the team hub
   * (db/hub/) keeps its writer's device. Only with `applies` operations (not versions of this device).
   */
  device?: string;
  /**
   * Cancels the change (a cancelled import): seen before it is applied and before anything is
   * written, and an abort while it writes aborts its IndexedDB transaction. It then rejects with
   * {@link ChangeAbortedError} and nothing is written. An abort after the commit changes nothing.
   */
  signal?: ChangeSignal;
}

/** An AbortSignal, or anything that says whether it was aborted. */
export interface ChangeSignal {
  readonly aborted: boolean;
  addEventListener?(type: 'abort', listener: () => void): void;
  removeEventListener?(type: 'abort', listener: () => void): void;
}

export interface CommittedFeature {
  layerId: string;
  featureId: string;
  /** The feature after the change; null when deleted. */
  feature: Feature | null;
}

export interface CommittedChange {
  changeId: string;
  time: string;
  /** The journal entries appended, in order, with their journal sequence numbers. */
  entries: StoredJournalEntry[];
  /** The final value of every feature the change touched, once each. */
  features: CommittedFeature[];
  /** Every attachment the change attached or detached, once each, with its final state. */
  attachments: CommittedAttachment[];
  /** Ids of the layers the change created (`create-layer`). */
  createdLayers: string[];
  /** Ids of the layers the change removed (`remove-layer`). */
  removedLayers: string[];
  /** Ids of the layers the change renamed (`rename-layer`). */
  renamedLayers: string[];
  /** Ids of the layers the change gave a new definition (`update-layer`). */
  updatedLayers: string[];
  /** The `layerJournal` records the change appended. */
  layerEntries: LayerJournalRecord[];
}

export interface CommittedAttachment {
  id: string;
  layerId: string;
  featureId: string;
  /** False when the change left it detached. */
  attached: boolean;
}

export interface OperationProblem {
  operationIndex: number;
  layerId: string;
  featureId: string | null;
  issues: ValidationIssue[];
}


/** The operations that act on a layer itself (apply-layer.ts); every other kind acts on one feature. */
export type LayerOperation = Extract<FeatureOperation, { kind: 'create-layer' | 'rename-layer' | 'remove-layer' | 'update-layer' }>;

/** The operations on a feature's photos (apply-attachment.ts). */
export type AttachmentOperation = Extract<FeatureOperation, { kind: 'attach' | 'reattach' | 'detach' }>;

/** The operations on a feature itself (apply-feature.ts). */
export type FeatureEditOperation = Extract<FeatureOperation, { kind: 'create' | 'update' | 'update-geometry' | 'delete' | 'restore' }>;
