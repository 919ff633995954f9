// What the read found — format, encoding, CRS, axis order, counts, warnings — with the table layout
// and the read options to correct it.
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../lib/language';
import { formatNumber } from '../../lib/localize';
import { ReadOptionsForm } from './ReadOptionsForm';
import { TableLayoutForm } from './TableLayoutForm';
import type { ReadOptions, ReadResult } from './worker/import-client';
import { crsName, MAX_WARNINGS_SHOWN, useWarningText } from './wizard-text';

export interface DetectedSectionProps {
  file: File;
  result: ReadResult;
  /** Geometry types with their counts, those present only. */
  counts: [string, number][];
  busy: boolean;
  options: ReadOptions;
  onOptionsChange(options: ReadOptions): void;
  /** Reads the file again with the table layout's options. */
  onReread(options: ReadOptions): void;
  /** Reads the file again with `options`. */
  onApplyOptions(): void;
}

export function DetectedSection({ file, result, counts, busy, options, onOptionsChange, onReread, onApplyOptions }: DetectedSectionProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const warningText = useWarningText();
  const number = (value: number) => formatNumber(value, language);
  return (
    <section className="import-detected" data-testid="import-detected">
      <h3>{t('importWizard.detected.heading')}</h3>
      <dl>
        <dt>{t('importWizard.detected.file')}</dt>
        <dd data-testid="import-file">{file.name}</dd>
        <dt>{t('importWizard.detected.format')}</dt>
        <dd data-testid="import-format">{t(`importWizard.format.${result.format}`)}</dd>
        <dt>{t('importWizard.detected.encoding')}</dt>
        <dd data-testid="import-encoding">{result.encoding ? result.encoding.toUpperCase() : t('importWizard.detected.none')}</dd>
        <dt>{t('importWizard.detected.crs')}</dt>
        <dd data-testid="import-crs">
          {result.sourceCrs} {crsName(result.sourceCrs, language)}
        </dd>
        <dt>{t('importWizard.detected.axisOrder')}</dt>
        <dd>{t(result.sourceAxisOrder === 'yx' ? 'importWizard.detected.axisYX' : 'importWizard.detected.axisXY')}</dd>
        <dt>{t('importWizard.detected.count')}</dt>
        <dd data-testid="import-count">{number(result.featureCount)}</dd>
        <dt>{t('importWizard.detected.geometry')}</dt>
        <dd>{counts.map(([type, count]) => `${t(`importWizard.geometryType.${type}`)} ${number(count)}`).join(t('importWizard.listSeparator'))}</dd>
        {result.layerName && (
          <>
            <dt>{t('importWizard.detected.layerName')}</dt>
            <dd>{result.layerName}</dd>
          </>
        )}
      </dl>
      {result.warnings.length > 0 && (
        <details className="import-warnings" open data-testid="import-warnings">
          <summary>{t('importWizard.warnings', { count: result.warnings.length })}</summary>
          <ul>
            {result.warnings.slice(0, MAX_WARNINGS_SHOWN).map((warning, index) => (
              <li key={index} data-code={warning.code}>
                {warningText.message(warning)}
                {warningText.where(warning)}
              </li>
            ))}
          </ul>
          {result.warnings.length > MAX_WARNINGS_SHOWN && <p className="muted">{t('importWizard.moreWarnings', { count: result.warnings.length - MAX_WARNINGS_SHOWN })}</p>}
        </details>
      )}
      {result.table && <TableLayoutForm layout={result.table} options={options} disabled={busy} onApply={onReread} />}
      <ReadOptionsForm format={result.format} options={options} disabled={busy} onChange={onOptionsChange} onApply={onApplyOptions} />
    </section>
  );
}
