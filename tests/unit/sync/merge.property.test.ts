// Model-based property test of exchanging edits through packages: 2–3 replicas make random
// edits (create, properties, status, geometry, delete, photos, "restore an earlier version"),
// export packages (since the last one for that peer, or everything) and import them in random
// order, with duplicates, resolving some conflicts on the way. Then everything is exchanged and
// every review queue resolved by a fixed rule (the side with the smallest device id), until
// quiet. Checked:
//   - all replicas show identical features and photos, and nothing is left in any queue;
//   - every pair of concurrent changes that conflict (same field, different values, or a delete
//     against an edit) was shown in some review queue — unless one of them had already been
//     overwritten, on its own side, before the two met;
//   - nothing was dropped silently: every value a change wrote is in the end either still there
//     or was overwritten by a later change made by someone who had seen it.
// ONEMAP_PROPERTY_RUNS raises the number of runs (default 200).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentKey, evaluateFeature, type ConflictDetail, type FeatureContent, type ResolutionChoice, type SyncVersion } from '../../../shared/sync';
import { LAYER, ModelReplica, featureKey, oracleValue, type ActionRecord, type DetectedConflict, type Step } from './model-replica';

const RUNS = Number.parseInt(process.env.ONEMAP_PROPERTY_RUNS ?? '', 10) || 200;

const SEED_KEYS = ['F1', 'F2', 'F3'].map((id) => featureKey(LAYER, id));
const POINTS: [number, number][] = [
  [115.5, 37.5],
  [115.6, 37.6],
  [115.7, 37.7],
];
const seedContent = (index: number): FeatureContent => ({
  geometry: { type: 'Point', coordinates: POINTS[index % 3] as [number, number] },
  properties: { name: `seed ${index}`, depth: 10 },
  status: 'registered',
  county: null,
  demo: true,
  createdAt: '2021-06-30T00:00:00.000Z',
});

type EditOp =
  | { op: 'name'; value: string | null }
  | { op: 'depth'; value: number }
  | { op: 'status'; value: string }
  | { op: 'move'; point: number }
  | { op: 'delete' }
  | { op: 'create' }
  | { op: 'attach' }
  | { op: 'detach'; pick: number }
  | { op: 'revert'; pick: number };

type Command =
  | { t: 'edit'; replica: number; feature: number; edit: EditOp }
  | { t: 'export'; from: number; to: number; all: boolean }
  | { t: 'import'; replica: number; pick: number }
  | { t: 'resolve'; replica: number; pick: number; theirs: boolean };

const editArbitrary: fc.Arbitrary<EditOp> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('name' as const), value: fc.constantFrom('a', 'b', 'c', null) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('depth' as const), value: fc.constantFrom(1, 2, 3) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('status' as const), value: fc.constantFrom('registered', 'scheduled', 'sealed') }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('move' as const), point: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('create' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('attach' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('detach' as const), pick: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('revert' as const), pick: fc.nat(15) }) },
);

const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  // Half of the edits go to one feature, so that concurrent edits of the same feature are common.
  { weight: 6, arbitrary: fc.record({ t: fc.constant('edit' as const), replica: fc.nat(2), feature: fc.oneof(fc.constant(0), fc.nat(5)), edit: editArbitrary }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('export' as const), from: fc.nat(2), to: fc.nat(2), all: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('import' as const), replica: fc.nat(2), pick: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('resolve' as const), replica: fc.nat(2), pick: fc.nat(5), theirs: fc.boolean() }) },
);

interface World {
  replicas: ModelReplica[];
  actions: ActionRecord[];
  detections: DetectedConflict[];
  packages: Uint8Array[];
  created: number;
  photos: number;
}

function newWorld(count: number): World {
  const actions: ActionRecord[] = [];
  const detections: DetectedConflict[] = [];
  const seed = new Map(SEED_KEYS.map((key, index) => [key, seedContent(index)]));
  const replicas = Array.from({ length: count }, (_, index) => new ModelReplica(`d${index}`, seed, actions, detections));
  return { replicas, actions, detections, packages: [], created: 0, photos: 0 };
}

function editSteps(world: World, replica: ModelReplica, key: string, edit: EditOp): Step[] | null {
  const display = replica.displayOf(key);
  const feature = display.feature;
  const change = (to: FeatureContent): Step[] => [{ kind: 'feature', to }];
  switch (edit.op) {
    case 'name': {
      if (feature === null) return null;
      const properties = { ...feature.properties };
      if (edit.value === null) delete properties.name;
      else properties.name = edit.value;
      return change({ ...feature, properties });
    }
    case 'depth':
      return feature === null ? null : change({ ...feature, properties: { ...feature.properties, depth: edit.value } });
    case 'status':
      return feature === null || feature.status === edit.value ? null : change({ ...feature, status: edit.value });
    case 'move':
      return feature === null ? null : change({ ...feature, geometry: { type: 'Point', coordinates: POINTS[edit.point] as [number, number] } });
    case 'delete':
      return feature === null ? null : [{ kind: 'feature', to: null }];
    case 'attach': {
      if (feature === null) return null;
      world.photos += 1;
      const id = `${replica.device}-photo${world.photos}`;
      return [{ kind: 'attach', attachmentId: id, bytes: new Uint8Array([world.photos % 256, 1, 2, 3, replica.device.charCodeAt(1)]) }];
    }
    case 'detach': {
      if (feature === null) return null;
      const attached = Object.keys(display.photos).filter((id) => display.photos[id] === true).sort();
      if (attached.length === 0) return null;
      return [{ kind: 'detach', attachmentId: attached[edit.pick % attached.length] as string }];
    }
    case 'revert': {
      // "Restore this version": an earlier content of the feature, from any version this replica holds.
      const contents = (replica.byFeature.get(key) ?? [])
        .map((id) => (replica.versions.get(id) as SyncVersion).after)
        .filter((after): after is NonNullable<typeof after> => after !== null);
      if (contents.length === 0) return null;
      const { id: _id, layerId: _layerId, updatedAt: _updatedAt, revision: _revision, ...content } = contents[edit.pick % contents.length] as NonNullable<SyncVersion['after']>;
      if (contentKey(content) === contentKey(feature)) return null;
      return change(content);
    }
    case 'create':
      return null; // handled by the caller (a new id)
  }
}

/** The fixed rule: each conflicting field takes the value whose writers include the smallest device id. */
function byRule(conflict: ConflictDetail, versionsOf: (id: string) => SyncVersion): ResolutionChoice {
  // (A starting value — "origin:…", not a version — ranks last.)
  const rank = (ids: readonly string[]): string =>
    ids
      .map((id) => (id.startsWith('origin:') ? `\uffff${id}` : `${versionsOf(id).device}\u0000${id}`))
      .sort()[0] as string;
  let keep = conflict.mine.feature !== null || conflict.theirs.feature !== null;
  if (conflict.deletion !== null) keep = rank(conflict.deletion.edits) < rank(conflict.deletion.deletes);
  if (!keep) return { kind: 'merged', feature: null };
  const base = (conflict.mine.feature ?? conflict.theirs.feature) as FeatureContent;
  const feature: FeatureContent = { ...base, properties: { ...base.properties } };
  for (const field of conflict.fields) {
    const winner = [...field.candidates].sort((left, right) => (rank(left.versions) < rank(right.versions) ? -1 : 1))[0];
    if (winner === undefined) continue;
    if (field.field.startsWith('properties.')) {
      const name = field.field.slice('properties.'.length);
      if (winner.value === undefined) delete feature.properties[name];
      else feature.properties[name] = winner.value as string;
    } else if (field.field !== 'exists') {
      (feature as unknown as Record<string, unknown>)[field.field] = winner.value;
    }
  }
  return { kind: 'merged', feature };
}

async function run(world: World, commands: readonly Command[]): Promise<void> {
  const { replicas } = world;
  const at = (index: number): ModelReplica => replicas[index % replicas.length] as ModelReplica;
  for (const command of commands) {
    switch (command.t) {
      case 'edit': {
        const replica = at(command.replica);
        if (command.edit.op === 'create') {
          world.created += 1;
          const key = featureKey(LAYER, `N${world.created}`);
          replica.commit(key, [{ kind: 'feature', to: { ...seedContent(world.created), demo: false, properties: { name: `new ${world.created}` } } }]);
          break;
        }
        const keys = [...new Set([...SEED_KEYS, ...replica.byFeature.keys()])].sort();
        const key = keys[command.feature % keys.length] as string;
        const steps = editSteps(world, replica, key, command.edit);
        if (steps !== null) replica.commit(key, steps);
        break;
      }
      case 'export': {
        const from = at(command.from);
        const to = at(command.to);
        if (from === to) break;
        world.packages.push(await from.exportPackage(command.all ? null : to.device));
        break;
      }
      case 'import': {
        if (world.packages.length === 0) break;
        await at(command.replica).importPackage(world.packages[command.pick % world.packages.length] as Uint8Array);
        break;
      }
      case 'resolve': {
        const replica = at(command.replica);
        const open = [...replica.queue.keys()].sort();
        if (open.length === 0) break;
        replica.resolve(open[command.pick % open.length] as string, () => ({ kind: command.theirs ? 'theirs' : 'mine' }));
        break;
      }
    }
  }
  // Exchange everything and resolve by the rule until nothing is left to decide.
  // (A package for a peer starts after the last one sent to it, or earlier when the peer's acks say
  // it missed something: a package that was never imported is sent again on the next round.)
  // Settled = two rounds in a row bring nothing new (the first quiet round carries the acks).
  let quiet = 0;
  for (let round = 0; round < 12; round += 1) {
    let fresh = 0;
    for (const from of replicas) for (const to of replicas) if (from !== to) fresh += await to.importPackage(await from.exportPackage(to.device));
    const open = replicas.some((replica) => replica.queue.size > 0);
    quiet = fresh === 0 ? quiet + 1 : 0;
    if (!open && quiet >= 2) return;
    if (!open || fresh > 0) continue;
    for (const replica of replicas) {
      for (const key of [...replica.queue.keys()].sort()) replica.resolve(key, (conflict) => byRule(conflict, (id) => replica.versions.get(id) as SyncVersion));
    }
  }
  throw new Error('the replicas did not settle within 12 rounds of exchange and resolution');
}

function photosAttached(photos: Record<string, boolean>): string {
  return Object.keys(photos)
    .filter((id) => photos[id] === true)
    .sort()
    .join(',');
}

function checkConverged(world: World): void {
  const [first, ...others] = world.replicas as [ModelReplica, ...ModelReplica[]];
  const keys = new Set(world.replicas.flatMap((replica) => [...replica.display.keys(), ...replica.byFeature.keys()]));
  for (const replica of world.replicas) {
    expect(replica.queue.size, `${replica.device} has unresolved conflicts`).toBe(0);
    expect(replica.versions.size, `${replica.device} holds every version`).toBe(first.versions.size);
  }
  for (const key of [...keys].sort()) {
    const expected = first.displayOf(key);
    for (const replica of others) {
      const actual = replica.displayOf(key);
      expect(contentKey(actual.feature), `${key} on ${replica.device} vs ${first.device}`).toBe(contentKey(expected.feature));
      expect(photosAttached(actual.photos), `photos of ${key} on ${replica.device}`).toBe(photosAttached(expected.photos));
    }
    // What every replica shows is the merge of the versions — not some leftover of the order they came in.
    const versions = (first.byFeature.get(key) ?? []).map((id) => first.versions.get(id) as SyncVersion);
    if (versions.length > 0) {
      const evaluation = evaluateFeature(versions, expected.feature);
      expect(evaluation.clean, `${key} merges cleanly`).toBe(true);
      expect(contentKey(evaluation.content), `${key} shows its merge`).toBe(contentKey(expected.feature));
    }
  }
}

const sees = (observer: ActionRecord, seen: ActionRecord): boolean => seen.versionIds.some((id) => observer.seen.has(id));
const concurrent = (left: ActionRecord, right: ActionRecord): boolean => !sees(left, right) && !sees(right, left);
const isPhoto = (field: string): boolean => field.startsWith('photo:');

function checkConflictsQueued(world: World): number {
  let pairs = 0;
  const byKey = new Map<string, ActionRecord[]>();
  for (const action of world.actions) byKey.set(action.key, [...(byKey.get(action.key) ?? []), action]);
  for (const [key, actions] of byKey) {
    const detections = world.detections.filter((detection) => detection.key === key);
    // `a` was overwritten on its own side (by a change that saw it but not `b`) before meeting `b`.
    const superseded = (a: ActionRecord, b: ActionRecord, writes: (other: ActionRecord) => boolean): boolean =>
      actions.some((other) => other !== a && sees(other, a) && !sees(other, b) && writes(other));
    for (const a of actions) {
      for (const b of actions) {
        if (a === b || !concurrent(a, b)) continue;
        // Same field, different values.
        if (a.replica < b.replica || (a.replica === b.replica && a.versionIds[0]! < b.versionIds[0]!)) {
          for (const [field, value] of a.writes) {
            if (field === 'exists' || isPhoto(field)) continue;
            const other = b.writes.get(field);
            if (other === undefined || other === value) continue;
            const overwrites = (action: ActionRecord): boolean => action.writes.has(field) || action.writes.has('exists');
            if (superseded(a, b, overwrites) || superseded(b, a, overwrites)) continue;
            pairs += 1;
            const shown = detections.some((detection) =>
              detection.detail.fields.some(
                (conflict) =>
                  conflict.field === field &&
                  conflict.candidates.some((mine) => mine.versions.some((id) => a.versionIds.includes(id))) &&
                  conflict.candidates.some((theirs) => theirs.versions.some((id) => b.versionIds.includes(id)) && !theirs.versions.some((id) => a.versionIds.includes(id))),
              ),
            );
            expect(shown, `${key}: ${field} written ${value} by ${a.versionIds.join()} and ${other} by ${b.versionIds.join()} concurrently, never queued`).toBe(true);
          }
        }
        // A delete against an edit.
        if (a.writes.get('exists') === 'false' && b.writes.size > 0 && b.writes.get('exists') !== 'false') {
          if (superseded(a, b, (action) => action.writes.has('exists'))) continue;
          if (superseded(b, a, (action) => action.writes.get('exists') === 'false')) continue;
          pairs += 1;
          const shown = detections.some(
            (detection) =>
              detection.detail.deletion !== null &&
              detection.detail.deletion.deletes.some((id) => a.versionIds.includes(id)) &&
              detection.detail.deletion.edits.some((id) => b.versionIds.includes(id)),
          );
          expect(shown, `${key}: deleted by ${a.versionIds.join()} while ${b.versionIds.join()} edited it, never queued`).toBe(true);
        }
      }
    }
  }
  return pairs;
}

function checkNothingDroppedSilently(world: World): void {
  const final = (world.replicas[0] as ModelReplica);
  for (const action of world.actions) {
    const display = final.displayOf(action.key);
    for (const [field, value] of action.writes) {
      const now = isPhoto(field) ? String(display.feature !== null && display.photos[field.slice('photo:'.length)] === true) : oracleValue(display.feature, field);
      if (now === value) continue;
      const overwritten = world.actions.some((other) => other.key === action.key && other !== action && sees(other, action) && (other.writes.has(field) || other.writes.has('exists')));
      // Photos: a removal loses to a concurrent re-attach (attached wins) — the photo is kept, not dropped.
      const keptPhoto = isPhoto(field) && value === 'false' && now === 'true' && world.actions.some((other) => other.key === action.key && other.writes.get(field) === 'true' && !sees(other, action));
      expect(overwritten || keptPhoto, `${action.key}: ${field}=${value} written by ${action.versionIds.join()} is gone (now ${now}) and nobody who saw it changed it`).toBe(true);
    }
  }
}

describe('exchanging edit packages between replicas (model-based)', () => {
  it(`converges, queues every conflict and drops nothing silently (${RUNS} runs)`, async () => {
    let conflictPairs = 0;
    let detections = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 3 }), fc.array(commandArbitrary, { minLength: 5, maxLength: 60 }), async (count, commands) => {
        const world = newWorld(count);
        await run(world, commands);
        checkConverged(world);
        conflictPairs += checkConflictsQueued(world);
        checkNothingDroppedSilently(world);
        detections += world.detections.length;
      }),
      { numRuns: RUNS },
    );
    // The generator must actually produce conflicts, or the property says little.
    console.info(`${RUNS} runs: ${conflictPairs} concurrent conflicting pairs checked, ${detections} conflicts queued`);
    expect(conflictPairs).toBeGreaterThan(RUNS / 4);
    expect(detections).toBeGreaterThan(RUNS / 4);
  }, 600_000);
});
