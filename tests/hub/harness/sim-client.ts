// A simulated device for the hub's tests: it holds its own copy of the features (the hub's rows as
// last pulled, with its unpushed changes on top, as the app shows them), makes random edits
// offline (status, properties, geometry moves, deletes, creates, photos with real bytes),
// journals each edit as `transact` does (one change id, SyncVersion entries with before/after
// snapshots and parents = the feature's heads on this device), pushes changes over HTTP to a hub
// on 127.0.0.1 with retries, and pulls by cursor until `more` is false.
// Every push and its answer is recorded, so a test can check the hub against what was sent.
import { createHash } from 'node:crypto';
import type { Feature, JournalEntry, PropertyValue } from '../../../shared/model';
import { versionWrites, type FeatureContent, type SyncVersion } from '../../../shared/sync';
import type { PushAnswer, PushRequest } from '../../../shared/sync/hub/changes';
import { isMovedOut, type MovedOutFeature, type PulledFeature } from '../../../shared/sync/hub/pull';

export type { PulledFeature, PushBody, PushAnswer };
type PushBody = PushRequest;

/** One change as this device journaled it, and what became of it. */
export interface ChangeRecord {
  body: PushBody;
  /** Every answer the hub gave for it (a duplicate push adds one). */
  answers: PushAnswer[];
  /** HTTP errors that were not retried (4xx). */
  refusals: { status: number; body: unknown }[];
}

export interface HttpResult {
  status: number;
  body: unknown;
}

/** A tiny deterministic generator (mulberry32), so a property-test case replays exactly. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const STATUSES = ['registered', 'scheduled', 'substitute-connected', 'sealed', 'verified'] as const;
export const NAMES = ['东井', '西井', '南井', 'north', null] as const;
export const POINTS: [number, number][] = [
  [115.68, 37.73],
  [115.69, 37.74],
  [115.7, 37.75],
  [115.71, 37.72],
];

export const featureKey = (layerId: string, featureId: string): string => `${layerId}/${featureId}`;

/** A JPEG-looking photo of a few hundred random bytes: real bytes, hashed like the app does. */
export function photoBytes(random: () => number): Uint8Array {
  const bytes = new Uint8Array(200 + Math.floor(random() * 400));
  for (let index = 0; index < bytes.length; index += 1) bytes[index] = Math.floor(random() * 256);
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return bytes;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export interface SimClientOptions {
  baseUrl: string;
  user: string;
  password: string;
  device: string;
  layerId: string;
  /** The counties this device pulls (and creates features in). */
  counties: number[];
  random: () => number;
  /** Added to every journal time: device clocks are wrong; the hub must not care. */
  clockSkewMs?: number;
  pageLimit?: number;
  /** Attempts per request on network errors and 5xx answers. */
  attempts?: number;
  /** Sends one request and reads the whole answer (default: fetch); throws on a network error. */
  transport?: Transport;
}

/** One HTTP exchange: the answer's status and body text. */
export type Transport = (method: string, url: string, headers: Record<string, string>, body: string | Uint8Array<ArrayBuffer> | undefined) => Promise<{ status: number; text: string }>;

const fetchTransport: Transport = async (method, url, headers, body) => {
  const response = await fetch(url, { method, headers, body });
  return { status: response.status, text: await response.text() };
};

type Content = FeatureContent | null;

export class SimClient {
  token: string | null = null;
  /** The hub's rows as last pulled (a tombstone stays, deleted). */
  readonly server = new Map<string, PulledFeature>();
  /** Changes journaled here and not yet answered by the hub, in journal order. */
  pending: ChangeRecord[] = [];
  /** Every change this device journaled, answered or not. */
  readonly changes: ChangeRecord[] = [];
  /** Photo bytes by SHA-256 (uploaded before the push that references them). */
  readonly photos = new Map<string, Uint8Array>();
  /** The journal entries this device holds per feature: its heads are the parents of the next. */
  readonly heads = new Map<string, string[]>();
  /** Attached photo ids per feature, as this device shows them. */
  readonly attached = new Map<string, Set<string>>();
  cursor: string | null = null;
  private readonly photoIndex = new Map<string, { sha256: string; byteSize: number }>();
  private counter = 0;
  private clock = Date.parse('2026-12-07T00:00:00Z');

  constructor(readonly options: SimClientOptions) {}

  get device(): string {
    return this.options.device;
  }

  // ---- HTTP -------------------------------------------------------------------------------

  /** One request with retries on network errors and 5xx answers (the same body each time). */
  async request(method: string, path: string, body?: unknown, raw?: Uint8Array): Promise<HttpResult> {
    const attempts = this.options.attempts ?? 40;
    let lastError: unknown = null;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        const headers: Record<string, string> = {};
        if (this.token !== null) headers.authorization = `Bearer ${this.token}`;
        let payload: string | Uint8Array<ArrayBuffer> | undefined;
        if (raw !== undefined) {
          headers['content-type'] = 'application/octet-stream';
          payload = new Uint8Array(raw);
        } else if (body !== undefined) {
          headers['content-type'] = 'application/json';
          payload = JSON.stringify(body);
        }
        const { status, text } = await (this.options.transport ?? fetchTransport)(method, `${this.options.baseUrl}${path}`, headers, payload);
        const parsed: unknown = text === '' ? null : JSON.parse(text);
        if (status >= 500) {
          lastError = new Error(`${method} ${path}: HTTP ${status} ${text.slice(0, 300)}`);
        } else {
          return { status, body: parsed };
        }
      } catch (error) {
        lastError = error;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 * attempt, 500)));
    }
    throw new Error(`sim ${this.device}: ${method} ${path} failed after ${attempts} attempts: ${String(lastError)}`);
  }

  async signIn(): Promise<void> {
    this.token = null;
    const answer = await this.request('POST', '/v1/session', { user: this.options.user, password: this.options.password, device: this.device });
    if (answer.status !== 200) throw new Error(`sim ${this.device}: sign-in answered ${answer.status} ${JSON.stringify(answer.body)}`);
    this.token = (answer.body as { token: string }).token;
  }

  // ---- what the device shows ---------------------------------------------------------------

  private serverContent(key: string): Content {
    const row = this.server.get(key);
    if (row === undefined || row.deleted) return null;
    return { geometry: row.geometry, properties: row.properties, status: row.status, county: row.county, demo: row.demo, createdAt: row.createdAt };
  }

  /** The feature as this device shows it: the hub's row with every unpushed change on top. */
  display(key: string): Content {
    let content = this.serverContent(key);
    for (const change of this.pending) {
      for (const entry of change.body.entries) {
        if (featureKey(entry.layerId, entry.featureId) !== key) continue;
        content = applyEntry(content, entry);
      }
    }
    return content;
  }

  /** Every feature key this device knows of (pulled or created here). */
  keys(): string[] {
    const keys = new Set(this.server.keys());
    for (const change of this.pending) for (const entry of change.body.entries) keys.add(featureKey(entry.layerId, entry.featureId));
    return [...keys].sort();
  }

  private revisionOf(key: string): number {
    let revision = this.server.get(key)?.version ?? 0;
    for (const change of this.pending) for (const entry of change.body.entries) if (featureKey(entry.layerId, entry.featureId) === key && entry.after !== null) revision = entry.after.revision;
    return revision;
  }

  private now(): string {
    this.clock += 1000;
    return new Date(this.clock + (this.options.clockSkewMs ?? 0)).toISOString();
  }

  // ---- journaling (as transact) ------------------------------------------------------------

  /** Journals one change of one feature: content edits and photo steps, as one change id. */
  journal(key: string, steps: ({ to: Content } | { attach: Uint8Array } | { detach: string })[]): ChangeRecord {
    const [layerId, featureId] = splitKey(key);
    const changeId = `${this.device}-c${(this.counter += 1)}`;
    const time = this.now();
    const entries: SyncVersion[] = [];
    const attachments: { attachmentId: string; sha256: string }[] = [];
    let content = this.display(key);
    let revision = this.revisionOf(key);
    const snapshot = (value: Content, rev: number): Feature | null => (value === null ? null : { id: featureId, layerId, ...value, updatedAt: time, revision: rev });
    const push = (entry: Pick<SyncVersion, 'operation' | 'before' | 'after' | 'attachment'>): void => {
      const id = `${this.device}-v${(this.counter += 1)}`;
      const version: SyncVersion = {
        id,
        changeId,
        layerId,
        featureId,
        author: this.device,
        authorName: `user ${this.options.user}`,
        device: this.device,
        time,
        parents: this.heads.get(key) ?? [],
        ...entry,
      } as SyncVersion;
      if (version.attachment === undefined) delete version.attachment;
      entries.push(version);
      this.heads.set(key, [id]);
    };
    const photosHere = this.attached.get(key) ?? new Set<string>();
    for (const step of steps) {
      if ('to' in step) {
        if (content !== null && step.to === null) {
          // transact detaches a feature's photos before deleting it.
          for (const attachmentId of [...photosHere].sort()) {
            push({ operation: 'detach', before: null, after: null, attachment: this.reference(attachmentId, time) });
            photosHere.delete(attachmentId);
          }
        }
        const before = snapshot(content, revision);
        revision += 1;
        const after = snapshot(step.to, revision);
        push({ operation: content === null ? 'create' : step.to === null ? 'delete' : 'update', before, after });
        content = step.to;
      } else if ('attach' in step) {
        const sha256 = sha256Hex(step.attach);
        this.photos.set(sha256, step.attach);
        const attachmentId = `${this.device}-p${(this.counter += 1)}`;
        this.photoIndex.set(attachmentId, { sha256, byteSize: step.attach.length });
        push({ operation: 'attach', before: null, after: null, attachment: this.reference(attachmentId, time) });
        attachments.push({ attachmentId, sha256 });
        photosHere.add(attachmentId);
      } else {
        push({ operation: 'detach', before: null, after: null, attachment: this.reference(step.detach, time) });
        photosHere.delete(step.detach);
      }
    }
    this.attached.set(key, photosHere);
    const record: ChangeRecord = { body: { changeId, device: this.device, entries, ...(attachments.length > 0 ? { attachments } : {}) }, answers: [], refusals: [] };
    this.pending.push(record);
    this.changes.push(record);
    return record;
  }

  private reference(attachmentId: string, time: string): NonNullable<SyncVersion['attachment']> {
    const photo = this.photoIndex.get(attachmentId);
    return { id: attachmentId, fileName: `${attachmentId}.jpg`, mediaType: 'image/jpeg', byteSize: photo?.byteSize ?? 0, hasThumbnail: false, createdAt: time };
  }

  /** A new feature in one of this device's counties. */
  create(random = this.options.random): ChangeRecord {
    const featureId = `${this.device}-f${(this.counter += 1)}`;
    const county = this.options.counties[Math.floor(random() * this.options.counties.length)] ?? null;
    return this.journal(featureKey(this.options.layerId, featureId), [
      {
        to: {
          geometry: { type: 'Point', coordinates: POINTS[Math.floor(random() * POINTS.length)] as [number, number] },
          properties: { wellClass: 'agricultural', useType: 'irrigation', name: `新井 ${featureId}` },
          status: 'registered',
          county,
          demo: false,
          createdAt: this.now(),
        },
      },
    ]);
  }

  /** One random edit of a feature this device shows (or a new feature): the device may be offline. */
  randomEdit(random = this.options.random): ChangeRecord {
    const live = this.keys().filter((key) => this.display(key) !== null);
    if (live.length === 0 || random() < 0.08) return this.create(random);
    const key = live[Math.floor(random() * live.length)] as string;
    const content = this.display(key) as FeatureContent;
    const roll = random();
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    if (roll < 0.3) return this.journal(key, [{ to: { ...content, status: pick(STATUSES) } }]);
    if (roll < 0.5) {
      const name = pick(NAMES);
      const properties = { ...content.properties };
      if (name === null) delete properties.name;
      else properties.name = name;
      return this.journal(key, [{ to: { ...content, properties } }]);
    }
    if (roll < 0.6) return this.journal(key, [{ to: { ...content, properties: { ...content.properties, depthM: 10 + Math.floor(random() * 5) * 10 } } }]);
    if (roll < 0.8) return this.journal(key, [{ to: { ...content, geometry: { type: 'Point', coordinates: pick(POINTS) } } }]);
    if (roll < 0.86) {
      // A status change with its date, in one change (two fields, one entry), then a note: two entries.
      const first = { ...content, status: 'sealed', properties: { ...content.properties, sealedDate: '2026-12-0' + String(1 + Math.floor(random() * 6)) } };
      return this.journal(key, [{ to: first }, { to: { ...first, properties: { ...first.properties, note: `封填 ${this.device}` } } }]);
    }
    if (roll < 0.93) return this.journal(key, [{ attach: photoBytes(random) }]);
    return this.journal(key, [{ to: null }]);
  }

  // ---- sync ----------------------------------------------------------------------------------

  /** Uploads a change's photo bytes (by hash; the hub verifies it). */
  async uploadPhotos(change: ChangeRecord): Promise<void> {
    for (const { sha256 } of change.body.attachments ?? []) {
      const bytes = this.photos.get(sha256);
      if (bytes === undefined) continue;
      const answer = await this.request('PUT', `/v1/attachments/${sha256}`, undefined, bytes);
      if (answer.status >= 300) throw new Error(`sim ${this.device}: PUT attachment ${sha256} answered ${answer.status} ${JSON.stringify(answer.body)}`);
    }
  }

  /** Pushes one change (retrying network errors and 5xx with the same change id); returns the HTTP answer. */
  async pushChange(change: ChangeRecord): Promise<HttpResult> {
    await this.uploadPhotos(change);
    const answer = await this.request('POST', '/v1/changes', change.body);
    if (answer.status === 200) {
      change.answers.push(answer.body as PushAnswer);
      this.pending = this.pending.filter((other) => other !== change);
    } else {
      change.refusals.push({ status: answer.status, body: answer.body });
    }
    return answer;
  }

  /**
   * Pushes every pending change, in journal order or shuffled; `duplicate` is the chance each
   * change is pushed a second time (and a change already answered may be pushed again).
   */
  async pushAll(options: { shuffle?: boolean; duplicate?: number; random?: () => number } = {}): Promise<void> {
    const random = options.random ?? this.options.random;
    const queue = [...this.pending];
    if (options.shuffle === true) shuffleInPlace(queue, random);
    for (const change of queue) {
      const answer = await this.pushChange(change);
      if (answer.status !== 200) throw new Error(`sim ${this.device}: push ${change.body.changeId} answered ${answer.status} ${JSON.stringify(answer.body)}`);
      if (options.duplicate !== undefined && random() < options.duplicate) await this.pushChange(change);
    }
  }

  /** Pulls pages by cursor until the hub says there is no more. Returns how many rows came. */
  async pullAll(): Promise<number> {
    let rows = 0;
    for (;;) {
      const query = new URLSearchParams({ counties: this.options.counties.join(','), limit: String(this.options.pageLimit ?? 500) });
      if (this.cursor !== null) query.set('cursor', this.cursor);
      const answer = await this.request('GET', `/v1/changes?${query.toString()}`);
      if (answer.status !== 200) throw new Error(`sim ${this.device}: pull answered ${answer.status} ${JSON.stringify(answer.body)}`);
      const page = answer.body as { features: (PulledFeature | MovedOutFeature)[]; cursor: string; more: boolean };
      for (const row of page.features) {
        const key = featureKey(row.layerId, row.id);
        if (isMovedOut(row)) this.server.delete(key);
        else this.server.set(key, row);
        rows += 1;
      }
      this.cursor = page.cursor;
      if (!page.more) return rows;
    }
  }
}

function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}

/** What an entry does to the content its device shows (photo steps leave the content alone). */
function applyEntry(content: Content, entry: JournalEntry): Content {
  if (entry.operation === 'attach' || entry.operation === 'detach') return content;
  if (entry.after === null) return null;
  const after = { geometry: entry.after.geometry, properties: entry.after.properties, status: entry.after.status, county: entry.after.county, demo: entry.after.demo, createdAt: entry.after.createdAt };
  if (content === null) return after;
  // The fields the entry wrote, on top of what the hub has now (others' changes stay visible).
  const next: FeatureContent = { ...content, properties: { ...content.properties } };
  for (const [field, { value }] of versionWrites(entry)) {
    if (field.startsWith('properties.')) {
      const property = field.slice('properties.'.length);
      if (value === undefined) delete next.properties[property];
      else next.properties[property] = value as PropertyValue;
    } else if (field !== 'exists' && field !== 'createdAt' && !field.startsWith('photo:')) {
      (next as unknown as Record<string, unknown>)[field] = value;
    }
  }
  return next;
}

export function shuffleInPlace<T>(values: T[], random: () => number): T[] {
  for (let index = values.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [values[index], values[other]] = [values[other] as T, values[index] as T];
  }
  return values;
}
