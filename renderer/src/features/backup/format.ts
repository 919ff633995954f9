import type { BackupCounts } from '../../../../shared/ipc/backups';
import { countPhrase, formatNumber } from '../../lib/localize';

/** 812 B, 35.2 KB, 4.1 MB: for the backups list. */
export function formatBackupSize(bytes: number, language: string): string {
  if (bytes < 1024) return `${formatNumber(bytes, language)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, language, 1)} KB`;
  return `${formatNumber(bytes / (1024 * 1024), language, 1)} MB`;
}

/** A backup's time in the UI language, to the second. */
export function formatBackupTime(iso: string, language: string): string {
  return new Date(iso).toLocaleString(language === 'en' ? 'en-GB' : 'zh-CN', { dateStyle: 'medium', timeStyle: 'medium' });
}

/** The values of `backup.counts`: the numbers (Chinese puts them in its own sentence) and each count with its noun (English). */
export function countTexts(t: (key: string, options: Record<string, unknown>) => string, counts: BackupCounts, language: string): Record<string, string> {
  return {
    features: formatNumber(counts.features, language),
    journalEntries: formatNumber(counts.journalEntries, language),
    photos: formatNumber(counts.photos, language),
    featuresText: countPhrase(t, 'feature', counts.features, language),
    journalEntriesText: countPhrase(t, 'journalEntry', counts.journalEntries, language),
    photosText: countPhrase(t, 'photo', counts.photos, language),
  };
}
