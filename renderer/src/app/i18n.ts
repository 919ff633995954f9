import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { UiLanguage } from '../../../shared/ipc/app-api';
import { currentPlatform } from '../platform';
import zhCN from './locales/zh-CN.json';
import en from './locales/en.json';

/** Starts i18next in the language the shell remembers (zh-CN by default). */
export async function setupI18n(): Promise<typeof i18next> {
  const language = await currentPlatform().api.getLanguage();
  await i18next.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
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
