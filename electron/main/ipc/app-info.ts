import type { AppInfo } from '../../../shared/ipc';
import type { IpcImplementation } from './validated-handler';

/** What main knows about itself; passed in so this channel group has no Electron import. */
export interface AppInfoSource {
  readonly name: string;
  readonly version: string;
  readonly versions: { readonly electron?: string | undefined; readonly chrome?: string | undefined };
  readonly platform: string;
}

/** Channel group "app": versions and platform for the About box. */
export function appInfoHandlers(source: AppInfoSource): { getAppInfo: IpcImplementation<'getAppInfo'> } {
  const info: AppInfo = {
    name: source.name,
    version: source.version,
    shell: 'electron',
    electron: source.versions.electron ?? null,
    chrome: source.versions.chrome ?? null,
    platform: source.platform,
  };
  return { getAppInfo: async () => info };
}
