import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';
import { ErrorNotice } from '../errors';
import type { Feature, LayerDefinition, PropertyValue } from '../../../../shared/model';
import { useTransact } from '../../lib/use-transact';
import { editableFields, FieldInputs, parseFieldValues, type FieldValues } from '../../lib/field-inputs';

function initialText(value: PropertyValue | undefined): string | boolean {
  if (value === undefined || value === null) return '';
  return typeof value === 'boolean' ? value : String(value);
}

/** A form generated from the layer definition: a new layer gets its form without new code. Invalid values are never saved. */
export function AttributeForm({ layer, feature, onDone }: { layer: LayerDefinition; feature: Feature; onDone(): void }) {
  const { t } = useTranslation();
  const transact = useTransact();
  const fields = editableFields(layer);
  const [values, setValues] = useState<FieldValues>(() => Object.fromEntries(fields.map((field) => [field.key, initialText(feature.properties[field.key])])));
  const [touched, setTouched] = useState(false);
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'failed'; error: OneMapErrorData }>({ kind: 'idle' });
  const results = parseFieldValues(fields, values);
  const problems = fields.filter((field) => !results[field.key]!.ok);

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
      await transact({ operations: [{ kind: 'update', layerId: layer.id, featureId: feature.id, properties }] });
      setState({ kind: 'saved' });
      onDone();
    } catch (error) {
      setState({ kind: 'failed', error: oneMapErrorData(error) });
    }
  };

  return (
    <form className="attribute-form" onSubmit={(event) => void save(event)} noValidate>
      <FieldInputs
        fields={fields}
        values={values}
        results={results}
        touched={touched}
       
        onChange={(key, next) => setValues((current) => ({ ...current, [key]: next }))}
      />
      <div className="dialog-buttons">
        <button type="submit" disabled={state.kind === 'saving'}>
          {t('feature.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('bulk.cancel')}
        </button>
      </div>
      {touched && problems.length > 0 && <p className="problem">{t('form.fix', { count: problems.length })}</p>}
      {state.kind === 'failed' && <ErrorNotice error={state.error} frame={(reason) => t('feature.failed', { reason })} />}
    </form>
  );
}
