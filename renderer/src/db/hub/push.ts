// Push (SYNC-CONTEXT decision 2): the outbox is the journal. Each local change not yet on the hub
// (its version entries after `hub:pushed-through`) goes up as one `POST /v1/changes` with its
// entries as stored, after the bytes of the photos it attaches (`PUT /v1/attachments/:sha256`).
// Then, in one transaction, `hub:pushed-through` moves past it and `hubPushes` records the answer.
// A change the hub refuses for good is recorded `refused` and skipped; 401 and "offline" stop the
// push with everything kept. The change id is the hub's idempotency key, so a change whose answer
// was lost is pushed again safely. Definition changes (layer definitions, target sets, targets;
// definitions-push.ts) go up in the same commit order, each before the feature entries of its change.
import { HubRequestError, type HubClient } from '../../../../shared/sync/hub/client';
import { MAX_ENTRIES_PER_CHANGE, type AttachmentRef, type PushRequest } from '../../../../shared/sync/hub/changes';
import type { JournalEntry, LayerDefinition } from '../../../../shared/model';
import type { OneMapDatabase } from '../schema';
import { META_KEYS, type HubPushRecord, type LayerJournalRecord, type StoredJournalEntry } from '../records';
import { ensureWorkspaceIdentity } from '../identity';
import { pendingEntries } from './workspace';
import { pendingDefinitionRecords, readDefinitionVersions, writeDefinitionVersions, type DefinitionVersions } from './definition-records';
import { definitionPushBase, pushDefinition } from './definitions-push';

export interface PushResult {
  pushed: number;
  refused: number;
}

async function sha256Hex(blob: Blob): Promise<{ hex: string; bytes: Uint8Array<ArrayBuffer> }> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return { hex: [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join(''), bytes };
}

/** Uploads the photos the change attaches (the hub keeps each hash once) and names them for the push. */
async function uploadPhotos(database: OneMapDatabase, client: HubClient, entries: readonly JournalEntry[], signal: unknown): Promise<AttachmentRef[]> {
  const refs: AttachmentRef[] = [];
  for (const entry of entries) {
    if (entry.operation !== 'attach' || entry.attachment === undefined || refs.some((ref) => ref.attachmentId === entry.attachment?.id)) continue;
    const record = await database.attachments.get(entry.attachment.id);
    if (record === undefined) continue; // purged here: the hub answers missing-attachment, recorded as refused
    const photo = await sha256Hex(record.blob);
    await client.putAttachment(photo.hex, photo.bytes, record.mediaType || 'application/octet-stream', signal);
    const ref: AttachmentRef = { attachmentId: record.id, sha256: photo.hex };
    if (record.thumbnail !== null) {
      const thumbnail = await sha256Hex(record.thumbnail);
      await client.putAttachment(thumbnail.hex, thumbnail.bytes, record.thumbnail.type || 'application/octet-stream', signal);
      ref.thumbnailSha256 = thumbnail.hex;
    }
    refs.push(ref);
  }
  return refs;
}

/** The changes waiting, in journal order, each with its entries. */
export function groupByChange(entries: readonly StoredJournalEntry[]): StoredJournalEntry[][] {
  const changes = new Map<string, StoredJournalEntry[]>();
  for (const entry of entries) {
    const list = changes.get(entry.changeId);
    if (list === undefined) changes.set(entry.changeId, [entry]);
    else list.push(entry);
  }
  return [...changes.values()];
}

const asEntry = ({ sequence: _sequence, ...entry }: StoredJournalEntry): JournalEntry => entry;

/**
 * Records answers and moves `hub:pushed-through` past their changes, in one transaction. Answers
 * are written in batches: a change pushed again after a crash before its batch was written gets
 * the hub's stored answer (the change id is its idempotency key), so nothing is lost or doubled,
 * and one commit per change would cost more than the push itself.
 */
async function record(database: OneMapDatabase, pushes: readonly HubPushRecord[]): Promise<void> {
  const last = pushes.at(-1);
  if (last === undefined) return;
  await database.transaction('rw', [database.meta, database.hubPushes], async () => {
    await database.hubPushes.bulkPut([...pushes]);
    const through = await database.meta.get(META_KEYS.hubPushedThrough);
    if (typeof through?.value !== 'number' || through.value < last.lastSequence) await database.meta.put({ key: META_KEYS.hubPushedThrough, value: last.lastSequence });
  });
}

/** Answers written together (see `record`): at most this many, or this long after the first. */
const RECORD_BATCH = 100;
const RECORD_INTERVAL_MS = 2_000;

function answerBatch(database: OneMapDatabase) {
  let batch: HubPushRecord[] = [];
  let since = 0;
  const flush = async (): Promise<void> => {
    const written = batch;
    batch = [];
    await record(database, written);
  };
  return {
    flush,
    /** Keeps an answer; writes the batch when it is full or old enough. */
    async keep(push: HubPushRecord): Promise<void> {
      if (batch.length === 0) since = Date.now();
      batch.push(push);
      if (batch.length >= RECORD_BATCH || Date.now() - since >= RECORD_INTERVAL_MS) await flush();
    },
  };
}

type OutboxItem = { kind: 'change'; position: number; entries: StoredJournalEntry[] } | { kind: 'definition'; position: number; record: LayerJournalRecord };

/**
 * Every waiting change, feature changes and definition changes in commit order: a definition
 * change without feature entries sits after the journal entry it followed (`journalPosition`),
 * one with entries (a field removed takes its values off the features) just before them.
 */
async function outbox(database: OneMapDatabase): Promise<OutboxItem[]> {
  const changes = groupByChange(await pendingEntries(database));
  const firstOf = new Map(changes.map((entries) => [(entries[0] as StoredJournalEntry).changeId, (entries[0] as StoredJournalEntry).sequence]));
  const items: OutboxItem[] = changes.map((entries) => ({ kind: 'change', position: (entries[0] as StoredJournalEntry).sequence, entries }));
  for (const record of await pendingDefinitionRecords(database)) {
    const position = record.journalPosition !== undefined ? record.journalPosition + 0.5 : (firstOf.get(record.changeId) ?? Number.NEGATIVE_INFINITY) - 0.5;
    items.push({ kind: 'definition', position, record });
  }
  // Stable: definition records keep their commit order among themselves.
  return items.sort((left, right) => left.position - right.position);
}

/** Records a definition change's answer, moves its marker past it, and keeps the hub's versions. */
async function recordDefinition(database: OneMapDatabase, push: HubPushRecord, sequence: number, versions: DefinitionVersions): Promise<void> {
  await database.transaction('rw', [database.meta, database.hubPushes], async () => {
    await database.hubPushes.put(push);
    await database.meta.put({ key: META_KEYS.hubDefinitionsPushedThrough, value: sequence });
    await writeDefinitionVersions(database, versions);
  });
}

/**
 * Pushes every waiting change in commit order. Throws the {@link HubRequestError} that stopped it
 * (offline, unauthorized, server, invalid answer); what was pushed before stays recorded.
 */
export async function pushPending(database: OneMapDatabase, client: HubClient, options: { device?: string; signal?: { readonly aborted: boolean }; now?: () => Date } = {}): Promise<PushResult> {
  const device = options.device ?? (await ensureWorkspaceIdentity(database)).deviceId;
  const now = options.now ?? (() => new Date());
  const result: PushResult = { pushed: 0, refused: 0 };
  const hubLayers = new Set(((await database.meta.get(META_KEYS.hubLayers))?.value as string[] | undefined) ?? []);
  const answers = answerBatch(database);
  const versions = await readDefinitionVersions(database);
  try {
    for (const item of await outbox(database)) {
      if (options.signal?.aborted === true) throw new Error('sync cancelled');
      if (item.kind === 'definition') {
        // Written at once (rare and small): the answers before it are flushed first, so the markers keep commit order.
        await answers.flush();
        const base = definitionPushBase(item.record, Math.max(0, Math.floor(item.position)), now().toISOString());
        try {
          const status = await pushDefinition(client, item.record, versions, device, options.signal);
          hubLayers.add(item.record.layerId);
          await recordDefinition(database, { ...base, status }, item.record.sequence as number, versions);
          result.pushed += 1;
        } catch (error) {
          if (!(error instanceof HubRequestError) || (error.kind !== 'refused' && error.kind !== 'forbidden') || error.status === 429) throw error;
          await recordDefinition(database, { ...base, status: 'refused', code: error.code, message: error.message }, item.record.sequence as number, versions);
          result.refused += 1;
        }
        continue;
      }
      const change = item.entries;
      const first = change[0] as StoredJournalEntry;
      const last = change.at(-1) as StoredJournalEntry;
      const features = [...new Set(change.map((entry) => `${entry.layerId}/${entry.featureId}`))];
      const base = { changeId: first.changeId, firstSequence: first.sequence, lastSequence: last.sequence, entryCount: change.length, features, time: now().toISOString() };
      try {
        const attachments = await uploadPhotos(database, client, change, options.signal);
        const layerIds = [...new Set(change.map((entry) => entry.layerId))].filter((layerId) => !hubLayers.has(layerId));
        const layers = (await database.layers.bulkGet(layerIds)).filter((layer): layer is LayerDefinition => layer !== undefined);
        // The hub takes at most MAX_ENTRIES_PER_CHANGE entries per push: a bigger change goes up in parts.
        const replies = [];
        for (let start = 0, part = 0; start < change.length; start += MAX_ENTRIES_PER_CHANGE, part += 1) {
          const entries = change.slice(start, start + MAX_ENTRIES_PER_CHANGE).map(asEntry);
          const ids = new Set(entries.flatMap((entry) => (entry.operation === 'attach' && entry.attachment !== undefined ? [entry.attachment.id] : [])));
          const request: PushRequest = {
            changeId: part === 0 ? first.changeId : `${first.changeId}#${part}`,
            device,
            entries,
            ...(attachments.length === 0 ? {} : { attachments: attachments.filter((ref) => ids.has(ref.attachmentId)) }),
            ...(layers.length === 0 ? {} : { layers }),
          };
          if (request.attachments?.length === 0) delete request.attachments;
          replies.push(await client.push(request, options.signal));
        }
        for (const layer of layers) hubLayers.add(layer.id);
        const statuses = new Set(replies.map((reply) => reply.status));
        const status = statuses.size === 1 ? (replies[0]?.status ?? 'noop') : statuses.has('conflict') || statuses.has('partly-applied') ? 'partly-applied' : 'applied';
        await answers.keep({ ...base, status, results: replies.flatMap((reply) => reply.features) });
        result.pushed += 1;
      } catch (error) {
        // 429 (too many requests) is not a refusal of the change: try again later.
        if (!(error instanceof HubRequestError) || (error.kind !== 'refused' && error.kind !== 'forbidden') || error.status === 429) throw error;
        // Refused for good (out of scope, unknown layer, invalid): recorded, skipped, never blocks the queue.
        await answers.keep({ ...base, status: 'refused', code: error.code, message: error.message });
        result.refused += 1;
      }
    }
  } finally {
    // Also when the push stopped: what the hub answered so far is kept.
    await answers.flush();
  }
  if (hubLayers.size > 0) await database.meta.put({ key: META_KEYS.hubLayers, value: [...hubLayers].sort() });
  return result;
}
