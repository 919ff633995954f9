import { defaultUiLanguage, uiLanguages, type AppApi, type AppInfo, type UiLanguage } from '../../../shared/ipc/app-api';
import { webBackups } from './web-backups';
import { webBasemapPackages } from './web-basemap-packages';
import { webHub } from './web-hub';

const languageKey = 'onemap.language';

function isUiLanguage(value: unknown): value is UiLanguage {
  return typeof value === 'string' && (uiLanguages as readonly string[]).includes(value);
}

/** AppApi in a plain browser (the web shell): preferences live in this origin's localStorage. */
export const webAppApi: AppApi = {
  async getAppInfo(): Promise<AppInfo> {
    const chrome = /Chrom(?:e|ium)\/([\d.]+)/.exec(navigator.userAgent)?.[1] ?? null;
    return {
      name: 'OneMap',
      version: import.meta.env.VITE_ONEMAP_VERSION ?? '0.0.0',
      shell: 'web',
      electron: null,
      chrome,
      platform: navigator.platform || 'unknown',
    };
  },
  async getLanguage(): Promise<UiLanguage> {
    try {
      const stored = window.localStorage.getItem(languageKey);
      return isUiLanguage(stored) ? stored : defaultUiLanguage;
    } catch {
      return defaultUiLanguage;
    }
  },
  async setLanguage(language: UiLanguage): Promise<void> {
    try {
      window.localStorage.setItem(languageKey, language);
    } catch {
      // Storage unavailable (e.g. a private window): the choice lasts for this session only.
    }
  },
  // Rolling backups in the origin private file system (web-backups.ts).
  ...webBackups,
  // Offline basemap packages read in place from picked files (web-basemap-packages.ts).
  ...webBasemapPackages,
  // The team hub: this origin when the hub served the app (web-hub.ts).
  ...webHub(),
};
