// 图层定义 / Layer definitions: the layers with their fields, states, features and version; a new
// thematic layer from scratch, or a stored layer's definition changed (DefinitionEditor.tsx). Undo
// is the app's (Ctrl+Z): each save is one journaled change.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LayerDefinition } from '../../../../shared/model';
import { useWorkbenchData } from '../../lib/workbench-data';
import { useLayerFeatures } from '../../lib/layer-features';
import { localized } from '../../lib/localize';
import { useDefinitionsReadOnly } from '../../lib/hub-roles';
import { useLanguage } from '../../lib/language';
import { DefinitionEditor } from './DefinitionEditor';
import { draftOf, newLayerDraft, type LayerDraft } from './draft';
import './layer-editor.css';

type Editing = { draft: LayerDraft; key: number } | null;

const noLayer: readonly string[] = [];

/** The definition editor over the layer's features as they are now (a large layer's read while it is open). */
function EditorWithFeatures({ editing, layers, onDone, onCancel }: { editing: NonNullable<Editing>; layers: readonly LayerDefinition[]; onDone(layer: LayerDefinition, created: boolean): void; onCancel(): void }) {
  const { t } = useTranslation();
  const layerId = editing.draft.base?.id;
  const ids = useMemo(() => (layerId === undefined ? noLayer : [layerId]), [layerId]);
  const { features, loading } = useLayerFeatures(ids);
  if (loading) return <p className="notice" role="status">{t('app.loadingLayers')}</p>;
  return (
    <DefinitionEditor
      key={editing.key}
      initial={editing.draft}
      layers={layers}
      features={layerId === undefined ? [] : (features.get(layerId) ?? [])}
      onDone={onDone}
      onCancel={onCancel}
    />
  );
}

export function LayerEditorPanel() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { layers, talliesByLayer } = useWorkbenchData();
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // In a hub workspace only planners and admins change definitions (the hub refuses others).
  const readOnly = useDefinitionsReadOnly();
  const open = (draft: LayerDraft) => {
    setNotice(null);
    setEditing({ draft, key: Date.now() });
  };
  const done = (layer: LayerDefinition, created: boolean) => {
    const name = localized(layer.name, language);
    setNotice(created ? t('layerEditor.created', { name }) : t('layerEditor.saved', { name, version: layer.version ?? 1 }));
    setEditing(null);
  };

  if (editing !== null) {
    return <EditorWithFeatures editing={editing} layers={layers} onDone={done} onCancel={() => setEditing(null)} />;
  }
  return (
    <section className="layer-editor" aria-label={t('layerEditor.tab')}>
      <p className="layer-editor-note">{t('layerEditor.intro')}</p>
      {notice !== null && (
        <p role="status" className="layer-editor-notice">
          {notice}
        </p>
      )}
      {readOnly ? (
        <p className="layer-editor-notice" data-testid="layer-editor-hub">
          {t('layerEditor.hubReadOnly')}
        </p>
      ) : (
        <button type="button" onClick={() => open(newLayerDraft())}>
          + {t('layerEditor.newLayer')}
        </button>
      )}
      <ul className="layer-editor-list">
        {layers.map((layer) => (
          <li key={layer.id} data-layer-id={layer.id}>
            <div>
              <strong>{localized(layer.name, language)}</strong>
              <small>
                {t('layerEditor.layerSummary', { fields: layer.fields.length, states: layer.status.states.length, count: talliesByLayer.get(layer.id)?.total ?? t('layers.counting'), version: layer.version ?? 1 })}
              </small>
            </div>
            {!readOnly && (
              <button type="button" className="link" onClick={() => open(draftOf(layer))} aria-label={`${t('layerEditor.edit')}：${localized(layer.name, language)}`}>
                {t('layerEditor.edit')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
