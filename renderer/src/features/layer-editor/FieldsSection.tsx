// The layer editor's fields: labels (zh/en), type, unit, required, allowed values, and the default
// a field made required gives the features that lack it. Keys and types of stored fields are fixed.
import { useTranslation } from 'react-i18next';
import type { FieldType } from '../../../../shared/model';
import { newFieldDraft, withoutField, type FieldDraft, type LayerDraft, type TextDraft, type ValueDraft } from './draft';

const FIELD_TYPES: readonly FieldType[] = ['string', 'integer', 'number', 'boolean', 'date', 'enum'];

/** Two inputs, Chinese and English, for one text. */
export function TextPair({ value, labels, idPrefix, onChange }: { value: TextDraft; labels: [string, string]; idPrefix: string; onChange(next: TextDraft): void }) {
  return (
    <div className="layer-editor-pair">
      <label>
        <span>{labels[0]}</span>
        <input id={`${idPrefix}-zh`} value={value.zh} onChange={(event) => onChange({ ...value, zh: event.target.value })} />
      </label>
      <label>
        <span>{labels[1]}</span>
        <input id={`${idPrefix}-en`} value={value.en} onChange={(event) => onChange({ ...value, en: event.target.value })} />
      </label>
    </div>
  );
}

const nameOf = (text: TextDraft, fallback: string) => text.zh.trim() || text.en.trim() || fallback;

function ValuesEditor({ field, index, onChange }: { field: FieldDraft; index: number; onChange(values: ValueDraft[]): void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="layer-editor-values">
      <legend>{t('layerEditor.values')}</legend>
      {field.values.map((option, at) => (
        <div key={at} className="layer-editor-row" data-value={option.existing ? option.value : undefined}>
          <TextPair
            value={option}
            labels={[t('layerEditor.valueZh'), t('layerEditor.valueEn')]}
            idPrefix={`layer-field-${index}-value-${at}`}
            onChange={(next) => onChange(field.values.map((candidate, position) => (position === at ? { ...candidate, ...next } : candidate)))}
          />
          <button type="button" className="link" aria-label={t('layerEditor.removeValue', { name: nameOf(option, String(at + 1)) })} onClick={() => onChange(field.values.filter((_, position) => position !== at))}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" className="link" onClick={() => onChange([...field.values, { value: '', existing: false, zh: '', en: '' }])}>
        + {t('layerEditor.addValue')}
      </button>
    </fieldset>
  );
}

export function FieldsSection({ draft, hasFeatures, onChange }: { draft: LayerDraft; hasFeatures: boolean; onChange(next: LayerDraft): void }) {
  const { t } = useTranslation();
  const setField = (index: number, patch: Partial<FieldDraft>) => onChange({ ...draft, fields: draft.fields.map((field, at) => (at === index ? { ...field, ...patch } : field)) });
  const removedSome = draft.base !== undefined && draft.base.fields.some((stored) => !draft.fields.some((field) => field.existing && field.key === stored.key));
  return (
    <fieldset className="layer-editor-section">
      <legend>{t('layerEditor.fields')}</legend>
      {draft.fields.map((field, index) => {
        const name = nameOf(field, t('layerEditor.field', { index: index + 1 }));
        const neededDefault = hasFeatures && field.required && (!field.existing || field.original?.required !== true);
        return (
          <div key={index} className="layer-editor-item" data-field-index={index}>
            <div className="layer-editor-item-head">
              <strong>{t('layerEditor.field', { index: index + 1 })}</strong>
              <button type="button" className="link" aria-label={t('layerEditor.removeField', { name })} onClick={() => onChange(withoutField(draft, index))}>
                ✕
              </button>
            </div>
            <TextPair value={field} labels={[t('layerEditor.labelZh'), t('layerEditor.labelEn')]} idPrefix={`layer-field-${index}`} onChange={(next) => setField(index, next)} />
            <div className="layer-editor-pair">
              <label>
                <span>{t('layerEditor.type')}</span>
                <select id={`layer-field-${index}-type`} value={field.type} disabled={field.existing} onChange={(event) => setField(index, { type: event.target.value as FieldType })}>
                  {FIELD_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {t(`layerEditor.types.${type}`)}
                    </option>
                  ))}
                </select>
              </label>
              {field.existing ? (
                <span className="layer-editor-key">{t('layerEditor.keyFixed', { key: field.key })}</span>
              ) : (
                <label>
                  <span>{t('layerEditor.key')}</span>
                  <input id={`layer-field-${index}-key`} value={field.key} placeholder={t('layerEditor.keyAuto')} onChange={(event) => setField(index, { key: event.target.value })} />
                </label>
              )}
            </div>
            {(field.type === 'integer' || field.type === 'number') && (
              <TextPair value={field.unit} labels={[t('layerEditor.unitZh'), t('layerEditor.unitEn')]} idPrefix={`layer-field-${index}-unit`} onChange={(unit) => setField(index, { unit })} />
            )}
            {field.type === 'enum' && <ValuesEditor field={field} index={index} onChange={(values) => setField(index, { values })} />}
            <label className="layer-editor-check">
              <input id={`layer-field-${index}-required`} type="checkbox" checked={field.required} onChange={(event) => setField(index, { required: event.target.checked })} />
              {t('layerEditor.required')}
            </label>
            {neededDefault && (
              <label>
                <span>{t('layerEditor.default')}</span>
                <input id={`layer-field-${index}-default`} value={field.defaultValue} onChange={(event) => setField(index, { defaultValue: event.target.value })} />
              </label>
            )}
          </div>
        );
      })}
      <button type="button" onClick={() => onChange({ ...draft, fields: [...draft.fields, newFieldDraft()] })}>
        + {t('layerEditor.addField')}
      </button>
      {removedSome && <p className="layer-editor-note">{t('layerEditor.removedNote')}</p>}
    </fieldset>
  );
}
