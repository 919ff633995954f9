import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { featureCodeOf, type Feature, type LayerDefinition, type Target } from '../../../../shared/model';
import { carriedOverdue, completionsByMonth, overdueFeatures, progressByCounty, targetProgress, isInTargetScope } from '../../../../shared/analysis';
import { CarriedList } from './CarriedList';
import { formatNumber, localized } from '../../lib/localize';
import { MonthChart } from './MonthChart';
import { targetScopeLine } from './target-scope';
import { useLanguage } from '../../lib/language';

export interface TargetCardProps {
  target: Target;
  layer: LayerDefinition;
  features: readonly Feature[];
  counties: readonly { adcode: number; name: string }[];
  asOf: string;
  expanded: boolean;
  onPick(feature: Feature): void;
  /** The previous set's targets and year (carried overdue features); none: no such list. */
  previousTargets?: readonly Target[];
  previousYear?: number;
}

const overdueRowsShown = 100;

export function TargetCard({ target, layer, features, counties, asOf, expanded, onPick, previousTargets = [], previousYear }: TargetCardProps) {
  const language = useLanguage();
  const { t } = useTranslation();
  const analysis = useMemo(() => {
    const progress = targetProgress(target, features);
    const byCounty = progressByCounty(
      target,
      features,
      counties.map((county) => county.adcode),
    );
    const byMonth = completionsByMonth(target, features, asOf);
    const overdue =
      layer.schedule && target.quantity !== null ? overdueFeatures(layer, features, asOf, { where: target.metric.scope.where }) : null;
    const demo = features.some((feature) => feature.demo && isInTargetScope(target, feature));
    const carried = previousTargets.some((previous) => previous.layerId === target.layerId) ? carriedOverdue(target, previousTargets, features, asOf) : null;
    return { progress, byCounty, byMonth, overdue, demo, carried };
  }, [target, layer, features, counties, asOf, previousTargets]);
  const { progress, byCounty, byMonth, overdue, demo, carried } = analysis;
  const unit = localized(target.unit, language);
  const fractionDigits = target.metric.kind === 'count' ? 0 : 1;
  const countyName = (adcode: number | null) => (adcode === null ? t('progress.noCounty') : (counties.find((c) => c.adcode === adcode)?.name ?? String(adcode)));
  const percent = progress.percent;

  return (
    <article className="target-card" data-target-id={target.id} aria-label={localized(target.title, language)}>
      <header>
        <h3>{localized(target.title, language)}</h3>
        {demo && <span className="demo-badge">{t('progress.demo')}</span>}
      </header>
      <blockquote lang="zh-CN" title={target.quote.sentence}>
        「{target.quote.text}」
      </blockquote>
      {progress.quantity === null ? (
        <p className="headline" data-testid="target-done">
          {t('progress.done')} {formatNumber(progress.done, language, fractionDigits)} {unit} · {t('progress.noQuantity')}
        </p>
      ) : (
        <>
          <p className="headline" data-testid="target-done">
            <strong>{formatNumber(progress.done, language, fractionDigits)}</strong> / {formatNumber(progress.quantity, language)} {unit}
            <span className="percent">{formatNumber(percent ?? 0, language, 1)}%</span>
          </p>
          <div
            className="progress-bar"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(Math.min(100, percent ?? 0))}
            aria-label={localized(target.title, language)}
          >
            <span style={{ width: `${Math.min(100, percent ?? 0)}%` }} />
          </div>
        </>
      )}
      <p className="muted">
        <span data-testid="target-scope">{targetScopeLine(target, layer, progress, language, t)}</span> ·{' '}
        {t('progress.deadline', { date: target.deadline })}
      </p>

      <details open={expanded}>
        <summary>{t('progress.byCounty')}</summary>
        <table className="county-table">
          <thead>
            <tr>
              <th scope="col">{t('progress.countyColumn')}</th>
              <th scope="col">{t('progress.doneColumn')}</th>
              <th scope="col">{t('progress.scopeColumn')}</th>
              {target.countySplit && <th scope="col">{t('progress.shareColumn')}</th>}
            </tr>
          </thead>
          <tbody>
            {byCounty.map((row) => (
              <tr key={row.county ?? 'none'} data-county={row.county ?? 'none'}>
                <th scope="row">{countyName(row.county)}</th>
                <td>{formatNumber(row.done, language, fractionDigits)}</td>
                <td>{formatNumber(row.scope, language, fractionDigits)}</td>
                {target.countySplit && <td>{row.quantity === null ? '—' : formatNumber(row.quantity, language)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </details>

      <details open={expanded}>
        <summary>{t('progress.byMonth')}</summary>
        <MonthChart completions={byMonth} quantity={progress.quantity} />
      </details>

      {overdue && (
        <details open={expanded} className="overdue">
          <summary data-testid="overdue-summary">{overdue.length === 0 ? t('progress.overdueNone') : t('progress.overdue', { count: overdue.length })}</summary>
          {overdue.length > 0 && (
            <table className="overdue-table">
              <thead>
                <tr>
                  <th scope="col">{t('feature.id')}</th>
                  <th scope="col">{t('progress.countyColumn')}</th>
                  <th scope="col">{t('progress.plannedDate')}</th>
                  <th scope="col">{t('progress.daysOverdue')}</th>
                </tr>
              </thead>
              <tbody>
                {overdue.slice(0, overdueRowsShown).map((row) => (
                  <tr key={row.feature.id}>
                    <td>
                      <button type="button" className="link" onClick={() => onPick(row.feature)}>
                        {featureCodeOf(layer, row.feature)}
                      </button>
                    </td>
                    <td>{countyName(row.feature.county)}</td>
                    <td>{row.plannedDate}</td>
                    <td>{row.daysOverdue}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </details>
      )}
      {carried && previousYear !== undefined && <CarriedList carried={carried} layer={layer} year={previousYear} countyName={countyName} onPick={onPick} />}
    </article>
  );
}
