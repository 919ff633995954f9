import type { AppApi } from '../../../shared/ipc/app-api';
import { fromIpcRejection } from '../../../shared/ipc/errors';
import { webAppApi } from './web';

declare global {
  interface Window {
    /** Exposed by the Electron preload (electron/preload/preload.ts); absent in the web shell. */
    onemap?: AppApi;
  }
}

export interface Platform {
  kind: 'electron' | 'web';
  api: AppApi;
}

const bridges = new WeakMap<AppApi, AppApi>();

/**
 * The preload's bridge with every rejection turned back into the OneMapError main threw (its
 * code + details), so the UI handles a desktop failure exactly as the web shell's.
 */
function withErrorData(bridge: AppApi): AppApi {
  const known = bridges.get(bridge);
  if (known) return known;
  const wrapped = Object.fromEntries(
    Object.entries(bridge).map(([method, call]) => [
      method,
      (...args: unknown[]) =>
        (call as (...args: unknown[]) => Promise<unknown>)(...args).catch((error: unknown) => {
          throw fromIpcRejection(error);
        }),
    ]),
  ) as unknown as AppApi;
  bridges.set(bridge, wrapped);
  return wrapped;
}

/** The desktop shell's bridge where the preload put one on window, else the web shell's. */
export function currentPlatform(): Platform {
  return window.onemap ? { kind: 'electron', api: withErrorData(window.onemap) } : { kind: 'web', api: webAppApi };
}
