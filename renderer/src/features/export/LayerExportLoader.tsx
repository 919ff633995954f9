// Opens the layer export dialog once the layer's features are at hand: a small layer's at once, a
// large layer's read while this dialog is open (a loading notice meanwhile).
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { LayerDefinition } from '../../../../shared/model';
import { useLayerFeatures } from '../../lib/layer-features';
import { featuresShown, type LayerSettings } from '../../lib/layer-state';
import { LayerExportDialog } from './LayerExportDialog';

export interface LayerExportLoaderProps {
  layer: LayerDefinition;
  /** The layer panel's filters, and the focused county: what "shown" means. */
  settings: LayerSettings;
  county: number | null;
  onClose(): void;
}

export function LayerExportLoader({ layer, settings, county, onClose }: LayerExportLoaderProps) {
  const { t } = useTranslation();
  const layerIds = useMemo(() => [layer.id], [layer.id]);
  const all = useLayerFeatures(layerIds).features.get(layer.id);
  const shown = useMemo(() => (all === undefined ? [] : featuresShown(all, settings, county)), [all, settings, county]);
  if (all === undefined) {
    return (
      <div className="dialog-backdrop">
        <div className="dialog layer-export-dialog" role="dialog" aria-modal="true" aria-label={t('layerExport.heading')}>
          <p role="status">{t('layerExport.loading')}</p>
          <div className="dialog-buttons">
            <button type="button" onClick={onClose}>
              {t('layerExport.close')}
            </button>
          </div>
        </div>
      </div>
    );
  }
  return <LayerExportDialog layer={layer} features={all} shown={shown} onClose={onClose} />;
}
