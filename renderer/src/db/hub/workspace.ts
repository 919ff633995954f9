// A hub workspace is its own local database (SYNC-CONTEXT decision 1): its name, opening it, the
// session and token kept in its meta, and what the UI reads of its state.
import type { HubTokenVault } from '../../../../shared/sync/hub/client';
import type { SessionUser } from '../../../../shared/sync/hub/session';
import { openOneMapDatabase, type OneMapDatabase } from '../schema';
import { META_KEYS, type HubSessionRecord, type StoredJournalEntry } from '../records';
import type { HubStatus } from './types';
import { pendingDefinitionRecords } from './definition-records';

const HUB_DATABASE_PREFIX = 'onemap-hub-';

/** `onemap-hub-<first 16 hex of SHA-256(origin + "\n" + user name)>`: one database per hub and user. */
export async function hubDatabaseName(address: string, user: string): Promise<string> {
  const origin = new URL(address).origin;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${origin}\n${user}`)));
  return `${HUB_DATABASE_PREFIX}${[...digest.slice(0, 8)].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** Opens (creating it if new) the hub database of this address and user. */
export async function openHubWorkspace(address: string, user: string): Promise<OneMapDatabase> {
  return openOneMapDatabase(await hubDatabaseName(address, user));
}

export function isHubDatabase(database: OneMapDatabase): boolean {
  return database.name.startsWith(HUB_DATABASE_PREFIX);
}

/** Keeps who is signed in (and where) in the hub database. */
export async function saveHubSession(database: OneMapDatabase, address: string, session: { user: SessionUser; expiresAt: string }): Promise<HubSessionRecord> {
  const record: HubSessionRecord = { address: new URL(address).origin, user: { ...session.user, counties: session.user.counties === 'all' ? 'all' : [...session.user.counties] }, expiresAt: session.expiresAt };
  await database.meta.put({ key: META_KEYS.hubSession, value: record });
  return record;
}

export async function readHubSession(database: OneMapDatabase): Promise<HubSessionRecord | null> {
  const row = await database.meta.get(META_KEYS.hubSession);
  return (row?.value as HubSessionRecord | undefined) ?? null;
}

/** The web shell's token vault: the hub database's meta (never localStorage). */
export function metaTokenVault(database: OneMapDatabase): HubTokenVault {
  return {
    async load() {
      const row = await database.meta.get(META_KEYS.hubToken);
      return typeof row?.value === 'string' ? row.value : null;
    },
    async save(token) {
      await database.meta.put({ key: META_KEYS.hubToken, value: token });
    },
    async clear() {
      await database.meta.delete(META_KEYS.hubToken);
    },
  };
}

export async function readMetaNumber(database: OneMapDatabase, key: string): Promise<number> {
  const row = await database.meta.get(key);
  return typeof row?.value === 'number' ? row.value : 0;
}

/**
 * The outbox: journal entries after `hub:pushed-through` that are versions (no `applies`), in
 * journal order. Runs in the caller's transaction, if any.
 */
export async function pendingEntries(database: OneMapDatabase): Promise<StoredJournalEntry[]> {
  const through = await readMetaNumber(database, META_KEYS.hubPushedThrough);
  return database.journal.where(':id').above(through).filter((entry) => entry.applies === undefined).toArray();
}

/** `${layerId}\u0000${featureId}` of every feature with a change not yet on the hub. */
export async function pendingFeatureKeys(database: OneMapDatabase): Promise<ReadonlySet<string>> {
  return new Set((await pendingEntries(database)).map((entry) => `${entry.layerId}\u0000${entry.featureId}`));
}

export async function readHubStatus(database: OneMapDatabase): Promise<HubStatus> {
  // No explicit transaction: it runs in a live query (hooks.ts), where one was seen to commit
  // early (see undoState); the query re-runs after every write to these tables.
  const pending = await pendingEntries(database);
  const definitions = await pendingDefinitionRecords(database);
  const lastSync = await database.meta.get(META_KEYS.hubLastSync);
  return {
    lastSyncAt: typeof lastSync?.value === 'string' ? lastSync.value : null,
    waitingChanges: new Set([...pending.map((entry) => entry.changeId), ...definitions.map((record) => record.changeId)]).size,
    openConflicts: await database.hubConflicts.count(),
    refusedChanges: await database.hubPushes.where('status').equals('refused').count(),
    session: await readHubSession(database),
  };
}
