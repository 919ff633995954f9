// Overrides for a read: the CRS, the text encoding, the Excel sheet; applied by reading the file again.
import { useTranslation } from 'react-i18next';
import { supportedCrs } from '../../../../shared/crs';
import type { ImportResult } from '../../../../shared/io';
import { useLanguage } from '../../lib/language';
import type { ReadOptions } from './worker/import-client';
import { crsName } from './wizard-text';

export function ReadOptionsForm({
  format,
  options,
  disabled,
  onChange,
  onApply,
}: {
  format: ImportResult['format'];
  options: ReadOptions;
  disabled: boolean;
  onChange(options: ReadOptions): void;
  onApply(): void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const textual = format === 'csv' || format === 'geojson' || format === 'kml' || format === 'shapefile';
  const set = <K extends keyof ReadOptions>(key: K, value: ReadOptions[K] | undefined) => {
    const next = { ...options };
    if (value === undefined || value === '') delete next[key];
    else next[key] = value;
    onChange(next);
  };
  return (
    <details className="import-options" data-testid="import-options">
      <summary>{t('importWizard.options.heading')}</summary>
      <fieldset disabled={disabled} className="import-fieldset">
        <label className="field">
          <span>{t('importWizard.options.crs')}</span>
          <select value={options.crs ?? ''} onChange={(event) => set('crs', event.target.value || undefined)}>
            <option value="">{t('importWizard.options.crsAuto')}</option>
            {supportedCrs.map((code) => (
              <option key={code} value={code}>
                {code} {crsName(code, language)}
              </option>
            ))}
          </select>
        </label>
        {textual && (
          <label className="field">
            <span>{t('importWizard.options.encoding')}</span>
            <select value={options.encoding ?? ''} onChange={(event) => set('encoding', event.target.value || undefined)}>
              <option value="">{t('importWizard.options.encodingAuto')}</option>
              <option value="utf-8">UTF-8</option>
              <option value="gbk">GBK</option>
            </select>
          </label>
        )}
        {format === 'xlsx' && (
          <label className="field">
            <span>{t('importWizard.options.sheet')}</span>
            <input type="text" value={options.sheet === undefined ? '' : String(options.sheet)} onChange={(event) => set('sheet', /^\d+$/.test(event.target.value) ? Number(event.target.value) : event.target.value)} />
          </label>
        )}
        <button type="button" onClick={onApply}>
          {t('importWizard.options.reread')}
        </button>
      </fieldset>
    </details>
  );
}
