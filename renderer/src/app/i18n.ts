import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { UiLanguage } from '../../../shared/ipc/app-api';
import { currentPlatform } from '../platform';
import { mergeLocaleFiles, type LocaleTree } from './locale-resources';

/** The app's texts plus each feature's own locale files (features/<name>/locales/<lang>.json). */
const localeFiles = import.meta.glob<LocaleTree>(['./locales/*.json', '../features/*/locales/*.json'], { eager: true, import: 'default' });
const resources = mergeLocaleFiles(localeFiles);

/** Starts i18next in the language the shell remembers (zh-CN by default). */
export async function setupI18n(): Promise<typeof i18next> {
  const language = await currentPlatform().api.getLanguage();
  await i18next.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: resources['zh-CN'] }, en: { translation: resources.en } },
    lng: language,
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
  });
  document.documentElement.lang = language;
  return i18next;
}

export async function changeLanguage(language: UiLanguage): Promise<void> {
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
  await currentPlatform().api.setLanguage(language);
}
