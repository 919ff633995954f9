import type { AppApi } from '../../../shared/ipc/app-api';
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

/** The desktop shell's bridge where the preload put one on window, else the web shell's. */
export function currentPlatform(): Platform {
  return window.onemap ? { kind: 'electron', api: window.onemap } : { kind: 'web', api: webAppApi };
}
