import type { LocalizedText } from '../../../shared/model';

export function localized(text: LocalizedText, language: string): string {
  return language === 'en' ? text.en : text.zh;
}

export function formatNumber(value: number, language: string, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(language === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits }).format(value);
}
