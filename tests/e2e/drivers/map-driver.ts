// Domain actions on the map, for specs: open OneMap, wait for the map, read what it renders.
import type { Page } from '../helpers/test';
import { AppDriver, openSidebarTab } from './app-driver';

export interface RenderedCounty {
  adcode: number;
  name: string;
}

export class MapDriver {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await new AppDriver(this.page).open();
  }

  /** After a camera move the map settles again: wait until nothing is loading or moving. */
  async waitForIdle(): Promise<void> {
    await new AppDriver(this.page).waitForIdle();
  }

  /** Counties drawn in the county fill layer, by querying rendered features (not just pixels). */
  async renderedCounties(): Promise<RenderedCounty[]> {
    return this.page.evaluate(() => {
      const map = window.__onemap!.map;
      const byAdcode = new Map<number, string>();
      for (const feature of map.queryRenderedFeatures({ layers: ['county-fill'] })) {
        byAdcode.set(Number(feature.properties.adcode), String(feature.properties.name));
      }
      return [...byAdcode].map(([adcode, name]) => ({ adcode, name })).sort((a, b) => a.adcode - b.adcode);
    });
  }

  async renderedLabels(layerId: string): Promise<string[]> {
    return this.page.evaluate((layer) => {
      const map = window.__onemap!.map;
      const texts = new Set<string>();
      for (const feature of map.queryRenderedFeatures({ layers: [layer] })) {
        const layout = map.getLayoutProperty(layer, 'text-field');
        const key = JSON.stringify(layout).includes('nameEn') ? 'nameEn' : 'name';
        texts.add(String(feature.properties[key] ?? feature.properties.name));
      }
      return [...texts].sort();
    }, layerId);
  }

  async renderedFeatureCount(layerId: string): Promise<number> {
    return this.page.evaluate((layer) => window.__onemap!.map.queryRenderedFeatures({ layers: [layer] }).length, layerId);
  }

  async bounds(): Promise<[number, number, number, number]> {
    return this.page.evaluate(() => window.__onemap!.map.getBounds().toArray().flat() as [number, number, number, number]);
  }

  async openTab(name: string): Promise<void> {
    await openSidebarTab(this.page, name);
  }

  async zoomToCounty(name: string): Promise<void> {
    const list = this.page.getByRole('navigation');
    if (!(await list.isVisible())) await this.openTab('县区');
    await list.getByRole('button', { name, exact: true }).click();
    await this.page.waitForFunction(() => window.__onemap?.map.isMoving() === false);
    await this.waitForIdle();
  }

  async cursorReadoutAt(fractionX: number, fractionY: number): Promise<string> {
    const box = await this.page.getByTestId('map').boundingBox();
    if (!box) throw new Error('map has no box');
    await this.page.mouse.move(box.x + box.width * fractionX, box.y + box.height * fractionY);
    return (await this.page.getByTestId('cursor-coordinates').textContent()) ?? '';
  }

  async pointUnder(fractionX: number, fractionY: number): Promise<{ lon: number; lat: number }> {
    return this.page.evaluate(
      ([fx, fy]) => {
        const map = window.__onemap!.map;
        const canvas = map.getCanvas();
        const lngLat = map.unproject([canvas.clientWidth * fx!, canvas.clientHeight * fy!]);
        return { lon: lngLat.lng, lat: lngLat.lat };
      },
      [fractionX, fractionY],
    );
  }

  async switchLanguage(): Promise<void> {
    await this.page.locator('.language-switch').click();
  }
}
