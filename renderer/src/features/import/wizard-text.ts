// Texts the wizard's panels share: a cell's value, a CRS's name, where a warning points in the file.
import { useTranslation } from 'react-i18next';
import { crsInfo } from '../../../../shared/crs';
import type { ImportWarning } from '../../../../shared/io';
import { useLanguage } from '../../lib/language';
import { localized } from '../../lib/localize';

export const MAX_WARNINGS_SHOWN = 20;

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

export function crsName(code: string, language: string): string {
  try {
    return localized(crsInfo(code).name, language);
  } catch {
    return '';
  }
}

/** A warning's message, and where it is (file, row, feature) — or '' when it names no place. */
export function useWarningText() {
  const { t } = useTranslation();
  const language = useLanguage();
  return {
    message: (warning: ImportWarning) => localized(warning, language),
    where: (warning: ImportWarning): string => {
      const parts: string[] = [];
      if (warning.file) parts.push(t('importWizard.where.file', { file: warning.file }));
      if (warning.row !== undefined) parts.push(t('importWizard.where.row', { row: warning.row }));
      if (warning.featureIndex !== undefined) parts.push(t('importWizard.where.feature', { feature: warning.featureIndex + 1 }));
      return parts.length === 0 ? '' : t('importWizard.warningLocation', { where: parts.join(t('importWizard.listSeparator')) });
    },
  };
}
