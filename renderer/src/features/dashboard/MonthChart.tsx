import { useTranslation } from 'react-i18next';
import type { CompletionsByMonth } from '../../../../shared/analysis';
import { formatNumber } from '../../lib/localize';
import { useLanguage } from '../../lib/language';

export interface MonthChartProps {
  completions: CompletionsByMonth;
  quantity: number | null;
}

const width = 300;
const height = 120;
const padding = { left: 36, right: 6, top: 8, bottom: 18 };

/** Completions per month (bars), cumulative progress (line) and the even pace to the deadline (dashed). */
export function MonthChart({ completions, quantity }: MonthChartProps) {
  const language = useLanguage();
  const { t } = useTranslation();
  const months = completions.months;
  if (months.length === 0) return null;
  const top = Math.max(quantity ?? 0, ...months.map((month) => month.cumulative ?? 0), 1);
  const plotWidth = width - padding.left - padding.right;
  const plotHeight = height - padding.top - padding.bottom;
  const step = plotWidth / months.length;
  const y = (value: number) => padding.top + plotHeight - (value / top) * plotHeight;
  const x = (index: number) => padding.left + step * (index + 0.5);
  const line = (values: Array<number | null>) =>
    values
      .map((value, index) => (value === null ? null : `${x(index).toFixed(1)},${y(value).toFixed(1)}`))
      .filter((point): point is string => point !== null)
      .join(' ');
  const summary = months
    .map((month) => `${month.month}: ${formatNumber(month.completed, language, 1)} / ${month.cumulative === null ? '—' : formatNumber(month.cumulative, language, 1)}`)
    .join('; ');
  return (
    <figure className="month-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${t('progress.byMonth')}: ${summary}`}>
        <line x1={padding.left} x2={width - padding.right} y1={y(0)} y2={y(0)} className="axis" />
        <text x={padding.left - 4} y={y(top) + 4} className="tick" textAnchor="end">
          {formatNumber(top, language)}
        </text>
        <text x={padding.left - 4} y={y(0)} className="tick" textAnchor="end">
          0
        </text>
        {months.map((month, index) => (
          <g key={month.month}>
            <rect
              x={x(index) - step * 0.3}
              width={step * 0.6}
              y={y(month.completed)}
              height={Math.max(0, y(0) - y(month.completed))}
              className="bar"
            >
              <title>{`${month.month} ${t('progress.monthCompleted')}: ${formatNumber(month.completed, language, 1)}`}</title>
            </rect>
            <text x={x(index)} y={height - 5} className="tick" textAnchor="middle">
              {Number(month.month.slice(5))}
            </text>
          </g>
        ))}
        <polyline points={line(months.map((month) => month.idealCumulative))} className="ideal" />
        <polyline points={line(months.map((month) => month.cumulative))} className="cumulative" />
      </svg>
      <figcaption className="legend-inline">
        <span className="key bar" /> {t('progress.monthCompleted')} <span className="key cumulative" /> {t('progress.cumulative')}{' '}
        <span className="key ideal" /> {t('progress.ideal')}
      </figcaption>
    </figure>
  );
}
