// An in-memory replica for the sync property test: the same journal discipline as the store's
// `transact` (every local change is journaled as versions whose parents are the feature's heads;
// a delete first detaches the feature's photos), and the same import and resolution as
// renderer/src/db/sync.ts — through the pure core in shared/sync, with real package bytes.
import type { Feature, JournalEntry } from '../../../shared/model';
import {
  addInterval,
  contentKey,
  contiguousEnd,
  decodeEditPackage,
  exportStart,
  encodeEditPackage,
  evaluateFeature,
  planFeature,
  planResolution,
  type ConflictDetail,
  type EditPackageContent,
  type FeatureContent,
  type FeatureDisplay,
  type Interval,
  type ResolutionChoice,
  type SyncVersion,
} from '../../../shared/sync';

export const LAYER = 'wells';

export const featureKey = (layerId: string, featureId: string): string => `${layerId}/${featureId}`;

/** One local change to one feature, as the oracle sees it. */
export interface ActionRecord {
  replica: string;
  key: string;
  /** The journal entries (versions) of the change. */
  versionIds: string[];
  /** Every version the replica held when the change was made. */
  seen: ReadonlySet<string>;
  /** Field → canonical value written (computed by the test from before/after and the decisions). */
  writes: Map<string, string>;
  kind: 'edit' | 'resolution';
}

/** A conflict as some replica found it (the log of every detection, across replicas). */
export interface DetectedConflict {
  replica: string;
  key: string;
  detail: ConflictDetail;
}

/** A step of a local change: the feature's new content, or a photo attached / detached. */
export type Step =
  | { kind: 'feature'; to: FeatureContent | null; decides?: string[] }
  | { kind: 'attach'; attachmentId: string; bytes?: Uint8Array }
  | { kind: 'detach'; attachmentId: string };

interface PhotoRecord {
  id: string;
  layerId: string;
  featureId: string;
  bytes: Uint8Array;
  createdAt: string;
}

let clock = Date.parse('2024-01-01T00:00:00Z');
const tick = (): string => new Date((clock += 1000)).toISOString();

export class ModelReplica {
  readonly versions = new Map<string, SyncVersion>();
  /** Version ids in arrival order (local or received): the export watermark counts positions here. */
  readonly log: string[] = [];
  readonly byFeature = new Map<string, string[]>();
  readonly heads = new Map<string, string[]>();
  readonly display = new Map<string, FeatureDisplay>();
  readonly revisions = new Map<string, number>();
  readonly photos = new Map<string, PhotoRecord>();
  /** Open review-queue items by feature key. */
  readonly queue = new Map<string, ConflictDetail>();
  readonly sentTo = new Map<string, number>();
  /** What each peer said it holds of this replica's log (acks in its packages). */
  readonly acked = new Map<string, number>();
  /** The ranges of each other device's log this replica got in packages. */
  readonly covered = new Map<string, Interval[]>();
  private counter = 0;

  constructor(
    readonly device: string,
    seedFeatures: ReadonlyMap<string, FeatureContent>,
    private readonly actions: ActionRecord[],
    private readonly detections: DetectedConflict[],
  ) {
    for (const [key, content] of seedFeatures) {
      this.display.set(key, { feature: content, photos: {} });
      this.revisions.set(key, 1);
    }
  }

  displayOf(key: string): FeatureDisplay {
    return this.display.get(key) ?? { feature: null, photos: {} };
  }

  private snapshot(key: string, content: FeatureContent | null, revision: number, time: string): Feature | null {
    if (content === null) return null;
    const featureId = key.slice(LAYER.length + 1);
    return { id: featureId, layerId: LAYER, ...content, updatedAt: time, revision };
  }

  private addVersion(version: SyncVersion): void {
    this.versions.set(version.id, version);
    this.log.push(version.id);
    const key = featureKey(version.layerId, version.featureId);
    const list = this.byFeature.get(key);
    if (list === undefined) this.byFeature.set(key, [version.id]);
    else list.push(version.id);
  }

  /**
   * A local change to one feature, journaled like `transact`: versions chained from the
   * feature's heads; deleting detaches the attached photos first.
   */
  commit(key: string, steps: readonly Step[], options: { kind?: 'edit' | 'resolution'; resolves?: string } = {}): ActionRecord {
    const featureId = key.slice(LAYER.length + 1);
    const seen = new Set(this.versions.keys());
    const changeId = `${this.device}-c${(this.counter += 1)}`;
    const time = tick();
    let parents = this.heads.get(key) ?? [];
    const versionIds: string[] = [];
    const writes = new Map<string, string>();
    const startDisplay = this.displayOf(key);
    let display: FeatureDisplay = { feature: startDisplay.feature, photos: { ...startDisplay.photos } };
    let revision = this.revisions.get(key) ?? 0;
    let first = true;
    const push = (entry: Omit<SyncVersion, 'id' | 'changeId' | 'layerId' | 'featureId' | 'author' | 'device' | 'time' | 'parents'>): void => {
      const id = `${this.device}-v${(this.counter += 1)}`;
      const version = {
        id,
        changeId,
        layerId: LAYER,
        featureId,
        author: this.device,
        authorName: `user ${this.device}`,
        device: this.device,
        time,
        parents,
        ...entry,
        ...(first && options.resolves !== undefined ? { resolves: options.resolves } : {}),
      } as SyncVersion;
      first = false;
      this.addVersion(version);
      versionIds.push(id);
      parents = [id];
    };
    const attachmentRef = (photo: PhotoRecord): JournalEntry['attachment'] => ({
      id: photo.id,
      fileName: `${photo.id}.jpg`,
      mediaType: 'image/jpeg',
      byteSize: photo.bytes.length,
      hasThumbnail: false,
      createdAt: photo.createdAt,
    });
    for (const step of steps) {
      if (step.kind === 'feature') {
        const before = display.feature;
        const after = step.to;
        if (before === null && after === null) throw new Error('model: nothing to delete');
        if (before !== null && after === null) {
          for (const [attachmentId, attached] of Object.entries(display.photos).sort()) {
            if (!attached) continue;
            push({ operation: 'detach', before: null, after: null, attachment: attachmentRef(this.photos.get(attachmentId) as PhotoRecord) });
            display.photos[attachmentId] = false;
            writes.set(`photo:${attachmentId}`, 'false');
          }
        }
        const beforeSnapshot = this.snapshot(key, before, revision, time);
        revision += 1;
        const afterSnapshot = this.snapshot(key, after, revision, time);
        push({
          operation: before === null ? 'create' : after === null ? 'delete' : 'update',
          before: beforeSnapshot,
          after: afterSnapshot,
          ...(step.decides === undefined || step.decides.length === 0 ? {} : { decides: step.decides }),
        });
        // The change's net effect: a feature it ends by deleting keeps none of the values it wrote.
        if (after === null) for (const field of [...writes.keys()]) if (!field.startsWith('photo:')) writes.delete(field);
        for (const [field, value] of oracleDiff(before, after)) writes.set(field, value);
        for (const decided of step.decides ?? []) {
          const photo = /^photo:(.+)=([01])$/.exec(decided);
          if (photo !== null) writes.set(`photo:${photo[1]}`, photo[2] === '1' ? 'true' : 'false');
          else writes.set(decided, oracleValue(after, decided));
        }
        display = { feature: after, photos: display.photos };
      } else {
        if (display.feature === null) throw new Error('model: a photo needs a feature');
        const attached = step.kind === 'attach';
        let photo = this.photos.get(step.attachmentId);
        if (photo === undefined) {
          if (!attached || step.bytes === undefined) throw new Error(`model: unknown photo ${step.attachmentId}`);
          photo = { id: step.attachmentId, layerId: LAYER, featureId, bytes: step.bytes, createdAt: time };
          this.photos.set(photo.id, photo);
        }
        if ((display.photos[step.attachmentId] === true) === attached) throw new Error('model: photo already in that state');
        push({ operation: step.kind, before: null, after: null, attachment: attachmentRef(photo) });
        display.photos[step.attachmentId] = attached;
        writes.set(`photo:${step.attachmentId}`, String(attached));
      }
    }
    this.revisions.set(key, revision);
    this.display.set(key, display);
    this.heads.set(key, [...parents]);
    const record: ActionRecord = { replica: this.device, key, versionIds, seen, writes, kind: options.kind ?? 'edit' };
    this.actions.push(record);
    return record;
  }

  /** Exports every feature touched since the last package for `peer` (or everything), with whole histories. */
  async exportPackage(peer: string | null): Promise<Uint8Array> {
    const from = peer === null ? 0 : exportStart(this.sentTo.get(peer) ?? 0, this.acked.get(peer));
    const touched = new Set<string>();
    for (const id of this.log.slice(from)) {
      const version = this.versions.get(id) as SyncVersion;
      touched.add(featureKey(version.layerId, version.featureId));
    }
    const versions = [...touched].sort().flatMap((key) => (this.byFeature.get(key) ?? []).map((id) => this.versions.get(id) as SyncVersion));
    const photoIds = new Set(versions.filter((version) => version.operation === 'attach').map((version) => version.attachment?.id as string));
    const content: EditPackageContent = {
      versions,
      features: [...touched].sort().map((key) => {
        const featureId = key.slice(LAYER.length + 1);
        return { layerId: LAYER, featureId, feature: this.snapshot(key, this.displayOf(key).feature, Math.max(1, this.revisions.get(key) ?? 1), '2024-01-01T00:00:00.000Z') };
      }),
      layers: [],
      photos: [...photoIds].sort().map((id) => {
        const photo = this.photos.get(id) as PhotoRecord;
        return { id, layerId: photo.layerId, featureId: photo.featureId, fileName: `${id}.jpg`, mediaType: 'image/jpeg', byteSize: photo.bytes.length, createdAt: photo.createdAt, bytes: photo.bytes, thumbnail: null };
      }),
    };
    const bytes = await encodeEditPackage(content, {
      packageId: `${this.device}-p${(this.counter += 1)}`,
      createdAt: tick(),
      source: { device: this.device, userName: `user ${this.device}`, workspaceId: null },
      peer,
      range: { mode: peer === null ? 'all' : 'peer', since: null, journalFrom: from, journalTo: this.log.length, receivedFrom: 0, receivedTo: 0 },
      acks: Object.fromEntries([...this.covered].map(([device, intervals]) => [device, { journal: contiguousEnd(intervals), received: 0 }])),
    });
    if (peer !== null) this.sentTo.set(peer, this.log.length);
    return bytes;
  }

  /** Imports a package: new versions are added, every touched feature re-merged. Returns how many versions were new. */
  async importPackage(bytes: Uint8Array): Promise<number> {
    const decoded = await decodeEditPackage(bytes);
    const { source, range, acks } = decoded.manifest;
    if (source.device !== this.device) {
      this.covered.set(source.device, addInterval(this.covered.get(source.device) ?? [], range.mode === 'since' ? [0, 0] : [range.journalFrom, range.journalTo]));
      // No ack for this replica: the exporter holds nothing of it (yet).
      this.acked.set(source.device, Math.max(this.acked.get(source.device) ?? 0, acks[this.device]?.journal ?? 0));
    }
    const fresh = decoded.versions.filter((version) => !this.versions.has(version.id));
    for (const photo of decoded.photos) {
      if (!this.photos.has(photo.id)) this.photos.set(photo.id, { id: photo.id, layerId: photo.layerId, featureId: photo.featureId, bytes: photo.bytes, createdAt: photo.createdAt });
    }
    const touched = new Set<string>();
    for (const version of topological(fresh)) {
      this.addVersion(version);
      touched.add(featureKey(version.layerId, version.featureId));
    }
    for (const key of [...touched].sort()) this.remerge(key);
    return fresh.length;
  }

  private remerge(key: string): void {
    const evaluation = evaluateFeature((this.byFeature.get(key) ?? []).map((id) => this.versions.get(id) as SyncVersion), this.displayOf(key).feature);
    const plan = planFeature(evaluation, this.displayOf(key));
    const current = this.displayOf(key);
    if (contentKey(current.feature) !== contentKey(plan.target.feature)) this.revisions.set(key, (this.revisions.get(key) ?? 0) + 1);
    this.display.set(key, plan.target);
    this.heads.set(key, plan.heads);
    if (plan.conflict !== null) {
      this.queue.set(key, plan.conflict);
      this.detections.push({ replica: this.device, key, detail: plan.conflict });
    } else {
      this.queue.delete(key);
    }
  }

  /** The conflict of a queued feature as it is now (null: nothing left to decide). */
  freshConflict(key: string): ConflictDetail | null {
    const evaluation = evaluateFeature((this.byFeature.get(key) ?? []).map((id) => this.versions.get(id) as SyncVersion), this.displayOf(key).feature);
    return planFeature(evaluation, this.displayOf(key)).conflict;
  }

  /** Resolves a queued conflict as the review queue does: re-merged now, then the choice journaled. */
  resolve(key: string, choose: (conflict: ConflictDetail) => ResolutionChoice): ActionRecord | null {
    const conflict = this.freshConflict(key);
    this.queue.delete(key);
    if (conflict === null) return null;
    const plan = planResolution(conflict, choose(conflict));
    const current = this.displayOf(key);
    const steps: Step[] = [];
    const featureDecides = plan.decides;
    if (current.feature === null && plan.target.feature === null) {
      // Deleted here and the deletion is kept: journal the decision as re-create + delete.
      steps.push({ kind: 'feature', to: conflict.theirs.feature ?? (conflict.mine.feature as FeatureContent) }, { kind: 'feature', to: null, decides: featureDecides });
    } else {
      steps.push({ kind: 'feature', to: plan.target.feature, decides: featureDecides });
    }
    if (plan.target.feature !== null) {
      for (const [attachmentId, attached] of Object.entries(plan.target.photos).sort()) {
        const now = current.feature === null ? false : current.photos[attachmentId] === true;
        if (attached && !now) steps.push({ kind: 'attach', attachmentId });
        if (!attached && now) steps.push({ kind: 'detach', attachmentId });
      }
    }
    return this.commit(key, steps, { kind: 'resolution', resolves: `${key}@${conflict.heads.join('+')}` });
  }
}

function topological(versions: SyncVersion[]): SyncVersion[] {
  return [...versions].sort((left, right) => (left.id < right.id ? -1 : 1));
}

/** The test's own field diff (not shared/sync's), in the same field naming. */
export function oracleDiff(before: FeatureContent | null, after: FeatureContent | null): Map<string, string> {
  const writes = new Map<string, string>();
  if (after === null) {
    if (before !== null) writes.set('exists', 'false');
    return writes;
  }
  if (before === null) writes.set('exists', 'true');
  for (const field of ['geometry', 'status', 'county', 'demo', 'createdAt'] as const) {
    const value = JSON.stringify(after[field]);
    if (before === null || JSON.stringify(before[field]) !== value) writes.set(field, value);
  }
  const keys = new Set([...Object.keys(after.properties), ...(before === null ? [] : Object.keys(before.properties))]);
  for (const key of keys) {
    const value = JSON.stringify(after.properties[key] ?? '<absent>');
    if (before === null || JSON.stringify(before.properties[key] ?? '<absent>') !== value) writes.set(`properties.${key}`, value);
  }
  return writes;
}

export function oracleValue(content: FeatureContent | null, field: string): string {
  if (field === 'exists') return String(content !== null);
  if (content === null) return '<absent>';
  if (field.startsWith('properties.')) return JSON.stringify(content.properties[field.slice('properties.'.length)] ?? '<absent>');
  return JSON.stringify(content[field as 'geometry']);
}
