import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LayerDefinition } from '../../../../shared/model';
import type { CountyArea } from './worker/import-client';
import type { ImportWizardMap } from './ImportWizard';
import { afterMapDrawn } from '../../lib/first-draw';
import './import-wizard.css';

export interface ImportLauncherProps {
  layers: readonly LayerDefinition[];
  /** The map's handle (a getter: the handle appears after the map is built). */
  map: () => ImportWizardMap | null;
  counties: readonly CountyArea[];
}

// The wizard (its readers, CRS handling and preview) is not in the start-up code: it loads after
// the map's first draw (so it opens at once, also when the hub that served the app is gone).
const loadWizard = () => import('./ImportWizard');
const ImportWizard = lazy(() => loadWizard().then((module) => ({ default: module.ImportWizard })));
void afterMapDrawn().then(loadWizard);

const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');
const onMap = (event: DragEvent) => event.target instanceof Element && event.target.closest('.main') !== null;

/** The 导入 / Import button, and a file dropped on the map opens the wizard with that file. */
export function ImportLauncher({ layers, map, counties }: ImportLauncherProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [dropped, setDropped] = useState<File | null>(null);

  useEffect(() => {
    const over = (event: DragEvent) => {
      if (hasFiles(event) && onMap(event)) event.preventDefault();
    };
    const drop = (event: DragEvent) => {
      if (!hasFiles(event) || !onMap(event)) return;
      event.preventDefault();
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      setDropped(file);
      setOpen(true);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);

  return (
    <>
      <button type="button" className="import-launch" title={t('importWizard.openHint')} onClick={() => setOpen(true)} disabled={open}>
        {t('importWizard.open')}
      </button>
      {open && (
        <Suspense fallback={null}>
          <ImportWizard
            key={dropped ? `${dropped.name}:${dropped.lastModified}:${dropped.size}` : 'button'}
            layers={layers}
            map={map()}
            counties={counties}
            initialFile={dropped}
            onClose={() => {
              setOpen(false);
              setDropped(null);
            }}
          />
        </Suspense>
      )}
    </>
  );
}
