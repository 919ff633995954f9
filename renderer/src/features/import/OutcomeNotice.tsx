// Why the last read or commit stopped: cancelled, an error, or the values and features that refused it.
import { useTranslation } from 'react-i18next';
import type { LayerDefinition } from '../../../../shared/model';
import { useLanguage } from '../../lib/language';
import { localized } from '../../lib/localize';
import { ErrorNotice } from '../errors';
import type { Outcome } from './use-import-wizard';
import { cellText } from './wizard-text';

const MAX_PROBLEMS_SHOWN = 20;

export function OutcomeNotice({ outcome, targetLayer }: { outcome: Outcome; targetLayer: LayerDefinition | undefined }) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (outcome === null) return null;
  if (outcome.kind === 'cancelled')
    return (
      <p role="status" className="import-notice" data-testid="import-outcome">
        {t('importWizard.cancelled')}
      </p>
    );
  if (outcome.kind === 'error')
    return <ErrorNotice className="import-notice error" testId="import-outcome" error={outcome.error} lead={t('importWizard.failedLead')} trail={t('importWizard.nothingWritten')} />;
  if (outcome.kind === 'failed')
    return (
      <p role="alert" className="import-notice error" data-testid="import-outcome">
        {t('importWizard.failed', { message: localized(outcome, language) })} {t('importWizard.nothingWritten')}
      </p>
    );
  const fieldLabel = (key: string) => {
    const field = targetLayer?.fields.find((candidate) => candidate.key === key);
    if (field) return localized(field.label, language);
    if (key === 'id') return t('importWizard.mapping.idColumn');
    if (key === 'status') return t('importWizard.mapping.statusColumn');
    return key;
  };
  const lines =
    outcome.kind === 'conversion'
      ? outcome.problems.map((problem) =>
          t('importWizard.problemLine', {
            feature: problem.sourceIndex + 1,
            field: fieldLabel(problem.field),
            column: problem.column ? t('importWizard.problemColumn', { column: problem.column, value: cellText(problem.value) }) : '',
            problem: t(`importWizard.problem.${problem.problem.code}`, problem.problem),
          }),
        )
      : outcome.problems.map((problem) =>
          t('importWizard.problemLine', { feature: (problem.sourceIndex ?? problem.featureIndex) + 1, field: fieldLabel(problem.field), column: '', problem: problem.message }),
        );
  return (
    <div role="alert" className="import-notice error" data-testid="import-outcome">
      <p>{t('importWizard.problemsHeading', { count: outcome.count })}</p>
      <ul>
        {lines.slice(0, MAX_PROBLEMS_SHOWN).map((line, index) => (
          <li key={index}>{line}</li>
        ))}
      </ul>
      {outcome.count > Math.min(lines.length, MAX_PROBLEMS_SHOWN) && <p className="muted">{t('importWizard.problemMore', { count: outcome.count - Math.min(lines.length, MAX_PROBLEMS_SHOWN) })}</p>}
    </div>
  );
}
