import type { AppApi } from '../../../shared/ipc/app-api';
import { HubShellError } from '../../../shared/ipc/hub';
import { hubHealthSchema } from '../../../shared/sync/hub/health';
import { hubOriginOf } from '../../../shared/shell/hub-origin';

type WebHubApi = Pick<AppApi, 'getHubAddress' | 'setHubAddress' | 'loadHubToken' | 'saveHubToken' | 'clearHubToken'>;

/**
 * The web shell's hub: it may talk to its own origin only (CSP connect-src 'self'), so its hub
 * is that origin when the hub served the app (`GET /v1/health` answers as a OneMap hub), else
 * none. It keeps no token (the app keeps it in the hub workspace's database, never localStorage).
 */
export function createWebHub(origin: string, fetchHealth: (url: string) => Promise<Response>): WebHubApi {
  let answer: Promise<string | null> | null = null;
  const askOwnOrigin = async (): Promise<string | null> => {
    try {
      const response = await fetchHealth(`${origin}/v1/health`);
      if (!response.ok) return null;
      return hubHealthSchema.safeParse(await response.json()).success ? origin : null;
    } catch {
      // Not a hub (vite preview's HTML, a network failure): the local workspace opens.
      return null;
    }
  };
  return {
    getHubAddress() {
      // Asked once per page: a failed answer is asked again next time.
      answer ??= askOwnOrigin().then((found) => {
        if (found === null) answer = null;
        return found;
      });
      return answer;
    },
    async setHubAddress(address) {
      if (address === null) return;
      const result = hubOriginOf(address);
      if (result.ok && result.origin === origin) return;
      throw new HubShellError(
        'hub-address-not-own-origin',
        `the web shell reaches only ${origin}; open the app from the hub's address (${result.ok ? result.origin : address.slice(0, 200)}) instead`,
        { address: result.ok ? result.origin : address.slice(0, 200) },
      );
    },
    async loadHubToken() {
      return null;
    },
    async saveHubToken() {
      // Kept by the app in the hub workspace's database instead.
    },
    async clearHubToken() {
      // Nothing kept here.
    },
  };
}

/** This page's hub, asked lazily (no request before the app asks). */
export function webHub(): WebHubApi {
  let hub: WebHubApi | null = null;
  const current = (): WebHubApi => (hub ??= createWebHub(window.location.origin, (url) => fetch(url, { headers: { accept: 'application/json' } })));
  return {
    getHubAddress: () => current().getHubAddress(),
    setHubAddress: (address) => current().setHubAddress(address),
    loadHubToken: () => current().loadHubToken(),
    saveHubToken: (token) => current().saveHubToken(token),
    clearHubToken: () => current().clearHubToken(),
  };
}
