import type { UiLanguage } from '../../../shared/ipc';
import type { LanguageStore } from '../preferences-store';
import type { IpcImplementation } from './validated-handler';

/** Channel group "preferences": the persisted UI language. */
export function preferencesHandlers(
  store: LanguageStore,
  onLanguageChanged: (language: UiLanguage) => void = () => undefined,
): { getLanguage: IpcImplementation<'getLanguage'>; setLanguage: IpcImplementation<'setLanguage'> } {
  return {
    getLanguage: () => store.get(),
    setLanguage: async ({ language }) => {
      await store.set(language);
      onLanguageChanged(language);
    },
  };
}
