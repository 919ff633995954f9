// The feature panel's "编辑图形 / Edit geometry" and "删除要素 / Delete feature".
// Edit: the map's editor reshapes a copy; Enter / double-click / 完成 saves it as ONE change (an
// `update-geometry`, with the county too when the shape moved into another one); Esc / 取消 writes
// nothing, and neither does a finish that left the shape as it was. Delete asks first; the store
// detaches the photos in the same change, and undo brings both back.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Feature, LayerDefinition } from '../../../../shared/model';
import type { FeatureOperation } from '../../db';
import { useTransact } from '../../lib/use-transact';
import { oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';
import { ErrorNotice, useErrorText } from '../errors';
import { editableOnMap } from '../../map/editing-state';
import { countyOfGeometry, useGeometryEditing } from './editing-context';
import { sameShape } from './same-shape';
import './editing.css';

type ShapeState =
  | { kind: 'idle' | 'editing' | 'saving' | 'saved' | 'unchanged' | 'cancelled' }
  | { kind: 'failed'; error: OneMapErrorData };
type DeleteState = { kind: 'idle' | 'confirming' | 'deleting' } | { kind: 'failed'; error: OneMapErrorData };

export function FeatureActions({ layer, feature, onDeleted }: { layer: LayerDefinition; feature: Feature; onDeleted(): void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const transact = useTransact();
  const editing = useGeometryEditing();
  const [shape, setShape] = useState<ShapeState>({ kind: 'idle' });
  const [removal, setRemoval] = useState<DeleteState>({ kind: 'idle' });
  const mounted = useRef(true);
  /** Ends this panel's edit in progress, while there is one. */
  const cancelOwnEdit = useRef<(() => void) | null>(null);

  // Leaving the panel (closed, another feature picked) ends its edit in progress without saving.
  useEffect(() => {
    mounted.current = true;
    const cancel = cancelOwnEdit;
    return () => {
      mounted.current = false;
      cancel.current?.();
    };
  }, []);

  const editShape = async () => {
    if (!editing) return;
    const before = feature;
    setRemoval({ kind: 'idle' });
    setShape({ kind: 'editing' });
    cancelOwnEdit.current = () => editing.cancelGeometryEditing();
    let geometry;
    try {
      geometry = await editing.editGeometry(before.geometry, { layerId: layer.id, featureId: before.id });
    } catch (error) {
      if (mounted.current) setShape({ kind: 'failed', error: oneMapErrorData(error) });
      return;
    } finally {
      cancelOwnEdit.current = null;
    }
    if (!mounted.current) return;
    if (geometry === null) return setShape({ kind: 'cancelled' });
    if (sameShape(geometry, before.geometry)) return setShape({ kind: 'unchanged' });
    const county = countyOfGeometry(editing, geometry);
    const operations: FeatureOperation[] = [{ kind: 'update-geometry', layerId: layer.id, featureId: before.id, geometry }];
    if (county !== before.county) operations.push({ kind: 'update', layerId: layer.id, featureId: before.id, county });
    setShape({ kind: 'saving' });
    try {
      await transact({ operations });
      if (mounted.current) setShape({ kind: 'saved' });
    } catch (error) {
      if (mounted.current) setShape({ kind: 'failed', error: oneMapErrorData(error) });
    }
  };

  const remove = async () => {
    setRemoval({ kind: 'deleting' });
    try {
      await transact({ operations: [{ kind: 'delete', layerId: layer.id, featureId: feature.id }] });
      if (mounted.current) setRemoval({ kind: 'idle' });
      onDeleted();
    } catch (error) {
      if (mounted.current) setRemoval({ kind: 'failed', error: oneMapErrorData(error) });
    }
  };

  const busy = shape.kind === 'editing' || shape.kind === 'saving';
  const multiPart = !editableOnMap(feature.geometry);
  return (
    <div className="feature-editing">
      <button type="button" className="link" disabled={!editing || multiPart || busy} title={multiPart ? t('editing.problem.multi-part') : undefined} onClick={() => void editShape()}>
        {t('editing.editGeometry')}
      </button>
      <button type="button" className="link" disabled={busy || removal.kind === 'deleting'} onClick={() => setRemoval({ kind: 'confirming' })}>
        {t('editing.deleteFeature')}
      </button>
      <span className="save-state" role="status" data-testid="geometry-state">
        {shape.kind === 'idle' ? '' : shape.kind === 'failed' ? t('editing.geometry.failed', { reason: errorText(shape.error) }) : t(`editing.geometry.${shape.kind}`)}
        {removal.kind === 'deleting' && t('editing.delete.deleting')}
      </span>
      {removal.kind === 'failed' && (
        <ErrorNotice className="problem" error={removal.error} frame={(reason) => t('editing.delete.failed', { reason })} />
      )}
      {removal.kind === 'confirming' && (
        <div className="confirm-delete" role="alertdialog" aria-label={t('editing.deleteFeature')}>
          <p>{t('editing.delete.confirm')}</p>
          <button type="button" onClick={() => void remove()}>
            {t('editing.delete.yes')}
          </button>
          <button type="button" onClick={() => setRemoval({ kind: 'idle' })}>
            {t('editing.delete.no')}
          </button>
        </div>
      )}
    </div>
  );
}
