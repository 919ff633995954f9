// Where the features go: an existing layer with its field mapping, or a new layer inferred from the file.
import { useTranslation } from 'react-i18next';
import type { FieldDefinition, LayerDefinition } from '../../../../shared/model';
import { useLanguage } from '../../lib/language';
import { useWorkspace } from '../../lib/workspace';
import { PACKED_IMPORT_MIN_FEATURES } from '../../db';
import { localized } from '../../lib/localize';
import { unmappedColumns } from './mapping';
import { MappingTable } from './MappingTable';
import { NewLayerEditor } from './NewLayerEditor';
import type { ImportWizardState } from './use-import-wizard';
import type { ReadResult } from './worker/import-client';

export interface TargetSectionProps {
  file: File;
  result: ReadResult;
  busy: boolean;
  layers: readonly LayerDefinition[];
  wizard: ImportWizardState;
  /** Features whose geometry the target layer can hold. */
  fitting: number;
  missingRequired: FieldDefinition[];
  /** The layer geometry type most features fit (a new layer's), or null when none fits. */
  dominant: LayerDefinition['geometryType'] | null;
}

export function TargetSection({ file, result, busy, layers, wizard, fitting, missingRequired, dominant }: TargetSectionProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { targetKind, setTargetKind, layerId, chooseLayer, targetLayer, mapping, setMapping, remembered, newLayer, setNewLayer } = wizard;
  const columns = result.fields;
  // A new layer this big is written as a packed base, which the hub sync does not send.
  const staysLocal = useWorkspace().hub !== null && result.featureCount >= PACKED_IMPORT_MIN_FEATURES;
  return (
    <section className="import-target">
      <h3>{t('importWizard.target.heading')}</h3>
      <div className="import-target-kind" role="radiogroup" aria-label={t('importWizard.target.heading')}>
        <label>
          <input type="radio" name="import-target" checked={targetKind === 'existing'} disabled={busy} onChange={() => setTargetKind('existing')} />
          {t('importWizard.target.existing')}
        </label>
        <label>
          <input type="radio" name="import-target" checked={targetKind === 'new'} disabled={busy} onChange={() => setTargetKind('new')} />
          {t('importWizard.target.new')}
        </label>
      </div>
      {targetKind === 'existing' ? (
        <>
          <label className="field">
            <span>{t('importWizard.target.chooseLayer')}</span>
            <select value={layerId} disabled={busy} onChange={(event) => chooseLayer(event.target.value, result, file)}>
              <option value="">—</option>
              {layers.map((layer) => (
                <option key={layer.id} value={layer.id}>
                  {localized(layer.name, language)}（{t(`importWizard.geometryType.${layer.geometryType}`)}）
                </option>
              ))}
            </select>
          </label>
          {targetLayer && fitting === 0 && <p className="import-notice error">{t('importWizard.target.noneFit', { type: t(`importWizard.geometryType.${targetLayer.geometryType}`) })}</p>}
          {targetLayer && fitting > 0 && fitting < result.featureCount && (
            <p className="import-notice">
              {t('importWizard.target.geometryMismatch', { count: result.featureCount - fitting, type: t(`importWizard.geometryType.${targetLayer.geometryType}`) })}
            </p>
          )}
          {targetLayer && mapping && (
            <>
              <h4>{t('importWizard.mapping.heading')}</h4>
              {remembered && <p className="muted">{t('importWizard.mapping.remembered')}</p>}
              <fieldset disabled={busy} className="import-fieldset">
                <MappingTable layer={targetLayer} columns={columns} mapping={mapping} onChange={setMapping} />
              </fieldset>
              {unmappedColumns(columns, mapping).length > 0 && <p className="muted">{t('importWizard.mapping.unmapped', { columns: unmappedColumns(columns, mapping).join('、') })}</p>}
              {missingRequired.length > 0 && (
                <p className="import-notice error" data-testid="import-required-missing">
                  {t('importWizard.mapping.requiredMissing', { fields: missingRequired.map((field) => localized(field.label, language)).join('、') })}
                </p>
              )}
            </>
          )}
        </>
      ) : (
        newLayer && (
          <fieldset disabled={busy} className="import-fieldset">
            <NewLayerEditor layer={newLayer.layer} mapping={newLayer.mapping} onChange={(layer) => setNewLayer({ ...newLayer, layer })} />
            {dominant === null && <p className="import-notice error">{t('importWizard.target.noneFit', { type: '—' })}</p>}
            {staysLocal && (
              <p className="import-notice" data-testid="import-stays-local">
                {t('importWizard.target.staysLocal', { count: result.featureCount })}
              </p>
            )}
          </fieldset>
        )
      )}
    </section>
  );
}
