// "新建要素 / New feature": choose a layer → draw its point, line or polygon on the map → the form
// generated from the layer definition (required fields, ranges, allowed values) → save, which is
// ONE `transact` create with the county that contains a point on the geometry. Cancelling at any
// step (Esc, 取消) writes nothing. `startNewFeature(layerId, geometry)` opens the form for a
// geometry the caller already has ("add at my position").
import { useImperativeHandle, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { geometryFitsLayerType, type Geometry, type LayerDefinition, type PropertyValue } from '../../../../shared/model';
import { geodesicAreaMu, geodesicAreaSquareMeters, geodesicLengthKilometers } from '../../../../shared/geo';
import { useTransact } from '../../lib/use-transact';
import { oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';
import { useErrorText } from '../errors';
import { formatNumber, localized } from '../../lib/localize';
import type { DrawKind } from '../../map/geometry-editor';
import { editableFields, FieldInputs, parseFieldValues, type FieldValues } from '../../lib/field-inputs';
import { countyOfGeometry, useGeometryEditing } from './editing-context';
import './editing.css';
import { useLanguage } from '../../lib/language';

export interface NewFeatureHandle {
  /**
   * Opens the new-feature form for a geometry the caller already has — e.g. "add at my
   * position" with a GPS fix: `startNewFeature('wells', { type: 'Point', coordinates: [lon, lat] })`.
   * A draw in progress is cancelled. Throws (and opens nothing) when the layer is unknown or the
   * geometry does not fit the layer's geometry type.
   */
  startNewFeature(layerId: string, geometry: Geometry): void;
}

export interface CreatedFeature {
  layerId: string;
  featureId: string;
  geometry: Geometry;
}

const drawKinds: Record<LayerDefinition['geometryType'], DrawKind> = { Point: 'point', LineString: 'line', Polygon: 'polygon' };

/** What a user draws for a layer: its geometry type as a point, line or polygon. */
export function drawKindOfLayer(layer: LayerDefinition): DrawKind {
  return drawKinds[layer.geometryType];
}

type Step =
  | { kind: 'idle' }
  | { kind: 'choosing' }
  | { kind: 'drawing'; layer: LayerDefinition }
  | { kind: 'form'; layer: LayerDefinition; geometry: Geometry };

export function NewFeature({
  layers,
  countyName,
  onCreated,
  ref,
}: {
  layers: readonly LayerDefinition[];
  countyName(adcode: number): string;
  onCreated(created: CreatedFeature): void;
  ref?: Ref<NewFeatureHandle>;
}) {
  const language = useLanguage();
  const { t } = useTranslation();
  const editing = useGeometryEditing();
  const [step, setStep] = useState<Step>({ kind: 'idle' });

  const draw = async (layer: LayerDefinition) => {
    if (!editing) return;
    setStep({ kind: 'drawing', layer });
    const geometry = await editing.drawGeometry(drawKindOfLayer(layer));
    // A draw superseded by another (an "edit geometry" started meanwhile) resolves null too.
    setStep((current) => (current.kind === 'drawing' && current.layer === layer ? (geometry ? { kind: 'form', layer, geometry } : { kind: 'idle' }) : current));
  };

  useImperativeHandle(
    ref,
    () => ({
      startNewFeature(layerId, geometry) {
        const layer = layers.find((candidate) => candidate.id === layerId);
        if (!layer) throw new Error(`startNewFeature: there is no layer "${layerId}"`);
        if (!geometryFitsLayerType(geometry.type, layer.geometryType)) {
          throw new Error(`startNewFeature: layer "${layerId}" holds ${layer.geometryType} features; a ${geometry.type} does not fit`);
        }
        setStep({ kind: 'form', layer, geometry });
      },
    }),
    [layers],
  );

  return (
    <>
      <div className="new-feature-toolbar">
        {step.kind === 'drawing' ? (
          <span className="new-feature-drawing">{t('editing.drawingOn', { layer: localized(step.layer.name, language) })}</span>
        ) : (
          <button type="button" aria-expanded={step.kind === 'choosing'} disabled={!editing} onClick={() => setStep(step.kind === 'choosing' ? { kind: 'idle' } : { kind: 'choosing' })}>
            {t('editing.newFeature')}
          </button>
        )}
        {step.kind === 'choosing' && (
          <div className="new-feature-menu" role="group" aria-label={t('editing.chooseLayer')}>
            <p>{t('editing.chooseLayer')}</p>
            {layers.map((layer) => (
              <button key={layer.id} type="button" data-layer-id={layer.id} onClick={() => void draw(layer)}>
                {t('editing.layerOption', { layer: localized(layer.name, language), kind: t(`editing.kind.${drawKindOfLayer(layer)}`) })}
              </button>
            ))}
            <button type="button" className="link" onClick={() => setStep({ kind: 'idle' })}>
              {t('editing.cancel')}
            </button>
          </div>
        )}
      </div>
      {step.kind === 'form' && (
        <NewFeatureForm
          key={`${step.layer.id}:${JSON.stringify(step.geometry)}`}
          layer={step.layer}
          geometry={step.geometry}
         
          countyName={countyName}
          onSaved={(featureId) => {
            setStep({ kind: 'idle' });
            onCreated({ layerId: step.layer.id, featureId, geometry: step.geometry });
          }}
          onCancel={() => setStep({ kind: 'idle' })}
        />
      )}
    </>
  );
}

function initialValues(layer: LayerDefinition): FieldValues {
  // An unticked box is a value (false): a required yes/no field starts as "no", not as missing.
  return Object.fromEntries(editableFields(layer).map((field) => [field.key, field.type === 'boolean' && field.required ? false : '']));
}

function vertexCount(geometry: Geometry): number {
  switch (geometry.type) {
    case 'Point':
      return 1;
    case 'MultiPoint':
    case 'LineString':
      return geometry.coordinates.length;
    case 'MultiLineString':
      return geometry.coordinates.reduce((sum, line) => sum + line.length, 0);
    case 'Polygon':
      return geometry.coordinates.reduce((sum, ring) => sum + ring.length - 1, 0);
    case 'MultiPolygon':
      return geometry.coordinates.reduce((sum, polygon) => sum + polygon.reduce((inner, ring) => inner + ring.length - 1, 0), 0);
  }
}

function GeometrySummary({ geometry }: { geometry: Geometry }) {
  const language = useLanguage();
  const { t } = useTranslation();
  const count = vertexCount(geometry);
  if (geometry.type === 'Point' || geometry.type === 'MultiPoint') {
    const [lon, lat] = geometry.type === 'Point' ? geometry.coordinates : geometry.coordinates[0]!;
    return <p data-testid="new-feature-geometry">{t('editing.form.point', { lon: lon.toFixed(6), lat: lat.toFixed(6) })}</p>;
  }
  if (geometry.type === 'LineString' || geometry.type === 'MultiLineString') {
    return <p data-testid="new-feature-geometry">{t('editing.form.line', { km: formatNumber(geodesicLengthKilometers(geometry), language, 3), count })}</p>;
  }
  return (
    <p data-testid="new-feature-geometry">
      {t('editing.form.polygon', { mu: formatNumber(geodesicAreaMu(geometry), language, 2), squareMeters: formatNumber(geodesicAreaSquareMeters(geometry), language, 0), count })}
    </p>
  );
}

type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'failed'; error: OneMapErrorData };

function NewFeatureForm({
  layer,
  geometry,
  countyName,
  onSaved,
  onCancel,
}: {
  layer: LayerDefinition;
  geometry: Geometry;
  countyName(adcode: number): string;
  onSaved(featureId: string): void;
  onCancel(): void;
}) {
  const language = useLanguage();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const transact = useTransact();
  const editing = useGeometryEditing();
  const fields = editableFields(layer);
  const [values, setValues] = useState<FieldValues>(() => initialValues(layer));
  const [touched, setTouched] = useState(false);
  const [state, setState] = useState<SaveState>({ kind: 'idle' });
  const results = parseFieldValues(fields, values);
  const problems = fields.filter((field) => !results[field.key]!.ok);
  const county = editing ? countyOfGeometry(editing, geometry) : null;
  const initialStatus = layer.status.states.find((candidate) => candidate.value === layer.status.initial);

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problems.length > 0 || state.kind === 'saving') return;
    const properties: Record<string, PropertyValue> = {};
    for (const field of fields) {
      const result = results[field.key]!;
      if (!result.ok) return;
      if (result.value !== null) properties[field.key] = result.value;
    }
    setState({ kind: 'saving' });
    try {
      const committed = await transact({
        operations: [{ kind: 'create', layerId: layer.id, feature: { geometry, properties, county } }],
      });
      // Only now, after IndexedDB reported the commit, is the feature saved.
      onSaved(committed.features[0]!.featureId);
    } catch (error) {
      setState({ kind: 'failed', error: oneMapErrorData(error) });
    }
  };

  const heading = t('editing.form.heading', { layer: localized(layer.name, language) });
  return (
    <div className="dialog-backdrop">
      <form
        className="dialog new-feature-form"
        role="dialog"
        aria-modal="true"
        aria-label={heading}
        noValidate
        onSubmit={(event) => void save(event)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            onCancel();
          }
        }}
      >
        <h2>{heading}</h2>
        <GeometrySummary geometry={geometry} />
        <p className="muted" data-testid="new-feature-county">
          {county === null ? t('editing.form.outside') : t('editing.form.county', { county: countyName(county) })}
        </p>
        {initialStatus && <p className="muted">{t('editing.form.status', { status: localized(initialStatus.label, language) })}</p>}
        <FieldInputs
          fields={fields}
          values={values}
          results={results}
          touched={touched}
         
          idPrefix="new-feature"
          onChange={(key, next) => setValues((current) => ({ ...current, [key]: next }))}
        />
        {touched && problems.length > 0 && <p className="problem">{t('form.fix', { count: problems.length })}</p>}
        <p className="save-state" role="status" data-testid="new-feature-state">
          {state.kind === 'saving' && t('editing.form.saving')}
          {state.kind === 'failed' && t('editing.form.failed', { reason: errorText(state.error) })}
        </p>
        <div className="dialog-buttons">
          <button type="submit" disabled={state.kind === 'saving'}>
            {t('editing.form.save')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('editing.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}
