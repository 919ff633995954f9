import { useTranslation } from 'react-i18next';
import { parseFieldInput, type FieldDefinition, type FieldInputResult, type FieldProblem, type LayerDefinition } from '../../../shared/model';
import { localized } from './localize';
import { useLanguage } from './language';

/** Fields a form edits: the status workflow sets its own date fields, the store the feature code. */
export function editableFields(layer: LayerDefinition): FieldDefinition[] {
  const statusDates = new Set(layer.status.states.map((state) => state.dateField).filter(Boolean));
  return layer.fields.filter((field) => !statusDates.has(field.key) && field.key !== layer.featureCode?.field);
}

/** What the form's controls hold, by field key: text, or a checkbox's boolean. */
export type FieldValues = Record<string, string | boolean>;

/** Every field's value read and checked (shared/model/field-input.ts), by field key. */
export function parseFieldValues(fields: readonly FieldDefinition[], values: FieldValues): Record<string, FieldInputResult> {
  return Object.fromEntries(fields.map((field) => [field.key, parseFieldInput(field, values[field.key] ?? '')]));
}

/**
 * The controls of a form generated from a layer definition: one labelled control per field
 * (select for allowed values, checkbox, date, text), required fields marked *, and once the user
 * tried to save (`touched`) each invalid value's problem next to it. Used by the attribute form
 * and the new-feature form.
 */
export function FieldInputs({
  fields,
  values,
  results,
  touched,
  idPrefix = 'field',
  onChange,
}: {
  fields: readonly FieldDefinition[];
  values: FieldValues;
  results: Record<string, FieldInputResult>;
  touched: boolean;
  idPrefix?: string;
  onChange(key: string, value: string | boolean): void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const describe = (problem: FieldProblem) => t(`form.problem.${problem.code}`, problem);
  return (
    <>
      {fields.map((field) => {
        const id = `${idPrefix}-${field.key}`;
        const result = results[field.key]!;
        const value = values[field.key] ?? '';
        const set = (next: string | boolean) => onChange(field.key, next);
        const unit = 'unit' in field && field.unit ? ` (${localized(field.unit, language)})` : '';
        const label = `${localized(field.label, language)}${unit}${field.required ? ' *' : ''}`;
        return (
          <div key={field.key} className={`field${touched && !result.ok ? ' invalid' : ''}`}>
            <label htmlFor={id}>{label}</label>
            {field.type === 'enum' ? (
              <select id={id} value={String(value)} onChange={(event) => set(event.target.value)} aria-invalid={touched && !result.ok}>
                {!field.required && <option value="">—</option>}
                {field.required && value === '' && <option value="">{t('form.choose')}</option>}
                {field.values.map((option) => (
                  <option key={option.value} value={option.value}>
                    {localized(option.label, language)}
                  </option>
                ))}
              </select>
            ) : field.type === 'boolean' ? (
              <input id={id} type="checkbox" checked={value === true} onChange={(event) => set(event.target.checked)} />
            ) : (
              <input
                id={id}
                type={field.type === 'date' ? 'date' : 'text'}
                inputMode={field.type === 'integer' || field.type === 'number' ? 'decimal' : undefined}
                value={String(value)}
                onChange={(event) => set(event.target.value)}
                aria-invalid={touched && !result.ok}
              />
            )}
            {touched && !result.ok && (
              <span className="problem" role="alert">
                {describe(result.problem)}
              </span>
            )}
          </div>
        );
      })}
    </>
  );
}
