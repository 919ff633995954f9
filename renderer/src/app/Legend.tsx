import { useTranslation } from 'react-i18next';

const entries = [
  { key: 'legend.county', swatch: 'swatch-county' },
  { key: 'legend.city', swatch: 'swatch-city' },
  { key: 'legend.lake', swatch: 'swatch-lake' },
  { key: 'legend.river', swatch: 'swatch-river' },
  { key: 'legend.seat', swatch: 'swatch-seat' },
] as const;

export function Legend() {
  const { t } = useTranslation();
  return (
    <section className="legend" aria-label={t('legend.heading')}>
      <h2>{t('legend.heading')}</h2>
      <ul>
        {entries.map((entry) => (
          <li key={entry.key}>
            <span className={`swatch ${entry.swatch}`} aria-hidden="true" />
            {t(entry.key)}
          </li>
        ))}
      </ul>
    </section>
  );
}
