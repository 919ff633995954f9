import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../errors';
import type { BasemapPackageInfo } from '../../../../shared/basemaps/package-info';
import type { BasemapPackagesState } from './use-basemap-packages';
import { useLanguage } from '../../lib/language';
import { localized } from '../../lib/localize';
import { useWorkspace } from '../../lib/workspace';
import './basemap-switcher.css';

function tileTypeLabel(info: BasemapPackageInfo, t: (key: string) => string): string {
  return info.tileType === 'mvt' ? t('basemaps.vector') : t('basemaps.raster');
}

/** 底图: the workspace's own basemap (bundled files, or only its boundaries) or one of the offline packages; add and remove packages. */
export function BasemapSwitcher({ state }: { state: BasemapPackagesState }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { definition } = useWorkspace();
  const [open, setOpen] = useState(false);
  const { packages, activeId, busy, notice } = state;

  return (
    <section className="basemap-switcher" aria-label={t('basemaps.title')} data-testid="basemap-switcher">
      <button type="button" className="basemap-switcher-toggle" aria-expanded={open} onClick={() => setOpen((value) => !value)}>
        {t('basemaps.title')}
      </button>
      {open && (
        <div className="basemap-switcher-panel">
          <fieldset>
            <legend className="visually-hidden">{t('basemaps.title')}</legend>
            <label className="basemap-option">
              <input type="radio" name="basemap" checked={activeId === null} onChange={() => state.select(null)} />
              <span>{t(definition.basemap.kind === 'boundaries' ? 'basemaps.boundariesOnly' : 'basemaps.default', { workspace: localized(definition.name, language) })}</span>
            </label>
            {packages.map((info) => {
              const needsFile = state.needsFile(info.id);
              return (
                <div className="basemap-option" key={info.id} data-testid="basemap-package" data-package-id={info.id}>
                  <label>
                    <input type="radio" name="basemap" checked={activeId === info.id} disabled={needsFile} onChange={() => state.select(info.id)} />
                    <span className="basemap-name">{info.title ?? info.fileName}</span>
                  </label>
                  <span className="basemap-facts">
                    {t('basemaps.facts', { kind: info.kind === 'pmtiles' ? 'PMTiles' : 'MBTiles', type: tileTypeLabel(info, t), min: info.minZoom, max: info.maxZoom })}
                  </span>
                  <span className="basemap-file" title={info.fileName}>
                    {info.fileName}
                  </span>
                  {needsFile && (
                    <button type="button" className="link" onClick={() => state.add()}>
                      {t('basemaps.repick')}
                    </button>
                  )}
                  <button type="button" className="link danger" onClick={() => state.remove(info.id)} aria-label={t('basemaps.removeNamed', { name: info.fileName })}>
                    {t('basemaps.remove')}
                  </button>
                </div>
              );
            })}
          </fieldset>
          <button type="button" className="basemap-add" onClick={() => state.add()} disabled={busy}>
            {busy ? t('basemaps.reading') : t('basemaps.add')}
          </button>
          {notice && (
            <ErrorNotice
              className="notice error"
              error={notice.error}
              lead={notice.kind === 'refused' ? t('basemaps.refused', { file: notice.fileName }) : t('basemaps.failed')}
            />
          )}
          <p className="basemap-hint">{t('basemaps.hint')}</p>
        </div>
      )}
    </section>
  );
}
