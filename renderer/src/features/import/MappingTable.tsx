import { useTranslation } from 'react-i18next';
import type { FieldDefinition, LayerDefinition, PropertyValue } from '../../../../shared/model';
import { useLanguage } from '../../lib/language';
import { localized } from '../../lib/localize';
import type { FieldMapping, FieldSource } from './mapping';

export interface MappingTableProps {
  layer: LayerDefinition;
  columns: readonly string[];
  mapping: FieldMapping;
  onChange(mapping: FieldMapping): void;
}

const CONSTANT = '\u0000constant';
const NONE = '\u0000none';

function sourceValue(source: FieldSource): string {
  return source.kind === 'column' ? source.column : source.kind === 'constant' ? CONSTANT : NONE;
}

function ConstantInput({ field, value, onChange }: { field: FieldDefinition; value: PropertyValue; onChange(value: PropertyValue): void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const label = t('importWizard.mapping.constantValue', { field: localized(field.label, language) });
  if (field.type === 'enum') {
    return (
      <select aria-label={label} value={typeof value === 'string' ? value : ''} onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)}>
        <option value="">—</option>
        {field.values.map((option) => (
          <option key={option.value} value={option.value}>
            {localized(option.label, language)}
          </option>
        ))}
      </select>
    );
  }
  if (field.type === 'boolean') {
    return <input type="checkbox" aria-label={label} checked={value === true} onChange={(event) => onChange(event.target.checked)} />;
  }
  return (
    <input
      type={field.type === 'date' ? 'date' : 'text'}
      aria-label={label}
      value={value === null ? '' : String(value)}
      onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)}
    />
  );
}

/** Layer field ← source column (or a fixed value), plus the id and status columns. */
export function MappingTable({ layer, columns, mapping, onChange }: MappingTableProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const setField = (key: string, source: FieldSource) => onChange({ ...mapping, fields: { ...mapping.fields, [key]: source } });
  const initial = layer.status.states.find((state) => state.value === layer.status.initial);
  return (
    <table className="import-mapping" data-testid="import-mapping">
      <thead>
        <tr>
          <th>{t('importWizard.mapping.field')}</th>
          <th>{t('importWizard.mapping.source')}</th>
        </tr>
      </thead>
      <tbody>
        {layer.fields.map((field) => {
          const source = mapping.fields[field.key] ?? { kind: 'none' };
          const fieldLabel = localized(field.label, language);
          return (
            <tr key={field.key} data-field={field.key}>
              <td>
                {fieldLabel} <small className="muted">{t(`importWizard.mapping.type.${field.type}`)}</small>
                {field.required && <small className="import-required"> {t('importWizard.mapping.required')}</small>}
              </td>
              <td>
                <select
                  aria-label={fieldLabel}
                  value={sourceValue(source)}
                  onChange={(event) => {
                    const value = event.target.value;
                    setField(field.key, value === NONE ? { kind: 'none' } : value === CONSTANT ? { kind: 'constant', value: null } : { kind: 'column', column: value });
                  }}
                >
                  <option value={NONE}>{t('importWizard.mapping.none')}</option>
                  {columns.map((column) => (
                    <option key={column} value={column}>
                      {column}
                    </option>
                  ))}
                  <option value={CONSTANT}>{t('importWizard.mapping.constant')}</option>
                </select>
                {source.kind === 'constant' && (
                  <ConstantInput field={field} value={source.value} onChange={(value) => setField(field.key, { kind: 'constant', value })} />
                )}
              </td>
            </tr>
          );
        })}
        <tr>
          <td>{t('importWizard.mapping.idColumn')}</td>
          <td>
            <select aria-label={t('importWizard.mapping.idColumn')} value={mapping.idColumn ?? NONE} onChange={(event) => onChange({ ...mapping, idColumn: event.target.value === NONE ? null : event.target.value })}>
              <option value={NONE}>{t('importWizard.mapping.idNone')}</option>
              {columns.map((column) => (
                <option key={column} value={column}>
                  {column}
                </option>
              ))}
            </select>
          </td>
        </tr>
        <tr>
          <td>{t('importWizard.mapping.statusColumn')}</td>
          <td>
            <select
              aria-label={t('importWizard.mapping.statusColumn')}
              value={mapping.statusColumn ?? NONE}
              onChange={(event) => onChange({ ...mapping, statusColumn: event.target.value === NONE ? null : event.target.value })}
            >
              <option value={NONE}>{t('importWizard.mapping.statusNone', { status: initial ? localized(initial.label, language) : layer.status.initial })}</option>
              {columns.map((column) => (
                <option key={column} value={column}>
                  {column}
                </option>
              ))}
            </select>
          </td>
        </tr>
      </tbody>
    </table>
  );
}
