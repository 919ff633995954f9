import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MapView, type MapViewHandle } from '../map/MapView';
import { loadBasemapData, BasemapLoadError, type BasemapData } from '../map/basemap-data';
import type { UiLanguage } from '../../../shared/ipc/app-api';
import { changeLanguage } from './i18n';
import { CountyList } from './CountyList';
import { Legend } from './Legend';
import { currentPlatform } from '../platform';

type LoadState = { kind: 'loading' } | { kind: 'ready'; data: BasemapData } | { kind: 'failed'; file: string; reason: string };

export function App() {
  const { t, i18n } = useTranslation();
  const [load, setLoad] = useState<LoadState>({ kind: 'loading' });
  const [focused, setFocused] = useState<number | null>(null);
  const mapRef = useRef<MapViewHandle>(null);
  const platform = currentPlatform();
  const language = i18n.language as UiLanguage;

  useEffect(() => {
    loadBasemapData().then(
      (data) => setLoad({ kind: 'ready', data }),
      (error: unknown) =>
        setLoad({
          kind: 'failed',
          file: error instanceof BasemapLoadError ? error.file : '',
          reason: error instanceof BasemapLoadError ? error.reason : String(error),
        }),
    );
  }, []);

  const switchLanguage = () => {
    void changeLanguage(language === 'en' ? 'zh-CN' : 'en');
  };

  const focus = (adcode: number | null) => {
    setFocused(adcode);
    mapRef.current?.zoomTo(adcode);
  };

  return (
    <div className="app">
      <header className="app-header">
        <h1>
          {t('app.title')} <small>{t('app.subtitle')}</small>
        </h1>
        <span className="shell-badge" data-testid="shell-kind">
          {t(platform.kind === 'electron' ? 'app.shell.electron' : 'app.shell.web')}
        </span>
        <button type="button" className="language-switch" onClick={switchLanguage} aria-label={t('app.language')}>
          {t('app.switchTo')}
        </button>
      </header>
      <aside className="sidebar">
        {load.kind === 'ready' && (
          <>
            <CountyList counties={load.data.counties} focused={focused} language={language} onFocus={focus} />
            <Legend />
          </>
        )}
      </aside>
      <main className="main">
        {load.kind === 'loading' && <p className="notice">{t('map.loading')}</p>}
        {load.kind === 'failed' && (
          <p className="notice error" role="alert">
            {t('map.loadFailed', { file: load.file, reason: load.reason })}
          </p>
        )}
        {load.kind === 'ready' && <MapView ref={mapRef} data={load.data} language={language} />}
      </main>
    </div>
  );
}
