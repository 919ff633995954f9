// The basemap switcher, for specs: add packages through the file picker, switch, read what the map draws.
import { expect, type Page } from '../helpers/test';
import { AppDriver } from './app-driver';

export interface PickedFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export class BasemapPackagesDriver {
  constructor(readonly page: Page) {}

  /** Opens OneMap and waits for the map to be idle, and for every tile of the basemap's sources. */
  async openApp(): Promise<void> {
    await this.page.goto('./');
    await this.waitForIdle();
  }

  async waitForIdle(): Promise<void> {
    await new AppDriver(this.page).waitForMapState();
    await this.waitForTiles();
  }

  get switcher() {
    return this.page.getByTestId('basemap-switcher');
  }

  async openSwitcher(): Promise<void> {
    const toggle = this.switcher.getByRole('button', { name: /^(底图|Basemap)$/ });
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  }

  /** Clicks 添加底图包 and answers the browser's file chooser with a fixture path or bytes. */
  async add(file: string | PickedFile): Promise<void> {
    await this.openSwitcher();
    const chooser = this.page.waitForEvent('filechooser');
    await this.switcher.getByRole('button', { name: /添加底图包|Add basemap package/ }).click();
    await (await chooser).setFiles(file);
  }

  packageRow(text: string) {
    return this.switcher.getByTestId('basemap-package').filter({ hasText: text });
  }

  async select(label: string | RegExp): Promise<void> {
    await this.openSwitcher();
    await this.switcher.getByRole('radio', { name: label }).check();
  }

  /** Ids of the package outlines drawn on the map, with whether each is the active one. */
  async renderedOutlines(): Promise<Array<{ packageId: string; active: boolean }>> {
    return this.page.evaluate(() => {
      const map = window.__onemap!.map;
      if (!map.getLayer('basemap-package-outline')) return [];
      const seen = new Map<string, boolean>();
      for (const feature of map.queryRenderedFeatures({ layers: ['basemap-package-outline'] })) {
        seen.set(String(feature.properties.packageId), Boolean(feature.properties.active));
      }
      return [...seen].map(([packageId, active]) => ({ packageId, active })).sort((a, b) => a.packageId.localeCompare(b.packageId));
    });
  }

  /** Rendered features of the package's own layers: source-layer → sorted distinct `name`s. */
  async renderedPackageFeatures(): Promise<Record<string, string[]>> {
    return this.page.evaluate(() => {
      const map = window.__onemap!.map;
      const layers = map.getStyle().layers.filter((layer) => layer.id.startsWith('basemap-package-') && layer.id !== 'basemap-package-outline').map((layer) => layer.id);
      const bySourceLayer: Record<string, Set<string>> = {};
      for (const feature of layers.length ? map.queryRenderedFeatures({ layers }) : []) {
        const names = (bySourceLayer[feature.sourceLayer ?? ''] ??= new Set());
        names.add(String(feature.properties.name ?? ''));
      }
      return Object.fromEntries(Object.entries(bySourceLayer).map(([layer, names]) => [layer, [...names].sort()]));
    });
  }

  /** Style layer ids, bottom to top. */
  async layerOrder(): Promise<string[]> {
    return this.page.evaluate(() => window.__onemap!.map.getStyle().layers.map((layer) => layer.id));
  }

  /**
   * Pixels of the drawn frame whose colour is within 3 of one of `colours` (RGB), read from the
   * WebGL drawing buffer inside a render event (the only time it is defined).
   */
  async countPixels(colours: ReadonlyArray<readonly [number, number, number]>): Promise<number> {
    return this.page.evaluate(
      (wanted) =>
        new Promise<number>((resolve) => {
          const map = window.__onemap!.map;
          map.once('render', () => {
            const gl = map.getCanvas().getContext('webgl2') ?? map.getCanvas().getContext('webgl');
            if (!gl) return resolve(-1);
            const { drawingBufferWidth: width, drawingBufferHeight: height } = gl;
            const pixels = new Uint8Array(width * height * 4);
            gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
            let count = 0;
            for (let index = 0; index < pixels.length; index += 4) {
              const [r, g, b] = [pixels[index]!, pixels[index + 1]!, pixels[index + 2]!];
              if (wanted.some(([wr, wg, wb]) => Math.abs(r - wr) <= 3 && Math.abs(g - wg) <= 3 && Math.abs(b - wb) <= 3)) count += 1;
            }
            resolve(count);
          });
          map.triggerRepaint();
        }),
      colours as Array<[number, number, number]>,
    );
  }

  async waitForTiles(): Promise<void> {
    await this.page.waitForFunction(
      () => {
        const map = window.__onemap?.map;
        return Boolean(map && map.loaded() && !map.isMoving() && map.areTilesLoaded());
      },
      undefined,
      { timeout: 60_000 },
    );
  }

  async expectAlertNaming(fileName: string): Promise<void> {
    await expect(this.switcher.getByRole('alert')).toContainText(fileName);
  }
}
