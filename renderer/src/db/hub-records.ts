// The shapes of the records a store keeps of its team hub (db/hub/): the session, each pulled
// feature's hub versions, queued conflict resolutions, the hub's open conflicts and its answers to
// pushed changes. Re-exported by records.ts.
import type { HubConflict, PushFeatureResult } from '../../../shared/sync/hub/changes';

/** The hub session kept in a hub database's meta (`hub:session`). */
export interface HubSessionRecord {
  address: string;
  user: { name: string; displayName: string | null; role: 'admin' | 'planner' | 'surveyor'; counties: number[] | 'all' };
  expiresAt: string;
}

/**
 * What this store holds of a feature on the hub (schema version 4): the version last pulled and
 * the version that last wrote each field. Key `[layerId, featureId]`.
 */
export interface HubFeatureRecord {
  layerId: string;
  featureId: string;
  version: number;
  fieldVersions: Record<string, number>;
  county: number | null;
}

/**
 * A feature version the hub sent that this store could not hold (it does not fit the local layer's
 * definition, or the layer is missing): the pull goes on without it and the panel lists it. Gone
 * once a later version of the feature is applied.
 */
export interface HubSkippedFeature {
  layerId: string;
  featureId: string;
  version: number;
  reason: string;
  time: string;
}

/** A queued resolution of a hub conflict, sent at the next sync (`POST /v1/conflicts/:id/resolve`). */
export interface HubResolutionRecord {
  changeId: string;
  choice: 'hub' | 'theirs' | 'value';
  value?: unknown;
  queuedAt: string;
  /** The hub's refusal of the last attempt (kept so the review queue can say why). */
  refused?: { code: string | null; message: string };
}

/** An open conflict on the hub, mirrored from `GET /v1/conflicts` (schema version 4); key: the hub's id. */
export interface HubConflictRecord {
  id: number;
  layerId: string;
  featureId: string;
  conflict: HubConflict;
  pendingResolution: HubResolutionRecord | null;
}

/** What the hub answered to one pushed change (schema version 4); key: the change id. */
export interface HubPushRecord {
  changeId: string;
  /** The journal sequences of the change's entries. */
  firstSequence: number;
  lastSequence: number;
  entryCount: number;
  status: 'applied' | 'partly-applied' | 'conflict' | 'noop' | 'refused';
  /** For `refused`: the hub's code (`out-of-scope`, `unknown-layer`…) and message. */
  code?: string | null;
  message?: string;
  /** The features the change touched, as `layerId/featureId`. */
  features: string[];
  results?: PushFeatureResult[];
  /** A definition change (db/hub/definitions-push.ts): what it wrote, named for the panel. */
  definition?: { kind: 'layer' | 'target-set' | 'target'; id: string; name: string };
  time: string;
}
