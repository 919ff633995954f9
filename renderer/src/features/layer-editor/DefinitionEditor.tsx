// One layer's definition in the editor: name, geometry type (new layers only), fields and workflow.
// The problems are those of shared/model (the same the store refuses), checked against the
// layer's features as they are now, and shown by name once the user tries to save. Saving is ONE
// change: `createLayerDefinition` or `updateLayerDefinition` (db/layer-definitions.ts).
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  definitionChangeProblems,
  definitionProblems,
  type DefinitionProblem,
  type Feature,
  type LayerDefinition,
  type LayerGeometryType,
} from '../../../../shared/model';
import { oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';
import { createLayerDefinition, LayerDefinitionRefusedError, updateLayerDefinition } from '../../db';
import { useWorkspace } from '../../lib/workspace';
import { useLanguage } from '../../lib/language';
import { localized } from '../../lib/localize';
import { ErrorNotice } from '../errors';
import { definitionOf, type LayerDraft } from './draft';
import { FieldsSection, TextPair } from './FieldsSection';
import { WorkflowSection } from './WorkflowSection';

const GEOMETRY_TYPES: readonly LayerGeometryType[] = ['Point', 'LineString', 'Polygon'];

function ProblemList({ problems, layer }: { problems: readonly DefinitionProblem[]; layer: LayerDefinition }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const fieldName = (key: string | undefined) => {
    const field = layer.fields.find((candidate) => candidate.key === key);
    return field === undefined ? (key ?? '') : localized(field.label, language);
  };
  const stateName = (value: string | undefined) => {
    const state = layer.status.states.find((candidate) => candidate.value === value);
    return state === undefined ? (value ?? '') : localized(state.label, language);
  };
  const valueName = (key: string | undefined, value: string | undefined) => {
    const field = layer.fields.find((candidate) => candidate.key === key);
    const option = field?.type === 'enum' ? field.values.find((candidate) => candidate.value === value) : undefined;
    return option === undefined ? (value ?? '') : localized(option.label, language);
  };
  return (
    <div role="alert" className="layer-editor-problems" data-testid="layer-editor-problems">
      <p>{t('layerEditor.problemsHeading', { count: problems.length })}</p>
      <ul>
        {problems.map((problem, index) => (
          <li key={index} data-problem={problem.code}>
            {t(`layerEditor.problem.${problem.code}`, {
              field: fieldName(problem.field),
              state: stateName(problem.state),
              value: valueName(problem.field, problem.value),
              count: problem.count ?? 0,
              path: problem.path,
            })}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function DefinitionEditor({
  initial,
  layers,
  features,
  onDone,
  onCancel,
}: {
  initial: LayerDraft;
  layers: readonly LayerDefinition[];
  /** The layer's live features (none for a new layer). */
  features: readonly Feature[];
  onDone(layer: LayerDefinition, created: boolean): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { database, identity } = useWorkspace();
  const [draft, setDraft] = useState(initial);
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [refused, setRefused] = useState<readonly DefinitionProblem[] | null>(null);
  const [failed, setFailed] = useState<OneMapErrorData | null>(null);
  const base = draft.base;
  const { layer, defaults } = useMemo(() => definitionOf(draft, layers.map((candidate) => candidate.id)), [draft, layers]);
  const problems = useMemo(
    () => (base === undefined ? definitionProblems(layer) : definitionChangeProblems({ before: base, after: layer, features, defaults })),
    [base, layer, features, defaults],
  );
  const change = (next: LayerDraft) => {
    setDraft(next);
    setRefused(null);
    setFailed(null);
  };

  const save = async () => {
    setTried(true);
    if (problems.length > 0) return;
    setSaving(true);
    try {
      if (base === undefined) await createLayerDefinition(database, { author: identity.deviceId, layer });
      else await updateLayerDefinition(database, { author: identity.deviceId, layer, defaults });
      onDone(layer, base === undefined);
    } catch (error) {
      if (error instanceof LayerDefinitionRefusedError) setRefused(error.problems);
      else setFailed(oneMapErrorData(error));
      setSaving(false);
    }
  };

  const shown = refused ?? (tried ? problems : []);
  return (
    <form
      className="layer-editor-form"
      aria-label={base === undefined ? t('layerEditor.newHeading') : t('layerEditor.editHeading', { name: localized(base.name, language) })}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <h3>{base === undefined ? t('layerEditor.newHeading') : t('layerEditor.editHeading', { name: localized(base.name, language) })}</h3>
      <TextPair value={draft} labels={[t('layerEditor.nameZh'), t('layerEditor.nameEn')]} idPrefix="layer-name" onChange={(next) => change({ ...draft, ...next })} />
      <label>
        <span>{t('layerEditor.geometryType')}</span>
        <select id="layer-geometry" value={draft.geometryType} disabled={base !== undefined} onChange={(event) => change({ ...draft, geometryType: event.target.value as LayerGeometryType })}>
          {GEOMETRY_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`layerEditor.geometry.${type}`)}
            </option>
          ))}
        </select>
      </label>
      {base !== undefined && <p className="layer-editor-note">{t('layerEditor.geometryFixed')}</p>}
      <FieldsSection draft={draft} hasFeatures={features.length > 0} onChange={change} />
      <WorkflowSection draft={draft} onChange={change} />
      {shown.length > 0 && <ProblemList problems={shown} layer={layer} />}
      {failed !== null && <ErrorNotice error={failed} frame={(reason) => t('layerEditor.failed', { reason })} />}
      <div className="layer-editor-actions">
        <button type="submit" disabled={saving}>
          {saving ? t('layerEditor.saving') : t('layerEditor.save')}
        </button>
        <button type="button" className="link" onClick={onCancel}>
          {t('layerEditor.cancel')}
        </button>
      </div>
    </form>
  );
}
