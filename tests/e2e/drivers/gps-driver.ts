// Domain actions for "我的位置": start the position source, read what the control shows and what the
// map draws of the fix (by querying the rendered GPS layers, and map.project for pixels).
import { expect, type Page } from '../helpers/test';
import { AppDriver } from './app-driver';

export type LonLat = [number, number];

export class GpsDriver {
  constructor(readonly page: Page) {}

  /** Opens OneMap and waits until the map is idle. */
  async open(): Promise<void> {
    await new AppDriver(this.page).open();
  }

  get control() {
    return this.page.getByTestId('gps-control');
  }

  get accuracy() {
    return this.control.getByTestId('gps-accuracy');
  }

  get age() {
    return this.control.getByTestId('gps-age');
  }

  get problem() {
    return this.control.getByTestId('gps-problem');
  }

  get follow() {
    return this.control.getByRole('checkbox', { name: '跟随' });
  }

  /** 我的位置 → 开始定位 (the source chosen: 设备定位 unless `source` says otherwise). */
  async start(source: '设备定位' | 'GNSS 接收机' = '设备定位'): Promise<void> {
    await this.control.getByRole('button', { name: '我的位置' }).click();
    await this.control.getByRole('radio', { name: source }).check();
    await this.control.getByRole('button', { name: '开始定位' }).click();
  }

  /** Where the map draws the position dot and how many dots it draws (none before the first fix adds the layer). */
  async renderedDots(): Promise<{ lon: number; lat: number; stale: boolean }[]> {
    return this.page.evaluate(() => {
      const map = window.__onemap!.map;
      if (!map.getLayer('gps:position')) return [];
      return map.queryRenderedFeatures({ layers: ['gps:position'] }).map((feature) => {
        const [lon, lat] = (feature.geometry as { coordinates: number[] }).coordinates;
        return { lon: lon!, lat: lat!, stale: feature.properties.stale === true };
      });
    });
  }

  /** Whether the rendered layer has a feature at the pixel of a map position. */
  async drawnAt(layer: string, position: LonLat): Promise<boolean> {
    return this.page.evaluate(
      ([layerId, lon, lat]) => {
        const map = window.__onemap!.map;
        if (!map.getLayer(layerId as string)) return false;
        return map.queryRenderedFeatures(map.project([lon as number, lat as number]), { layers: [layerId as string] }).length > 0;
      },
      [layer, position[0], position[1]] as const,
    );
  }

  /** The map's centre once it has stopped moving. */
  async settledCentre(): Promise<LonLat> {
    await this.page.waitForFunction(() => window.__onemap?.map.isMoving() === false);
    return this.page.evaluate(() => window.__onemap!.map.getCenter().toArray() as LonLat);
  }

  async zoom(): Promise<number> {
    return this.page.evaluate(() => window.__onemap!.map.getZoom());
  }

  /** Waits until the map is centred on `position` (within `toleranceM` metres) and still. */
  async expectCentredOn(position: LonLat, toleranceM = 1): Promise<void> {
    await expect
      .poll(async () => {
        const centre = await this.settledCentre();
        return metresBetween(centre, position);
      })
      .toBeLessThan(toleranceM);
  }

  /** Drags the map by (dx, dy) pixels from the middle of its canvas, as a user pans. */
  async pan(dx: number, dy: number): Promise<void> {
    const box = await this.page.locator('.maplibregl-canvas').boundingBox();
    if (!box) throw new Error('the map canvas has no box');
    const x = box.x + box.width * 0.6;
    const y = box.y + box.height * 0.4;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + dx, y + dy, { steps: 10 });
    await this.page.mouse.up();
    await this.page.waitForFunction(() => window.__onemap?.map.isMoving() === false);
  }
}

/** Distance in metres on a sphere (good to well under 1 % over a few km, enough for tolerances). */
export function metresBetween(a: LonLat, b: LonLat): number {
  const toRadians = Math.PI / 180;
  const dLat = (b[1] - a[1]) * toRadians;
  const dLon = (b[0] - a[0]) * toRadians * Math.cos(((a[1] + b[1]) / 2) * toRadians);
  return Math.hypot(dLat, dLon) * 6_371_008.8;
}

/** The position `metres` north of `from`. */
export function north(from: LonLat, metres: number): LonLat {
  return [from[0], from[1] + metres / 6_371_008.8 / (Math.PI / 180)];
}
