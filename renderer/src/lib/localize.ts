import type { LocalizedText } from '../../../shared/model';

export function localized(text: LocalizedText, language: string): string {
  return language === 'en' ? text.en : text.zh;
}

export function formatNumber(value: number, language: string, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(language === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits }).format(value);
}

export type CountNoun = 'feature' | 'field' | 'journalEntry' | 'photo' | 'version' | 'conflict';

/** A count with its noun in the UI language, singular or plural as the count needs: "1 photo", "3 photos", "3 张照片". */
export function countPhrase(t: (key: string, options: Record<string, unknown>) => string, noun: CountNoun, count: number, language: string): string {
  return t(`count.${noun}`, { count, formatted: formatNumber(count, language) });
}
