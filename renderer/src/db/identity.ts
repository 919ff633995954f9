// Random ids and the workspace/device identity kept in `meta`.
import type { OneMapDatabase } from './schema';
import { META_KEYS } from './records';

/** A random UUID (v4); `crypto.randomUUID` where available, else built from getRandomValues. */
export function randomId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface WorkspaceIdentity {
  workspaceId: string;
  deviceId: string;
  /** The user's name, asked once per installation (null until given). */
  userName: string | null;
}

/**
 * The workspace and device ids, created on first use. Runs in its own transaction or joins the
 * caller's, which must then include `meta` read-write.
 */
export async function ensureWorkspaceIdentity(database: OneMapDatabase): Promise<WorkspaceIdentity> {
  return database.transaction('rw', database.meta, async () => {
    const [workspace, device, user] = await database.meta.bulkGet([META_KEYS.workspaceId, META_KEYS.deviceId, META_KEYS.userName]);
    const workspaceId = typeof workspace?.value === 'string' ? workspace.value : randomId();
    const deviceId = typeof device?.value === 'string' ? device.value : randomId();
    if (workspace === undefined) await database.meta.put({ key: META_KEYS.workspaceId, value: workspaceId });
    if (device === undefined) await database.meta.put({ key: META_KEYS.deviceId, value: deviceId });
    return { workspaceId, deviceId, userName: typeof user?.value === 'string' ? user.value : null };
  });
}

/** A user name as kept: trimmed, 1–100 characters. */
export function normalizeUserName(name: string): string | null {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  return trimmed.length >= 1 && trimmed.length <= 100 ? trimmed : null;
}

/** Sets the user's name (journal entries written from now on carry it). Throws on an empty or over-long name. */
export async function setUserName(database: OneMapDatabase, name: string): Promise<string> {
  const normalized = normalizeUserName(name);
  if (normalized === null) throw new RangeError('a user name has 1 to 100 characters');
  await database.transaction('rw', database.meta, () => database.meta.put({ key: META_KEYS.userName, value: normalized }));
  return normalized;
}
