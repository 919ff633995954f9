// The kill test's model of the store: a seeded random edit script and what each step must leave
// behind. Pure TypeScript (no Playwright, no Dexie): the runner (tests/e2e/helpers/reliability.ts)
// generates the steps and predicts their journal entries here; the page (page.ts) uses only the
// layer, the seed features and the photo bytes.
//
// The model mirrors the store's documented semantics, not its code: a change is a list of
// journal entries (one per feature operation, plus one `detach` per photo of a deleted
// feature); undo pops the undo stack and pushes itself on the redo stack, redo the reverse, an
// edit clears the redo stack (renderer/src/db/undo.ts).
import type { Geometry, LayerDefinition, PropertyValue } from '../../shared/model';

export type PointGeometry = Extract<Geometry, { type: 'Point' }>;

export const KILL_LAYER_ID = 'kill-wells';
export const KILL_AUTHOR = 'kill-test';
export const SEED_FEATURE_COUNT = 300;

const label = (text: string) => ({ zh: text, en: text });
const STATUSES = ['registered', 'inspected', 'sealed'] as const;

/** A small wells-like layer: a point, four optional fields, three states with every move allowed. */
export const killLayer: LayerDefinition = {
  id: KILL_LAYER_ID,
  name: label('Kill-test wells'),
  geometryType: 'Point',
  displayField: 'name',
  fields: [
    { key: 'name', type: 'string', required: false, label: label('Name') },
    { key: 'depthM', type: 'number', required: false, min: 0, max: 1000, label: label('Depth') },
    { key: 'inspector', type: 'string', required: false, label: label('Inspector') },
    { key: 'checked', type: 'boolean', required: false, label: label('Checked') },
  ],
  status: {
    label: label('Status'),
    states: STATUSES.map((value) => ({ value, label: label(value) })),
    initial: 'registered',
    transitions: STATUSES.flatMap((from) => STATUSES.filter((to) => to !== from).map((to) => ({ from, to }))),
  },
};

// ---------------------------------------------------------------------------------------------
// Seeded randomness (sfc32), reproducible from the logged seed.

export type Random = () => number;

export function seededRandom(...seeds: number[]): Random {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = 1;
  for (const seed of seeds) {
    a ^= seed >>> 0;
    b = Math.imul(b ^ seed, 0x85ebca6b) >>> 0;
    c = (c + Math.imul(seed, 0xc2b2ae35)) >>> 0;
  }
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let index = 0; index < 15; index += 1) next();
  return next;
}

export const randomInt = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

function sample<T>(random: Random, items: readonly T[], count: number): T[] {
  const copy = [...items];
  const chosen: T[] = [];
  while (chosen.length < count && copy.length > 0) chosen.push(copy.splice(Math.floor(random() * copy.length), 1)[0] as T);
  return chosen;
}

// ---------------------------------------------------------------------------------------------
// Feature content: what the kill test compares (geometry, properties, status).

export interface Content {
  geometry: PointGeometry;
  properties: Record<string, PropertyValue>;
  status: string;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** Canonical JSON (keys sorted), so equal contents compare equal as strings. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value) ?? null);
}

export function contentOf(feature: { geometry: unknown; properties: Record<string, PropertyValue>; status: string } | null): Content | null {
  return feature === null ? null : { geometry: feature.geometry as PointGeometry, properties: feature.properties, status: feature.status };
}

const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

function randomPoint(random: Random): PointGeometry {
  return { type: 'Point', coordinates: [round6(115.1 + random() * 1.4), round6(37.1 + random() * 1.2)] };
}

export function seedFeatureId(index: number): string {
  return `W-${String(index).padStart(4, '0')}`;
}

/** The seeded layer: `SEED_FEATURE_COUNT` wells, the same for every run. */
export function seedContents(): Map<string, Content> {
  const random = seededRandom(20210201);
  const contents = new Map<string, Content>();
  for (let index = 0; index < SEED_FEATURE_COUNT; index += 1) {
    contents.set(seedFeatureId(index), {
      geometry: randomPoint(random),
      properties: { name: `井 ${index}`, depthM: randomInt(random, 20, 400) },
      status: 'registered',
    });
  }
  return contents;
}

// ---------------------------------------------------------------------------------------------
// Photos: deterministic bytes from the attachment id, so both sides know what must be stored.

export function photoBytes(attachmentId: string, byteSize: number): Uint8Array {
  let state = 2166136261;
  for (let index = 0; index < attachmentId.length; index += 1) state = Math.imul(state ^ attachmentId.charCodeAt(index), 16777619) >>> 0;
  const bytes = new Uint8Array(byteSize);
  for (let index = 0; index < byteSize; index += 1) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

/** FNV-1a of some bytes, as hex. */
export function bytesHash(bytes: Uint8Array): string {
  let hash = 2166136261;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 16777619) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

// ---------------------------------------------------------------------------------------------
// Steps: what the page runs. Plain JSON (they cross to the page through page.evaluate).

export type StepOperation =
  | { kind: 'create'; featureId: string; content: Content }
  | { kind: 'update'; featureId: string; properties: Record<string, PropertyValue>; status?: string }
  | { kind: 'update-geometry'; featureId: string; geometry: PointGeometry }
  | { kind: 'delete'; featureId: string }
  | { kind: 'attach'; featureId: string; attachmentId: string; byteSize: number; withThumbnail: boolean }
  | { kind: 'detach'; featureId: string; attachmentId: string };

export type Step =
  | { step: number; action: 'change'; label: string; operations: StepOperation[] }
  | { step: number; action: 'undo' | 'redo'; label: string };

export const stepNote = (step: number) => `kill-test step ${step}`;

export function stepOfNote(note: string | undefined): number | null {
  const match = /^kill-test step (\d+)$/.exec(note ?? '');
  return match === null ? null : Number(match[1]);
}

/** One journal entry as the model predicts it. */
export interface ModelEntry {
  featureId: string;
  operation: 'create' | 'update' | 'delete' | 'attach' | 'detach';
  attachmentId?: string;
  before: Content | null;
  after: Content | null;
}

export interface ModelChange {
  step: number;
  kind: 'edit' | 'undo' | 'redo';
  /** Known once the change is seen committed (ack or journal). */
  changeId: string | null;
  /** The change an undo/redo inverted. */
  inverts: ModelChange | null;
  entries: ModelEntry[];
}

export interface ModelAttachment {
  featureId: string;
  attached: boolean;
  byteSize: number;
}

export interface ModelState {
  /** Every feature id ever seen; null once deleted. */
  features: Map<string, Content | null>;
  attachments: Map<string, ModelAttachment>;
  undo: ModelChange[];
  redo: ModelChange[];
  /** The number the next step gets. */
  nextStep: number;
}

export function initialModel(): ModelState {
  return { features: new Map(seedContents()), attachments: new Map(), undo: [], redo: [], nextStep: 1 };
}

export function cloneModel(model: ModelState): ModelState {
  return {
    features: new Map(model.features),
    attachments: new Map([...model.attachments].map(([id, attachment]) => [id, { ...attachment }])),
    undo: [...model.undo],
    redo: [...model.redo],
    nextStep: model.nextStep,
  };
}

/** Ids of live features, in a stable order. */
export function liveFeatureIds(model: ModelState): string[] {
  return [...model.features].filter(([, content]) => content !== null).map(([id]) => id);
}

function activeAttachmentIds(model: ModelState, featureId: string): string[] {
  return [...model.attachments]
    .filter(([, attachment]) => attachment.featureId === featureId && attachment.attached)
    .map(([id]) => id)
    .sort();
}

class ModelError extends Error {}

/** Makes `featureId` equal to `to`, as `transact`'s delete/restore do; returns the entries. */
function setFeature(model: ModelState, featureId: string, to: Content | null): ModelEntry[] {
  const before = model.features.get(featureId) ?? null;
  if (before === null && to === null) throw new ModelError(`feature ${featureId} is already deleted`);
  const entries: ModelEntry[] = [];
  if (to === null) {
    for (const attachmentId of activeAttachmentIds(model, featureId)) {
      (model.attachments.get(attachmentId) as ModelAttachment).attached = false;
      entries.push({ featureId, operation: 'detach', attachmentId, before: null, after: null });
    }
  }
  entries.push({ featureId, operation: before === null ? 'create' : to === null ? 'delete' : 'update', before, after: to });
  model.features.set(featureId, to);
  return entries;
}

function setAttachment(model: ModelState, featureId: string, attachmentId: string, attached: boolean): ModelEntry {
  const attachment = model.attachments.get(attachmentId);
  if (attachment === undefined || attachment.featureId !== featureId || attachment.attached === attached) {
    throw new ModelError(`photo ${attachmentId} of ${featureId} cannot become ${attached ? 'attached' : 'detached'}`);
  }
  attachment.attached = attached;
  return { featureId, operation: attached ? 'attach' : 'detach', attachmentId, before: null, after: null };
}

function applyOperation(model: ModelState, operation: StepOperation): ModelEntry[] {
  const current = model.features.get(operation.featureId) ?? null;
  switch (operation.kind) {
    case 'create':
      if (current !== null) throw new ModelError(`feature ${operation.featureId} exists`);
      return setFeature(model, operation.featureId, operation.content);
    case 'update':
      if (current === null) throw new ModelError(`no feature ${operation.featureId}`);
      return setFeature(model, operation.featureId, { ...current, properties: { ...current.properties, ...operation.properties }, status: operation.status ?? current.status });
    case 'update-geometry':
      if (current === null) throw new ModelError(`no feature ${operation.featureId}`);
      return setFeature(model, operation.featureId, { ...current, geometry: operation.geometry });
    case 'delete':
      if (current === null) throw new ModelError(`no feature ${operation.featureId}`);
      return setFeature(model, operation.featureId, null);
    case 'attach':
      if (current === null) throw new ModelError(`no feature ${operation.featureId}`);
      if (model.attachments.has(operation.attachmentId)) throw new ModelError(`photo ${operation.attachmentId} exists`);
      model.attachments.set(operation.attachmentId, { featureId: operation.featureId, attached: false, byteSize: operation.byteSize });
      return [setAttachment(model, operation.featureId, operation.attachmentId, true)];
    case 'detach':
      return [setAttachment(model, operation.featureId, operation.attachmentId, false)];
  }
}

/** The entries that invert `change`: newest entry first, as `inverseOperations` does. */
function invert(model: ModelState, change: ModelChange): ModelEntry[] {
  const entries: ModelEntry[] = [];
  for (let index = change.entries.length - 1; index >= 0; index -= 1) {
    const entry = change.entries[index] as ModelEntry;
    if (entry.operation === 'attach') entries.push(setAttachment(model, entry.featureId, entry.attachmentId as string, false));
    else if (entry.operation === 'detach') entries.push(setAttachment(model, entry.featureId, entry.attachmentId as string, true));
    else entries.push(...setFeature(model, entry.featureId, entry.before));
  }
  return entries;
}

/** Applies one step to the model (as if it committed) and returns the change it makes. */
export function applyStep(model: ModelState, step: Step): ModelChange {
  if (step.step !== model.nextStep) throw new ModelError(`step ${step.step} applied when ${model.nextStep} is next`);
  let change: ModelChange;
  if (step.action === 'change') {
    change = { step: step.step, kind: 'edit', changeId: null, inverts: null, entries: step.operations.flatMap((operation) => applyOperation(model, operation)) };
    model.undo.push(change);
    model.redo = [];
  } else if (step.action === 'undo') {
    const top = model.undo.pop();
    if (top === undefined) throw new ModelError('nothing to undo');
    change = { step: step.step, kind: 'undo', changeId: null, inverts: top, entries: invert(model, top) };
    model.redo.push(change);
  } else {
    const top = model.redo.pop();
    if (top === undefined) throw new ModelError('nothing to redo');
    change = { step: step.step, kind: 'redo', changeId: null, inverts: top, entries: invert(model, top) };
    model.undo.push(change);
  }
  model.nextStep += 1;
  return change;
}

// ---------------------------------------------------------------------------------------------
// The random edit script.

function randomProperties(random: Random, step: number): Record<string, PropertyValue> {
  const properties: Record<string, PropertyValue> = {};
  const fields = sample(random, ['name', 'depthM', 'inspector', 'checked'], randomInt(random, 1, 3));
  for (const field of fields) {
    if (field === 'name') properties.name = `井 ${step}-${randomInt(random, 0, 9999)}`;
    else if (field === 'depthM') properties.depthM = random() < 0.1 ? null : Math.round(random() * 100000) / 100;
    else if (field === 'inspector') properties.inspector = pick(random, ['张工', '李工', 'Wang', 'O\'Neil', '']);
    else properties.checked = random() < 0.5;
  }
  return properties;
}

function otherStatus(random: Random, status: string): string {
  return pick(
    random,
    STATUSES.filter((candidate) => candidate !== status),
  );
}

/** The next step of the script for the model's current state (does not apply it). */
export function nextStep(model: ModelState, random: Random): Step {
  const step = model.nextStep;
  const live = liveFeatureIds(model);
  const withPhotos = [...model.attachments].filter(([, attachment]) => attachment.attached).map(([id, attachment]) => ({ id, featureId: attachment.featureId }));
  const roll = random();
  const updateOne = (featureId: string): StepOperation => {
    const current = model.features.get(featureId) as Content;
    const changeStatus = random() < 0.35;
    return { kind: 'update', featureId, properties: randomProperties(random, step), ...(changeStatus ? { status: otherStatus(random, current.status) } : {}) };
  };
  const create = (index: number): StepOperation => ({
    kind: 'create',
    featureId: `N-${step}-${index}`,
    content: { geometry: randomPoint(random), properties: randomProperties(random, step), status: pick(random, STATUSES) },
  });
  const attach = (featureId: string, index: number): StepOperation => ({
    kind: 'attach',
    featureId,
    attachmentId: `P-${step}-${index}`,
    byteSize: randomInt(random, 64, 4096),
    withThumbnail: random() < 0.5,
  });

  if (roll < 0.13 && model.undo.length > 0) return { step, action: 'undo', label: 'undo' };
  if (roll < 0.2 && model.redo.length > 0) return { step, action: 'redo', label: 'redo' };
  if (live.length < 20 || roll < 0.3) {
    const count = randomInt(random, 1, 3);
    return { step, action: 'change', label: `create ${count}`, operations: Array.from({ length: count }, (_, index) => create(index)) };
  }
  if (roll < 0.5) return { step, action: 'change', label: 'update 1', operations: [updateOne(pick(random, live))] };
  if (roll < 0.58) {
    // A bulk group: many features in one change, all or nothing.
    const ids = sample(random, live, randomInt(random, 20, 50));
    const status = pick(random, STATUSES);
    const properties = randomProperties(random, step);
    const operations: StepOperation[] = ids.map((featureId) =>
      (model.features.get(featureId) as Content).status === status ? { kind: 'update', featureId, properties } : { kind: 'update', featureId, properties, status },
    );
    return { step, action: 'change', label: `bulk update ${ids.length}`, operations };
  }
  if (roll < 0.68) {
    const ids = sample(random, live, random() < 0.7 ? 1 : randomInt(random, 2, 12));
    return { step, action: 'change', label: `move ${ids.length}`, operations: ids.map((featureId) => ({ kind: 'update-geometry', featureId, geometry: randomPoint(random) })) };
  }
  if (roll < 0.75) {
    const ids = sample(random, live, randomInt(random, 1, 2));
    return { step, action: 'change', label: `delete ${ids.length}`, operations: ids.map((featureId) => ({ kind: 'delete', featureId })) };
  }
  if (roll < 0.85) return { step, action: 'change', label: 'attach photo', operations: [attach(pick(random, live), 0)] };
  if (roll < 0.89 && withPhotos.length > 0) {
    const photo = pick(random, withPhotos);
    return { step, action: 'change', label: 'detach photo', operations: [{ kind: 'detach', featureId: photo.featureId, attachmentId: photo.id }] };
  }
  // A mixed change: create, update, move, attach and delete, on distinct features, in one group.
  const [updated, moved, photographed, deleted] = sample(random, live, 4) as [string, string, string, string];
  return {
    step,
    action: 'change',
    label: 'mixed',
    operations: [create(0), updateOne(updated), { kind: 'update-geometry', featureId: moved, geometry: randomPoint(random) }, attach(photographed, 1), { kind: 'delete', featureId: deleted }],
  };
}
