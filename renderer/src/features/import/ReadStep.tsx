// The step after a read (and during its commit): what was found, a preview table, the target and
// mapping, then Commit — or the commit's progress.
import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { Geometry, LayerDefinition } from '../../../../shared/model';
import { useLanguage } from '../../lib/language';
import { formatNumber } from '../../lib/localize';
import { DetectedSection } from './DetectedSection';
import { ImportProgressBar } from './ImportProgressBar';
import { dominantGeometryType } from './mapping';
import { OutcomeNotice } from './OutcomeNotice';
import { TargetSection } from './TargetSection';
import type { ImportWizardState } from './use-import-wizard';
import type { ReadResult } from './worker/import-client';
import { cellText } from './wizard-text';

const PREVIEW_ROWS = 10;

function geometryCounts(result: ReadResult): [string, number][] {
  return Object.entries(result.geometryCounts).filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0);
}

function fitsLayer(kind: Geometry['type'], layerType: LayerDefinition['geometryType']): boolean {
  return kind === layerType || kind === `Multi${layerType}`;
}

export interface ReadStepProps {
  file: File;
  result: ReadResult;
  busy: boolean;
  layers: readonly LayerDefinition[];
  wizard: ImportWizardState;
  fileInput: RefObject<HTMLInputElement | null>;
}

export function ReadStep({ file, result, busy, layers, wizard, fileInput }: ReadStepProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const number = (value: number) => formatNumber(value, language);
  const { stage, options, setOptions, read, rereadWith, targetKind, targetLayer, targetMapping, outcome, cancel, commit } = wizard;
  const columns = result.fields;
  const rows = result.features.features.slice(0, PREVIEW_ROWS);
  const counts = geometryCounts(result);
  const fitting = targetLayer ? counts.reduce((sum, [type, count]) => sum + (fitsLayer(type as Geometry['type'], targetLayer.geometryType) ? count : 0), 0) : 0;
  const missingRequired =
    targetKind === 'existing' && targetLayer && targetMapping
      ? targetLayer.fields.filter((field) => {
          if (!field.required) return false;
          const source = targetMapping.fields[field.key];
          return !source || source.kind === 'none' || (source.kind === 'constant' && (source.value === null || source.value === ''));
        })
      : [];
  const dominant = dominantGeometryType(result.features.features);
  return (
    <>
      <DetectedSection
        file={file}
        result={result}
        counts={counts}
        busy={busy}
        options={options}
        onOptionsChange={setOptions}
        onReread={(next) => rereadWith(file, next)}
        onApplyOptions={() => void read(file, options)}
      />

      <section className="import-preview">
        <p className="muted">{t('importWizard.preview', { count: rows.length, total: number(result.featureCount) })}</p>
        {result.sampled && (
          <p className="muted" data-testid="import-sampled">
            {t('importWizard.sampled', { count: number(result.features.features.length), total: number(result.featureCount) })}
          </p>
        )}
        {columns.length === 0 ? (
          <p className="muted">{t('importWizard.noFields')}</p>
        ) : (
          <div className="import-table-wrap">
            <table className="import-table" data-testid="import-preview-table">
              <thead>
                <tr>
                  <th>#</th>
                  {columns.map((column) => (
                    <th key={column}>{column}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((feature, index) => (
                  <tr key={index}>
                    <td>{index + 1}</td>
                    {columns.map((column) => (
                      <td key={column}>{cellText(feature.properties?.[column])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <TargetSection file={file} result={result} busy={busy} layers={layers} wizard={wizard} fitting={fitting} missingRequired={missingRequired} dominant={dominant} />

      <OutcomeNotice outcome={outcome} targetLayer={targetLayer} />
      {busy ? (
        <ImportProgressBar progress={stage.kind === 'committing' ? stage.progress : null} onCancel={cancel} />
      ) : (
        <div className="dialog-buttons">
          <button type="button" onClick={() => fileInput.current?.click()}>
            {t('importWizard.chooseAnother')}
          </button>
          <button
            type="button"
            className="primary"
            disabled={!targetLayer || !targetMapping || fitting === 0 || missingRequired.length > 0 || (targetKind === 'new' && targetLayer.name.zh.trim() === '')}
            onClick={() => void commit(file, result)}
          >
            {t('importWizard.commit', { count: fitting })}
          </button>
        </div>
      )}
    </>
  );
}
