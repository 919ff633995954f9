// What the app needs of its shell for the team hub: the hub's address and where the token is
// kept. The desktop shell keeps both in the main process (the address in `hub.json`, put in the
// CSP; the token with Electron's safeStorage); the web shell's hub is its own origin when that
// origin answers as a hub, and its token lives in the hub database's meta (never localStorage).
import { createHubClient, type HubClient, type HubFetch, type HubTokenVault } from '../../../shared/sync/hub/client';
import { metaTokenVault, type OneMapDatabase } from '../db';
import { currentPlatform } from '../platform';

/** The AppApi methods the shells add for the hub (shared/ipc/app-api.ts). */
export interface HubPlatformApi {
  getHubAddress(): Promise<string | null>;
  setHubAddress(address: string | null): Promise<void>;
  loadHubToken(): Promise<string | null>;
  saveHubToken(token: string): Promise<void>;
  clearHubToken(): Promise<void>;
}

export interface HubPlatform {
  /** Desktop: the person types the hub's address; web shell: it is the page's own origin. */
  addressEditable: boolean;
  getAddress(): Promise<string | null>;
  /** Desktop only: saving a new address reloads the window (the CSP names exactly that origin). */
  setAddress(address: string | null): Promise<void>;
  vault(database: OneMapDatabase): HubTokenVault;
}

/** The browser's fetch as the hub client takes it. */
export const browserFetch: HubFetch = (url, init) => fetch(url, init as RequestInit);

export function hubClient(address: string, token?: () => string | null): HubClient {
  return createHubClient({ address, fetch: browserFetch, ...(token ? { token } : {}) });
}

/** The web shell's hub: its own origin, when `GET /v1/health` there answers as a hub. */
async function ownOriginHub(): Promise<string | null> {
  try {
    return (await hubClient(window.location.origin).health()) ? window.location.origin : null;
  } catch {
    return null;
  }
}

export function hubPlatform(): HubPlatform {
  const platform = currentPlatform();
  const api = platform.api as Partial<HubPlatformApi>;
  if (platform.kind === 'electron') {
    return {
      addressEditable: true,
      getAddress: () => api.getHubAddress?.() ?? Promise.resolve(null),
      setAddress: (address) => api.setHubAddress?.(address) ?? Promise.resolve(),
      vault: () => ({
        load: () => api.loadHubToken?.() ?? Promise.resolve(null),
        save: (token) => api.saveHubToken?.(token) ?? Promise.resolve(),
        clear: () => api.clearHubToken?.() ?? Promise.resolve(),
      }),
    };
  }
  return {
    addressEditable: false,
    getAddress: () => api.getHubAddress?.() ?? ownOriginHub(),
    setAddress: () => Promise.resolve(),
    vault: (database) => metaTokenVault(database),
  };
}
