import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LayerDefinition } from '../../../../shared/model';
import { deleteLayer, layerDeletionRefusal, renameLayer, type LayerDeletionRefusal } from '../../db';
import { oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';
import { ErrorNotice, useErrorText } from '../errors';
import { localized } from '../../lib/localize';
import { useWorkspace } from '../../lib/workspace';
import { useLanguage } from '../../lib/language';

type MenuState =
  | { kind: 'closed' }
  | { kind: 'open' }
  | { kind: 'renaming'; zh: string; en: string; problem: string | null }
  | { kind: 'confirming' }
  | { kind: 'refused'; refusal: LayerDeletionRefusal }
  | { kind: 'failed'; error: OneMapErrorData };

/** A layer's small menu in the layer panel: rename (zh and en) and delete, each one undoable change. */
/** `featureCount`: null while a large layer is still being counted. */
export function LayerMenu({ layer, featureCount }: { layer: LayerDefinition; featureCount: number | null }) {
  const language = useLanguage();
  const { t } = useTranslation();
  const { database, identity } = useWorkspace();
  const [state, setState] = useState<MenuState>({ kind: 'closed' });
  const name = localized(layer.name, language);
  const errorText = useErrorText();

  const askDelete = async () => {
    try {
      const refusal = await layerDeletionRefusal(database, layer.id);
      setState(refusal === null ? { kind: 'confirming' } : { kind: 'refused', refusal });
    } catch (error) {
      setState({ kind: 'failed', error: oneMapErrorData(error) });
    }
  };
  const remove = async () => {
    try {
      await deleteLayer(database, { layerId: layer.id, author: identity.deviceId });
      // The layer (and this menu with it) goes away once the store reports the change.
    } catch (error) {
      setState({ kind: 'failed', error: oneMapErrorData(error) });
    }
  };
  const rename = async (event: FormEvent) => {
    event.preventDefault();
    if (state.kind !== 'renaming') return;
    if (state.zh.trim() === '' || state.en.trim() === '') {
      setState({ ...state, problem: t('layerMenu.nameRequired') });
      return;
    }
    try {
      await renameLayer(database, { layerId: layer.id, name: { zh: state.zh, en: state.en }, author: identity.deviceId });
      setState({ kind: 'closed' });
    } catch (error) {
      setState({ ...state, problem: t('layerMenu.failed', { reason: errorText(oneMapErrorData(error)) }) });
    }
  };

  return (
    <div className="layer-menu">
      <button
        type="button"
        className="icon"
        aria-label={t('layerMenu.open', { name })}
        aria-expanded={state.kind !== 'closed'}
        onClick={() => setState(state.kind === 'closed' ? { kind: 'open' } : { kind: 'closed' })}
      >
        ⋯
      </button>
      {state.kind === 'open' && (
        <div className="layer-menu-items" role="menu">
          <button type="button" role="menuitem" className="link" onClick={() => setState({ kind: 'renaming', zh: layer.name.zh, en: layer.name.en, problem: null })}>
            {t('layerMenu.rename')}
          </button>
          <button type="button" role="menuitem" className="link" onClick={() => void askDelete()}>
            {t('layerMenu.delete')}
          </button>
        </div>
      )}
      {state.kind === 'renaming' && (
        <form className="layer-rename" aria-label={t('layerMenu.renameHeading', { name })} onSubmit={(event) => void rename(event)}>
          <label className="field">
            <span>{t('layerMenu.nameZh')}</span>
            <input value={state.zh} maxLength={200} onChange={(event) => setState({ ...state, zh: event.target.value, problem: null })} />
          </label>
          <label className="field">
            <span>{t('layerMenu.nameEn')}</span>
            <input value={state.en} maxLength={200} onChange={(event) => setState({ ...state, en: event.target.value, problem: null })} />
          </label>
          {state.problem !== null && (
            <p className="problem" role="alert">
              {state.problem}
            </p>
          )}
          <button type="submit">{t('layerMenu.save')}</button>
          <button type="button" onClick={() => setState({ kind: 'closed' })}>
            {t('layerMenu.cancel')}
          </button>
        </form>
      )}
      {state.kind === 'confirming' && (
        <div className="confirm-delete" role="alertdialog" aria-label={t('layerMenu.delete')}>
          <p>{featureCount === null ? t('layerMenu.confirmDeleteCounting', { name }) : t('layerMenu.confirmDelete', { name, count: featureCount })}</p>
          <button type="button" onClick={() => void remove()}>
            {t('layerMenu.confirmYes')}
          </button>
          <button type="button" onClick={() => setState({ kind: 'closed' })}>
            {t('layerMenu.cancel')}
          </button>
        </div>
      )}
      {state.kind === 'refused' && (
        <p className="problem" role="alert">
          {state.refusal.reason === 'targets'
            ? t('layerMenu.refusedTargets', { name, count: state.refusal.targetIds.length })
            : state.refusal.reason === 'seeded'
              ? t('layerMenu.refusedSeeded', { name })
              : t('layerMenu.refusedConflicts', { name, count: state.refusal.featureIds.length })}
        </p>
      )}
      {state.kind === 'failed' && (
        <ErrorNotice className="problem" error={state.error} frame={(reason) => t('layerMenu.failed', { reason })} />
      )}
    </div>
  );
}
