import { useTranslation } from 'react-i18next';
import { localized } from '../../lib/localize';
import { useLanguage } from '../../lib/language';
import { useChosenTargetSet } from './chosen-set';

/** The year/set picker over the dashboards and the 目标管理 view (one choice for both). */
export function TargetSetPicker() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { sets, set, choose } = useChosenTargetSet();
  if (sets.length === 0) return null;
  return (
    <label className="field target-set-picker">
      <span>{t('targets.set')}</span>
      <select aria-label={t('targets.set')} value={set?.id ?? ''} onChange={(event) => choose(event.target.value)} data-testid="target-set-picker">
        {sets.map((candidate) => (
          <option key={candidate.id} value={candidate.id}>
            {localized(candidate.title, language)}
          </option>
        ))}
      </select>
    </label>
  );
}
