import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseFieldInput, type Feature, type FieldDefinition, type FieldProblem, type LayerDefinition, type PropertyValue } from '../../../../shared/model';
import { transact } from '../../db';
import { useWorkspace } from '../../app/workspace';
import { localized } from '../../app/localize';

/** Fields the form edits: the status workflow sets its own date fields. */
function editableFields(layer: LayerDefinition): FieldDefinition[] {
  const statusDates = new Set(layer.status.states.map((state) => state.dateField).filter(Boolean));
  return layer.fields.filter((field) => !statusDates.has(field.key));
}

function initialText(value: PropertyValue | undefined): string | boolean {
  if (value === undefined || value === null) return '';
  return typeof value === 'boolean' ? value : String(value);
}

/** A form generated from the layer definition: a new layer gets its form without new code. Invalid values are never saved. */
export function AttributeForm({ layer, feature, language, onDone }: { layer: LayerDefinition; feature: Feature; language: string; onDone(): void }) {
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const fields = editableFields(layer);
  const [values, setValues] = useState<Record<string, string | boolean>>(() =>
    Object.fromEntries(fields.map((field) => [field.key, initialText(feature.properties[field.key])])),
  );
  const [touched, setTouched] = useState(false);
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'failed'; reason: string }>({ kind: 'idle' });
  const results = Object.fromEntries(fields.map((field) => [field.key, parseFieldInput(field, values[field.key] ?? '')]));
  const problems = fields.filter((field) => !results[field.key]!.ok);
  const describe = (problem: FieldProblem) => t(`form.problem.${problem.code}`, problem);

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problems.length > 0) return;
    const properties: Record<string, PropertyValue | undefined> = {};
    for (const field of fields) {
      const result = results[field.key]!;
      if (!result.ok) return;
      const next = result.value;
      if (next !== (feature.properties[field.key] ?? null)) properties[field.key] = next === null ? undefined : next;
    }
    if (Object.keys(properties).length === 0) {
      onDone();
      return;
    }
    setState({ kind: 'saving' });
    try {
      await transact(workspace.database, { author: workspace.identity.deviceId, operations: [{ kind: 'update', layerId: layer.id, featureId: feature.id, properties }] });
      setState({ kind: 'saved' });
      onDone();
    } catch (error) {
      setState({ kind: 'failed', reason: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <form className="attribute-form" onSubmit={(event) => void save(event)} noValidate>
      {fields.map((field) => {
        const id = `field-${field.key}`;
        const result = results[field.key]!;
        const value = values[field.key] ?? '';
        const set = (next: string | boolean) => setValues((current) => ({ ...current, [field.key]: next }));
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
      <div className="dialog-buttons">
        <button type="submit" disabled={state.kind === 'saving'}>
          {t('feature.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('bulk.cancel')}
        </button>
      </div>
      {touched && problems.length > 0 && <p className="problem">{t('form.fix', { count: problems.length })}</p>}
      {state.kind === 'failed' && <p role="alert">{t('feature.failed', { reason: state.reason })}</p>}
    </form>
  );
}
