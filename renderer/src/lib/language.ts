import { useTranslation } from 'react-i18next';
import type { UiLanguage } from '../../../shared/ipc/app-api';

/** The UI's language, re-rendering the caller when it changes (the one place components read it). */
export function useLanguage(): UiLanguage {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}
