import path from 'node:path';
import type { ServedFolders } from './serve-file';

export interface AppLocation {
  /** `app.isPackaged`. */
  readonly isPackaged: boolean;
  /** `app.getAppPath()`: the repo root in development, `resources/app.asar` when packaged. */
  readonly appPath: string;
  /** `process.resourcesPath`: where electron-builder's extraResources land. */
  readonly resourcesPath: string;
}

/**
 * Where app:// finds its files. The renderer build ships inside app.asar; the basemap files ship
 * beside it as extraResources (`resources/geodata`) so large files are read with real file
 * offsets, not through the archive. In development both come from the repository.
 */
export function servedFolders(location: AppLocation): ServedFolders {
  return {
    renderer: path.join(location.appPath, 'dist', 'renderer'),
    geodata: location.isPackaged
      ? path.join(location.resourcesPath, 'geodata')
      : path.join(location.appPath, 'geodata'),
  };
}
