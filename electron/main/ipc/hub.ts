import type { HubAddressStore, HubTokenStore } from '../hub-settings';
import { desktopHubOrigin } from '../hub-settings';
import type { IpcImplementation } from './validated-handler';

/** Channel group "hub": the hub address (CSP, request filter, reload on change) and the token. */
export function hubHandlers(options: {
  addresses: HubAddressStore;
  tokens: HubTokenStore;
  /** Called after a new origin is stored: main rebuilds its CSP and filter and reloads the window. */
  onAddressChanged: (origin: string | null) => void;
}): {
  getHubAddress: IpcImplementation<'getHubAddress'>;
  setHubAddress: IpcImplementation<'setHubAddress'>;
  loadHubToken: IpcImplementation<'loadHubToken'>;
  saveHubToken: IpcImplementation<'saveHubToken'>;
  clearHubToken: IpcImplementation<'clearHubToken'>;
} {
  const { addresses, tokens, onAddressChanged } = options;
  return {
    getHubAddress: () => addresses.get(),
    setHubAddress: async ({ address }) => {
      const origin = address === null ? null : desktopHubOrigin(address);
      if (origin === (await addresses.get())) return;
      await addresses.set(origin);
      onAddressChanged(origin);
    },
    loadHubToken: () => tokens.load(),
    saveHubToken: ({ token }) => tokens.save(token),
    clearHubToken: () => tokens.clear(),
  };
}
