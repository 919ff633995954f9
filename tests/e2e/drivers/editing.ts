// Domain actions for geometry editing in the app: new features drawn on the map with their form,
// "edit geometry" / "delete feature" in the feature panel, and reads of what the store holds.
// Map positions are [longitude, latitude]; the pixel for one is computed with map.project on the
// live map (window.__onemap), never hard-coded.
import { expect, type Page } from '../helpers/test';
import { AppDriver, openSidebarTab } from './app-driver';
import { StoreProbe, type ProbeFeature } from './store-probe';

export type LonLat = [number, number];
export interface Pixel {
  x: number;
  y: number;
}

/** A feature as the store holds it (the per-feature edit row's value). */
export type StoredFeature = ProbeFeature;

export class EditingDriver {
  constructor(readonly page: Page) {}

  get panel() {
    return this.page.locator('.feature-panel');
  }

  get status() {
    return this.page.getByTestId('editing-status');
  }

  get problem() {
    return this.page.getByTestId('editing-problem');
  }

  newFeatureDialog(layerName: string) {
    return this.page.getByRole('dialog', { name: `新建要素：${layerName}` });
  }

  /** Opens OneMap and waits until the map and every planning layer are drawn (slow on a busy machine: the first start seeds the store). */
  async open(): Promise<void> {
    await new AppDriver(this.page).open();
  }

  async waitForIdle(): Promise<void> {
    await new AppDriver(this.page).waitForIdle();
  }

  /** Moves the camera (as zooming in would) and waits until the map has drawn the new view. */
  async view(center: LonLat, zoom: number): Promise<void> {
    await this.page.evaluate(
      ([lon, lat, level]) =>
        new Promise<void>((resolve) => {
          const map = window.__onemap!.map;
          map.once('idle', () => resolve());
          map.jumpTo({ center: [lon!, lat!], zoom: level! });
        }),
      [center[0], center[1], zoom] as const,
    );
  }

  /**
   * A place inside Hengshui where no planning feature is drawn within `radius` pixels (so clicks
   * there hit, and snap to, nothing). The place is at `at` (fractions of the map's width and
   * height; left of centre by default, clear of the feature panel on the right). Tries candidates
   * around the city at `zoom` and leaves the map there.
   */
  async emptySpot(zoom: number, radius: number, at: { fx: number; fy: number } = { fx: 0.33, fy: 0.5 }): Promise<LonLat> {
    for (let ring = 0; ring < 6; ring += 1) {
      for (let step = 0; step < Math.max(1, ring * 6); step += 1) {
        const angle = (step / Math.max(1, ring * 6)) * 2 * Math.PI;
        const candidate: LonLat = [115.52 + ring * 0.02 * Math.cos(angle), 37.62 + ring * 0.015 * Math.sin(angle)];
        await this.view(candidate, zoom);
        const found = await this.page.evaluate(
          ({ size, fx, fy }) => {
            const map = window.__onemap!.map;
            const layers = map.getStyle().layers.filter((layer) => layer.id.startsWith('planning:')).map((layer) => layer.id);
            const canvas = map.getCanvas();
            const x = canvas.clientWidth * fx;
            const y = canvas.clientHeight * fy;
            const busy = map.queryRenderedFeatures([[x - size, y - size], [x + size, y + size]], { layers }).length > 0;
            const { lng, lat } = map.unproject([x, y]);
            return busy ? null : ([lng, lat] as [number, number]);
          },
          { size: radius, ...at },
        );
        if (found) return found;
      }
    }
    throw new Error(`no empty spot of ${radius} px found at zoom ${zoom}`);
  }

  async zoom(): Promise<number> {
    return this.page.evaluate(() => window.__onemap!.map.getZoom());
  }

  /** Page pixel (rounded to whole CSS pixels, as a mouse clicks) of a map position. */
  async pixelOf(position: LonLat): Promise<Pixel> {
    return this.page.evaluate(([lon, lat]) => {
      const map = window.__onemap!.map;
      const point = map.project([lon!, lat!]);
      const box = map.getCanvas().getBoundingClientRect();
      return { x: Math.round(box.left + point.x), y: Math.round(box.top + point.y) };
    }, position);
  }

  /** The map position under a page pixel. */
  async positionAt(pixel: Pixel): Promise<LonLat> {
    return this.page.evaluate(({ x, y }) => {
      const map = window.__onemap!.map;
      const box = map.getCanvas().getBoundingClientRect();
      const { lng, lat } = map.unproject([x - box.left, y - box.top]);
      return [lng, lat] as LonLat;
    }, pixel);
  }

  async clickAt(pixel: Pixel): Promise<void> {
    await this.page.mouse.move(pixel.x, pixel.y, { steps: 2 });
    await this.page.mouse.click(pixel.x, pixel.y);
  }

  async doubleClickAt(pixel: Pixel): Promise<void> {
    await this.page.mouse.move(pixel.x, pixel.y, { steps: 2 });
    await this.page.mouse.dblclick(pixel.x, pixel.y);
  }

  async drag(from: Pixel, to: Pixel, steps = 12): Promise<void> {
    await this.page.mouse.move(from.x, from.y, { steps: 2 });
    await this.page.mouse.down();
    await this.page.mouse.move(to.x, to.y, { steps });
    await this.page.mouse.up();
  }

  /** 新建要素 → the layer (by its Chinese name): the map is then in drawing mode. */
  async startNewFeature(layerName: string): Promise<void> {
    await this.page.getByRole('button', { name: '新建要素', exact: true }).click();
    await this.page.getByRole('group', { name: '在哪个图层新建？' }).getByRole('button', { name: new RegExp(`^${layerName}（`) }).click();
    await expect(this.status.getByRole('status')).toBeVisible();
  }

  /** Clicks every vertex but the last, double-clicks the last: the drawing finishes and the form opens. */
  async drawShape(pixels: readonly Pixel[]): Promise<void> {
    for (const pixel of pixels.slice(0, -1)) await this.clickAt(pixel);
    await this.doubleClickAt(pixels[pixels.length - 1]!);
  }

  /** Fills the open new-feature form by field label (a select gets its option's label). */
  async fillForm(layerName: string, values: Record<string, string>): Promise<void> {
    const dialog = this.newFeatureDialog(layerName);
    for (const [label, value] of Object.entries(values)) {
      const control = dialog.getByLabel(label, { exact: true });
      if ((await control.evaluate((element) => element.tagName)) === 'SELECT') await control.selectOption({ label: value });
      else await control.fill(value);
    }
  }

  /** Saves the form; resolves with the new feature's id once its panel is open. */
  async saveForm(layerName: string): Promise<string> {
    await this.newFeatureDialog(layerName).getByRole('button', { name: '保存要素' }).click();
    await expect(this.newFeatureDialog(layerName)).toBeHidden();
    await expect(this.panel).toHaveAttribute('data-feature-id', /.+/);
    return (await this.panel.getAttribute('data-feature-id'))!;
  }

  /** Draws a polygon on a layer, fills the form and saves: the new feature's id. */
  async createPolygon(layerName: string, corners: readonly LonLat[], values: Record<string, string>): Promise<string> {
    await this.startNewFeature(layerName);
    await this.drawShape(await Promise.all(corners.map((corner) => this.pixelOf(corner))));
    await expect(this.newFeatureDialog(layerName)).toBeVisible();
    await this.fillForm(layerName, values);
    return this.saveForm(layerName);
  }

  /** 编辑图形 in the open feature panel: the map is then editing the feature's shape. */
  async startEditingGeometry(): Promise<void> {
    await this.panel.getByRole('button', { name: '编辑图形' }).click();
    await expect(this.status.getByRole('status')).toContainText('拖动顶点');
  }

  /** Features of a planning layer the map draws with this id (0 while it is hidden for an edit). */
  async renderedCount(layerId: string, featureId: string): Promise<number> {
    return this.page.evaluate(
      ([layer, id]) => {
        const map = window.__onemap!.map;
        const layers = map.getStyle().layers.filter((style) => style.id.startsWith(`planning:${layer}:`)).map((style) => style.id);
        return map.queryRenderedFeatures({ layers }).filter((feature) => feature.properties.featureId === id).length;
      },
      [layerId, featureId] as const,
    );
  }

  /** The journal's size, read from IndexedDB (not through the app). */
  async journalCount(): Promise<number> {
    return new StoreProbe(this.page).count('journal');
  }

  /** The feature's value in its edit row (null when deleted or never edited). */
  async storedFeature(layerId: string, featureId: string): Promise<StoredFeature | null> {
    return new StoreProbe(this.page).editedFeature<StoredFeature>(layerId, featureId);
  }

  /** Opens a feature's panel through the layer panel's search (by id or name). */
  async openFromSearch(query: string, featureId: string): Promise<void> {
    await openSidebarTab(this.page, '图层');
    await this.page.getByLabel('按编号或名称搜索').fill(query);
    // A result reads "<code> · <name>"; a feature drawn here has a readable code, not its id.
    await this.page.locator('.search-results').getByRole('button', { name: query }).first().click();
    await expect(this.page.locator(`.feature-panel[data-feature-id="${featureId}"]`)).toBeVisible();
  }

  /** The value shown next to a field's label in the feature panel. */
  attribute(label: string) {
    return this.panel.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]');
  }
}
