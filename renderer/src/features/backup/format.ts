import { formatNumber } from '../../app/localize';

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
