// The last step: what the import added and left out, its warnings and time, and a zoom to the result.
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../lib/language';
import { formatNumber } from '../../lib/localize';
import type { ImportWizardMap, Stage } from './use-import-wizard';
import { MAX_WARNINGS_SHOWN, useWarningText } from './wizard-text';

export function ImportReport({ done, map, onAnother, onClose }: { done: Extract<Stage, { kind: 'done' }>; map: ImportWizardMap | null; onAnother(): void; onClose(): void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const warningText = useWarningText();
  const byType = new Map<string, number>();
  for (const skipped of done.skipped) byType.set(skipped.geometryType, (byType.get(skipped.geometryType) ?? 0) + 1);
  const bbox = done.report.bbox;
  return (
    <section className="import-report" data-testid="import-report">
      <h3>{t('importWizard.report.heading')}</h3>
      {done.report.createdLayer && <p>{t('importWizard.report.createdLayer', { layer: done.layerName })}</p>}
      <p data-testid="import-added">{t('importWizard.report.added', { count: done.report.added, layer: done.layerName })}</p>
      {done.skipped.length === 0 ? (
        <p className="muted">{t('importWizard.report.skippedNone')}</p>
      ) : (
        <>
          <p data-testid="import-skipped">{t('importWizard.report.skipped', { count: done.skipped.length })}</p>
          <ul>
            {[...byType].map(([type, count]) => (
              <li key={type}>{t('importWizard.report.skippedGeometry', { count, type: t(`importWizard.geometryType.${type}`) })}</li>
            ))}
          </ul>
        </>
      )}
      {done.result.warnings.length > 0 && (
        <details className="import-warnings">
          <summary>{t('importWizard.warnings', { count: done.result.warnings.length })}</summary>
          <ul>
            {done.result.warnings.slice(0, MAX_WARNINGS_SHOWN).map((warning, index) => (
              <li key={index}>
                {warningText.message(warning)}
                {warningText.where(warning)}
              </li>
            ))}
          </ul>
        </details>
      )}
      <p className="muted" data-testid="import-time">
        {t('importWizard.report.time', {
          seconds: formatNumber(done.elapsedMs / 1000, language, 1),
          validate: formatNumber(done.report.validateMs / 1000, language, 1),
          write: formatNumber(done.report.writeMs / 1000, language, 1),
        })}
      </p>
      <div className="dialog-buttons">
        {bbox && (
          <button
            type="button"
            onClick={() =>
              map?.zoomToGeometry({
                type: 'Polygon',
                coordinates: [[[bbox[0], bbox[1]], [bbox[2], bbox[1]], [bbox[2], bbox[3]], [bbox[0], bbox[3]], [bbox[0], bbox[1]]]],
              })
            }
          >
            {t('importWizard.report.zoom')}
          </button>
        )}
        <button type="button" onClick={onAnother}>
          {t('importWizard.report.another')}
        </button>
        <button type="button" className="primary" onClick={onClose}>
          {t('importWizard.close')}
        </button>
      </div>
    </section>
  );
}
