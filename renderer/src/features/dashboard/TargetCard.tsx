import { useTranslation } from 'react-i18next';
import { featureCodeOf, type Feature, type LayerDefinition, type Target } from '../../../../shared/model';
import type { TargetProgressView } from '../../../../shared/analysis';
import { CarriedList } from './CarriedList';
import { formatNumber, localized } from '../../lib/localize';
import { MonthChart } from './MonthChart';
import { targetScopeLine } from './target-scope';
import { useLanguage } from '../../lib/language';

export interface TargetCardProps {
  target: Target;
  layer: LayerDefinition;
  /** The card's numbers from the progress worker; undefined while they load. */
  view: TargetProgressView<Feature> | undefined;
  counties: readonly { adcode: number; name: string }[];
  expanded: boolean;
  onPick(feature: Feature): void;
  /** The previous set's year (carried overdue features); none: no such list. */
  previousYear?: number;
}

/** Rows shown of the overdue and carried-over lists (the summary keeps these in order). */
export const rowsShown = 100;

export function TargetCard({ target, layer, view, counties, expanded, onPick, previousYear }: TargetCardProps) {
  const language = useLanguage();
  const { t } = useTranslation();
  if (view === undefined) {
    return (
      <article className="target-card" data-target-id={target.id} aria-label={localized(target.title, language)} aria-busy="true">
        <header>
          <h3>{localized(target.title, language)}</h3>
        </header>
        <p className="muted">{t('progressSummary.loading')}</p>
      </article>
    );
  }
  const { progress, byCounty, byMonth, overdue, demo, carried } = view;
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
          <summary data-testid="overdue-summary">{overdue.count === 0 ? t('progress.overdueNone') : t('progress.overdue', { count: overdue.count })}</summary>
          {overdue.count > 0 && (
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
                {overdue.rows.map((row) => (
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
