// The progress of a read or a commit, with its Cancel button.
import { useTranslation } from 'react-i18next';
import type { ImportProgress } from '../../../../shared/io';
import type { ImportCommitProgress } from '../../db';
import { useLanguage } from '../../lib/language';
import { formatNumber } from '../../lib/localize';

export function ImportProgressBar({ progress, onCancel }: { progress: ImportProgress | ImportCommitProgress | null; onCancel(): void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const number = (value: number) => formatNumber(value, language);
  const progressText = (progress: ImportProgress | ImportCommitProgress | null): string => {
    if (progress === null) return t('importWizard.phase.read');
    const phase = t(`importWizard.phase.${progress.phase}`);
    if (progress.phase === 'write') return t('importWizard.progressWriting', { total: number(progress.total ?? 0) });
    if (progress.total === undefined) return t('importWizard.progressUnknown', { phase, done: number(progress.done) });
    return t(progress.phase === 'read' ? 'importWizard.progressBytes' : 'importWizard.progressCount', { phase, done: number(progress.done), total: number(progress.total) });
  };
  return (
    <div
      className="import-progress"
      data-testid="import-progress"
      data-phase={progress?.phase ?? 'read'}
      // Into a new layer: features already written to the staged chunks (the tests wait for it).
      data-stored={progress !== null && 'stored' in progress ? (progress.stored ?? 0) : 0}
    >
      {progress && progress.phase !== 'write' && progress.total !== undefined ? (
        <progress max={Math.max(progress.total, 1)} value={progress.done} aria-label={progressText(progress)} />
      ) : (
        <progress aria-label={progressText(progress)} />
      )}
      <span role="status">{progressText(progress)}</span>
      <button type="button" onClick={onCancel}>
        {t('importWizard.cancel')}
      </button>
    </div>
  );
}
