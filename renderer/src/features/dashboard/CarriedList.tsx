import { useTranslation } from 'react-i18next';
import { featureCodeOf, type Feature, type LayerDefinition } from '../../../../shared/model';
import type { CarriedFeature, ListHead } from '../../../../shared/analysis';
import { localized } from '../../lib/localize';
import { useLanguage } from '../../lib/language';

/** The features the previous year's targets on this layer left unfinished at their deadline, carried into this card. */
export function CarriedList({ carried, layer, year, countyName, onPick }: { carried: ListHead<CarriedFeature<Feature>>; layer: LayerDefinition; year: number; countyName(adcode: number | null): string; onPick(feature: Feature): void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <details className="overdue carried">
      <summary data-testid="carried-summary">{carried.count === 0 ? t('carried.none') : t('carried.summary', { count: carried.count, year })}</summary>
      {carried.count > 0 && (
        <table className="overdue-table">
          <thead>
            <tr>
              <th scope="col">{t('feature.id')}</th>
              <th scope="col">{t('progress.countyColumn')}</th>
              <th scope="col">{t('carried.from')}</th>
              <th scope="col">{t('carried.days')}</th>
            </tr>
          </thead>
          <tbody>
            {carried.rows.map((row) => (
              <tr key={row.feature.id}>
                <td>
                  <button type="button" className="link" onClick={() => onPick(row.feature)}>
                    {featureCodeOf(layer, row.feature)}
                  </button>
                </td>
                <td>{countyName(row.feature.county)}</td>
                <td>{localized(row.from.title, language)}</td>
                <td>{row.daysOverdue ?? t('carried.notYet')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
