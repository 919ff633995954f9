import { useTranslation } from 'react-i18next';
import type { FieldDefinition, LayerDefinition } from '../../../../shared/model';
import type { FieldMapping } from './mapping';

export interface NewLayerEditorProps {
  layer: LayerDefinition;
  mapping: FieldMapping;
  onChange(layer: LayerDefinition): void;
}

const TYPES = ['string', 'integer', 'number', 'boolean', 'date'] as const;

/** The layer an import creates: its name, and the type of each field (inferred, changeable). */
export function NewLayerEditor({ layer, mapping, onChange }: NewLayerEditorProps) {
  const { t } = useTranslation();
  const setType = (key: string, type: (typeof TYPES)[number]) =>
    onChange({
      ...layer,
      fields: layer.fields.map((field): FieldDefinition => (field.key === key ? { key: field.key, label: field.label, required: false, type } : field)),
    });
  return (
    <div className="import-new-layer">
      <label className="field">
        <span>{t('importWizard.newLayer.name')}</span>
        <input
          type="text"
          required
          value={layer.name.zh}
          onChange={(event) => onChange({ ...layer, name: { zh: event.target.value, en: event.target.value } })}
        />
      </label>
      <p>{t('importWizard.newLayer.geometry', { type: t(`importWizard.geometryType.${layer.geometryType}`) })}</p>
      <p className="muted">{t('importWizard.newLayer.fields')}</p>
      <table className="import-mapping" data-testid="import-new-fields">
        <thead>
          <tr>
            <th>{t('importWizard.newLayer.column')}</th>
            <th>{t('importWizard.newLayer.key')}</th>
            <th>{t('importWizard.newLayer.type')}</th>
          </tr>
        </thead>
        <tbody>
          {layer.fields.map((field) => {
            const source = mapping.fields[field.key];
            const column = source?.kind === 'column' ? source.column : field.label.zh;
            return (
              <tr key={field.key}>
                <td>{column}</td>
                <td>
                  <code>{field.key}</code>
                </td>
                <td>
                  <select aria-label={`${column} · ${t('importWizard.newLayer.type')}`} value={field.type} onChange={(event) => setType(field.key, event.target.value as (typeof TYPES)[number])}>
                    {TYPES.map((type) => (
                      <option key={type} value={type}>
                        {t(`importWizard.mapping.type.${type}`)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
