import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { redo, undo, type ChangeSummary } from '../db';
import { useUndoState } from '../db/undo-hooks';
import { useLayers } from '../db/hooks';
import { localized } from '../lib/localize';
import { useValueFormat } from './value-format';
import { useWorkspace } from '../lib/workspace';
import { geometryEditingActive, useEditingState } from '../map/editing-state';
import { oneMapErrorData } from '../../../shared/errors';
import { useErrorText } from '../features/errors';

/** How long "已撤销" / "已重做" stays: a notice, not a state (an error stays until the next action). */
const undoNoticeMs = 4000;

/** Undo / redo of the last edits (any kind, a bulk update as one step), from the journal: it survives a restart. */
export function UndoControls() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const workspace = useWorkspace();
  const state = useUndoState(workspace.database);
  const [message, setMessage] = useState<{ text: string; transient: boolean } | null>(null);
  // While a shape is drawn or edited on the map, undo/redo would change the store under it: off.
  const editing = useEditingState().session !== null;

  const layers = useLayers(workspace.database);
  const format = useValueFormat();
  // Named as people know it: the layer's name, the feature's display field or readable code — never its UUID.
  const layerName = (layerId: string) => {
    const layer = layers?.find((candidate) => candidate.id === layerId);
    return layer ? localized(layer.name, format.options.language) : layerId;
  };
  const featureName = (summary: ChangeSummary) => {
    const { layerId, featureId, properties } = summary.firstFeature;
    return format.name(layers?.find((candidate) => candidate.id === layerId), { id: featureId, properties: properties ?? {} });
  };
  const describe = (summary: ChangeSummary | null) =>
    summary
      ? t('undo.describe', { count: summary.entryCount, feature: summary.layer ? `${layerName(summary.layer.layerId)} ${summary.layer.source ?? ''}` : featureName(summary), note: summary.note ?? '' })
      : '';

  const run = async (action: 'undo' | 'redo') => {
    setMessage(null);
    try {
      const done = await (action === 'undo' ? undo : redo)(workspace.database, { author: workspace.identity.deviceId });
      if (done) setMessage({ text: t(action === 'undo' ? 'undo.undone' : 'undo.redone'), transient: true });
    } catch (error) {
      setMessage({ text: t('undo.failed', { reason: errorText(oneMapErrorData(error)) }), transient: false });
    }
  };

  useEffect(() => {
    if (!message?.transient) return;
    const timer = window.setTimeout(() => setMessage(null), undoNoticeMs);
    return () => window.clearTimeout(timer);
  }, [message]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      if (!(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      if (geometryEditingActive() && (key === 'z' || key === 'y')) {
        event.preventDefault();
        return;
      }
      if (key === 'z' && !event.shiftKey) {
        event.preventDefault();
        void run('undo');
      } else if (key === 'y' || (key === 'z' && event.shiftKey)) {
        event.preventDefault();
        void run('redo');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <div className="undo-controls">
      <button type="button" disabled={!state?.canUndo || editing} title={describe(state?.undo ?? null)} onClick={() => void run('undo')}>
        {t('undo.undo')}
      </button>
      <button type="button" disabled={!state?.canRedo || editing} title={describe(state?.redo ?? null)} onClick={() => void run('redo')}>
        {t('undo.redo')}
      </button>
      <span className="undo-message" role="status">
        {message?.text}
      </span>
    </div>
  );
}
