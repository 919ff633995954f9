import { useCallback, useEffect, useMemo, useState } from 'react';
import type { BasemapPackageInfo } from '../../../../shared/basemaps/package-info';
import { oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';
import type { ActiveBasemapPackage, BasemapPackageTiles, BasemapSelection } from '../../map/basemap-packages';
import { currentPlatform } from '../../platform';
import { webBasemapPackageFile } from '../../platform/web-basemap-packages';

const activeKey = 'onemap.basemap.active';

export type BasemapNotice =
  | { readonly kind: 'refused'; readonly fileName: string; readonly error: OneMapErrorData }
  | { readonly kind: 'failed'; readonly error: OneMapErrorData }
  | null;

export interface BasemapPackagesState {
  readonly packages: readonly BasemapPackageInfo[];
  /** null = the workspace's own basemap (bundled, or its boundaries). */
  readonly activeId: string | null;
  readonly busy: boolean;
  readonly notice: BasemapNotice;
  /** For the map: the active package's tiles and every package's outline. */
  readonly selection: BasemapSelection;
  /** Web shell: the package's file was not picked since the page loaded (re-pick it to use it). */
  needsFile(id: string): boolean;
  add(): void;
  remove(id: string): void;
  select(id: string | null): void;
}

function readActive(): string | null {
  try {
    return window.localStorage.getItem(activeKey);
  } catch {
    return null;
  }
}

function writeActive(id: string | null): void {
  try {
    if (id === null) window.localStorage.removeItem(activeKey);
    else window.localStorage.setItem(activeKey, id);
  } catch {
    // Storage unavailable: the choice lasts for this page only.
  }
}

/** Where a package's tiles come from in this shell; null when the web shell has no file for it. */
function tilesOf(info: BasemapPackageInfo): BasemapPackageTiles | null {
  const platform = currentPlatform();
  if (platform.kind === 'electron') {
    const url = `app://onemap/basemaps/${info.id}`;
    return info.kind === 'pmtiles' ? { kind: 'pmtiles-url', url } : { kind: 'xyz', template: `${url}/{z}/{x}/{y}` };
  }
  const file = webBasemapPackageFile(info.id);
  if (!file) return null;
  return info.kind === 'pmtiles' ? { kind: 'pmtiles-file', file } : { kind: 'mbtiles-worker' };
}

export function useBasemapPackages(): BasemapPackagesState {
  const api = currentPlatform().api;
  const [packages, setPackages] = useState<readonly BasemapPackageInfo[]>([]);
  const [activeId, setActiveId] = useState<string | null>(readActive);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<BasemapNotice>(null);
  // Bumped when the web shell gets a file, so `tilesOf` is asked again.
  const [filesVersion, setFilesVersion] = useState(0);

  useEffect(() => {
    let cancelled = false;
    api
      .listBasemapPackages()
      .then((list) => {
        if (!cancelled) setPackages(list);
      })
      .catch((error: unknown) => {
        if (!cancelled) setNotice({ kind: 'failed', error: oneMapErrorData(error) });
      });
    return () => {
      cancelled = true;
    };
  }, [api]);

  const select = useCallback((id: string | null) => {
    setActiveId(id);
    writeActive(id);
  }, []);

  const add = useCallback(() => {
    setNotice(null);
    setBusy(true);
    // Called straight from the click: the web shell's file picker needs the user's gesture.
    api
      .addBasemapPackage()
      .then((result) => {
        if (result.status === 'refused') {
          setNotice({ kind: 'refused', fileName: result.fileName, error: { code: result.code, details: { file: result.fileName, technical: result.reason } } });
          return;
        }
        if (result.status === 'cancelled') return;
        const added = result.package;
        setPackages((current) => (current.some((info) => info.id === added.id) ? current.map((info) => (info.id === added.id ? added : info)) : [...current, added]));
        setFilesVersion((version) => version + 1);
        select(added.id);
      })
      .catch((error: unknown) => setNotice({ kind: 'failed', error: oneMapErrorData(error) }))
      .finally(() => setBusy(false));
  }, [api, select]);

  const remove = useCallback(
    (id: string) => {
      setNotice(null);
      api
        .removeBasemapPackage(id)
        .then(() => {
          setPackages((current) => current.filter((info) => info.id !== id));
          if (activeId === id) select(null);
        })
        .catch((error: unknown) => setNotice({ kind: 'failed', error: oneMapErrorData(error) }));
    },
    [api, activeId, select],
  );

  const selection = useMemo<BasemapSelection>(() => {
    void filesVersion;
    const info = packages.find((candidate) => candidate.id === activeId);
    const tiles = info ? tilesOf(info) : null;
    const active: ActiveBasemapPackage | null = info && tiles ? { info, tiles } : null;
    return { active, outlines: packages };
  }, [packages, activeId, filesVersion]);

  const needsFile = useCallback(
    (id: string) => {
      void filesVersion;
      const info = packages.find((candidate) => candidate.id === id);
      return info ? tilesOf(info) === null : false;
    },
    [packages, filesVersion],
  );

  return { packages, activeId: selection.active ? activeId : null, busy, notice, selection, needsFile, add, remove, select };
}
