import { useTranslation } from 'react-i18next';
import type { BasemapData } from '../map/basemap-data';
import { useLanguage } from '../lib/language';
import { localized } from '../lib/localize';

export interface CountyListProps {
  counties: BasemapData['counties'];
  focused: number | null;
  onFocus(adcode: number | null): void;
}

export function CountyList({ counties, focused, onFocus }: CountyListProps) {
  const language = useLanguage();
  const { t } = useTranslation();
  const sorted = [...counties.features].sort((a, b) => a.properties.adcode - b.properties.adcode);
  const nameOf = (properties: { name: string; nameEn: string }) => localized({ zh: properties.name, en: properties.nameEn }, language);
  return (
    <nav aria-label={t('counties.heading')} className="county-list">
      <h2>{t('counties.heading')}</h2>
      <p className="muted">{t('counties.count', { count: sorted.length })}</p>
      <ul>
        <li>
          <button type="button" aria-pressed={focused === null} onClick={() => onFocus(null)}>
            {t('counties.wholeCity')}
          </button>
        </li>
        {sorted.map((county) => (
          <li key={county.properties.adcode}>
            <button
              type="button"
              aria-pressed={focused === county.properties.adcode}
              title={t('counties.zoomTo', { name: nameOf(county.properties) })}
              onClick={() => onFocus(county.properties.adcode)}
            >
              {nameOf(county.properties)}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
