// Which hub workspace opens at start (SYNC-CONTEXT decision 1): the shell's hub address plus a
// pointer to the user last signed in there. The pointer names no secret (the token is in the
// vault), so it is kept like the UI language, per origin; a pointer to another hub than the
// shell's current one is ignored (sign in again there).
import { hubDatabaseName, openCheckedOneMapDatabase, type CheckedOpen } from '../db';
import type { HubPlatform } from './hub-platform';

export interface HubTarget {
  /** The hub's origin. */
  address: string;
  /** The hub user name. */
  user: string;
}

const pointerKey = 'onemap.hub.workspace';

export function originOf(address: string): string {
  return new URL(address).origin;
}

export function readHubPointer(): HubTarget | null {
  try {
    const value = JSON.parse(window.localStorage.getItem(pointerKey) ?? 'null') as Partial<HubTarget> | null;
    return typeof value?.address === 'string' && typeof value.user === 'string' ? { address: value.address, user: value.user } : null;
  } catch {
    return null;
  }
}

export function writeHubPointer(target: HubTarget | null): void {
  try {
    if (target === null) window.localStorage.removeItem(pointerKey);
    else window.localStorage.setItem(pointerKey, JSON.stringify({ address: originOf(target.address), user: target.user }));
  } catch {
    // Storage unavailable (a private window): the app opens the local workspace at the next start.
  }
}

/** The hub workspace to open at start, or null for the local one. */
export async function startupHubTarget(platform: HubPlatform): Promise<HubTarget | null> {
  const pointer = readHubPointer();
  if (pointer === null) return null;
  const address = await platform.getAddress().catch(() => null);
  return address !== null && originOf(address) === pointer.address ? pointer : null;
}

/** Opens (creating it if new) the hub database of this hub and user, checked for store loss like the local one. */
export async function openHubDatabase(target: HubTarget): Promise<CheckedOpen> {
  return openCheckedOneMapDatabase(await hubDatabaseName(target.address, target.user));
}
