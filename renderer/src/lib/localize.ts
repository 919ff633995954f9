import type { LocalizedText } from '../../../shared/model';

export function localized(text: LocalizedText, language: string): string {
  return language === 'en' ? text.en : text.zh;
}

// Making an Intl.NumberFormat costs far more than formatting with one (the dashboard formats
// hundreds of numbers per render): one per locale and precision, kept.
const numberFormats = new Map<string, Intl.NumberFormat>();

export function formatNumber(value: number, language: string, maximumFractionDigits = 0): string {
  const locale = language === 'en' ? 'en-US' : 'zh-CN';
  const key = `${locale}|${maximumFractionDigits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits });
    numberFormats.set(key, format);
  }
  return format.format(value);
}

export type CountNoun = 'feature' | 'field' | 'journalEntry' | 'photo' | 'version' | 'conflict';

/** A count with its noun in the UI language, singular or plural as the count needs: "1 photo", "3 photos", "3 张照片". */
export function countPhrase(t: (key: string, options: Record<string, unknown>) => string, noun: CountNoun, count: number, language: string): string {
  return t(`count.${noun}`, { count, formatted: formatNumber(count, language) });
}
