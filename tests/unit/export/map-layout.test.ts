// The pure layout of an exported map page: paper sizes, page boxes, the scale bar's 1-2-5 lengths,
// the representative fraction, legend entries and their placement, text wrapping.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import layers from '../../../seeds/layers.json';
import type { LayerDefinition } from '../../../shared/model';
import {
  distanceLabel,
  fitLegend,
  legendEntries,
  pageLayout,
  pagePixels,
  pagePoints,
  paperIds,
  placeLegend,
  representativeFraction,
  scaleBar,
  wrapText,
  type LegendEntry,
  type Rect,
} from '../../../renderer/src/features/map-export/layout';
import { statusColors } from '../../../renderer/src/map/planning-layers';

const definitions = ((layers as unknown as { layers?: LayerDefinition[] }).layers ?? (layers as unknown as LayerDefinition[])) as LayerDefinition[];
const layer = (id: string) => definitions.find((definition) => definition.id === id)!;

describe('page sizes', () => {
  test('A4 landscape is 1754 × 1240 px at 150 dpi and 3508 × 2480 at 300; A3 landscape 4961 × 3508 at 300', () => {
    expect(pagePixels('a4-landscape', 150)).toEqual({ width: 1754, height: 1240 });
    expect(pagePixels('a4-landscape', 300)).toEqual({ width: 3508, height: 2480 });
    expect(pagePixels('a4-portrait', 150)).toEqual({ width: 1240, height: 1754 });
    expect(pagePixels('a3-landscape', 300)).toEqual({ width: 4961, height: 3508 });
  });

  test('PDF points: A4 landscape is 841.89 × 595.28', () => {
    const { width, height } = pagePoints('a4-landscape');
    expect(width).toBeCloseTo(841.89, 2);
    expect(height).toBeCloseTo(595.28, 2);
  });

  const inside = (inner: Rect, outer: { width: number; height: number }) =>
    inner.x >= 0 && inner.y >= 0 && inner.x + inner.width <= outer.width && inner.y + inner.height <= outer.height && inner.width > 0 && inner.height > 0;
  const apart = (a: Rect, b: Rect) => a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;

  test.each(paperIds.flatMap((paper) => [150, 300].map((dpi) => [paper, dpi] as const)))('%s at %i dpi: boxes inside the page, none overlapping', (paper, dpi) => {
    const layout = pageLayout(paper, dpi);
    const boxes = [layout.title, layout.map, layout.legend, layout.footer];
    for (const box of boxes) expect(inside(box, layout.page)).toBe(true);
    for (let a = 0; a < boxes.length; a += 1) for (let b = a + 1; b < boxes.length; b += 1) expect(apart(boxes[a]!, boxes[b]!)).toBe(true);
    for (const value of [layout.map.x, layout.map.y, layout.map.width, layout.map.height]) expect(Number.isInteger(value)).toBe(true);
    expect(layout.legendSide).toBe(paper === 'a4-portrait' ? 'bottom' : 'right');
    // The map takes most of the page.
    expect((layout.map.width * layout.map.height) / (layout.page.width * layout.page.height)).toBeGreaterThan(0.5);
  });

  test('doubling the dpi doubles every box (within rounding)', () => {
    const low = pageLayout('a4-landscape', 150);
    const high = pageLayout('a4-landscape', 300);
    expect(Math.abs(high.map.width - 2 * low.map.width)).toBeLessThanOrEqual(3);
    expect(Math.abs(high.map.height - 2 * low.map.height)).toBeLessThanOrEqual(3);
  });
});

describe('scale bar', () => {
  test('the longest 1-2-5 length that fits, in metres below 1 km and kilometres above', () => {
    // 30 m per pixel, 300 px at most: 9 km fits → 5 km.
    expect(scaleBar(30, 300)).toEqual({ metres: 5000, lengthPx: 5000 / 30, label: '5 km' });
    // 1.2 m per pixel, 300 px: 360 m → 200 m.
    expect(scaleBar(1.2, 300)).toEqual({ metres: 200, lengthPx: 200 / 1.2, label: '200 m' });
    // 4 m per pixel, 250 px: exactly 1 km fits.
    expect(scaleBar(4, 250)).toEqual({ metres: 1000, lengthPx: 250, label: '1 km' });
    // 0.004 m per pixel, 200 px: 0.8 m → 0.5 m.
    expect(scaleBar(0.004, 200).label).toBe('0.5 m');
    expect(scaleBar(250, 400).label).toBe('100 km');
  });

  test('for any resolution: a 1-2-5 number that fits, and the next one up would not', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 20_000, noNaN: true }), fc.double({ min: 40, max: 2000, noNaN: true }), (metresPerPixel, maxLength) => {
        const bar = scaleBar(metresPerPixel, maxLength);
        const exponent = Math.floor(Math.log10(bar.metres) + 1e-9);
        const mantissa = Math.round(bar.metres / 10 ** exponent);
        expect([1, 2, 5]).toContain(mantissa);
        expect(bar.lengthPx).toBeLessThanOrEqual(maxLength * (1 + 1e-9));
        const next = mantissa === 1 ? 2 : mantissa === 2 ? 5 : 10;
        expect((next * 10 ** exponent) / metresPerPixel).toBeGreaterThan(maxLength);
        expect(bar.lengthPx * metresPerPixel).toBeCloseTo(bar.metres, 6);
      }),
    );
  });

  test('labels', () => {
    expect(distanceLabel(1)).toBe('1 m');
    expect(distanceLabel(500)).toBe('500 m');
    expect(distanceLabel(1000)).toBe('1 km');
    expect(distanceLabel(20_000)).toBe('20 km');
    expect(distanceLabel(0.2)).toBe('0.2 m');
  });

  test('bad input is refused, not drawn', () => {
    expect(() => scaleBar(0, 100)).toThrow(RangeError);
    expect(() => scaleBar(Number.NaN, 100)).toThrow(RangeError);
    expect(() => scaleBar(10, 0)).toThrow(RangeError);
  });

  test('representative fraction: ground metres per paper metre, three figures', () => {
    // 150 dpi: one pixel is 0.16933 mm on paper; 42.333 m per pixel → 1:250,000.
    expect(representativeFraction(42.333, 150)).toBe(250_000);
    expect(representativeFraction(1.2345, 300)).toBe(14_600);
    expect(representativeFraction(0.05, 96)).toBe(189);
  });
});

describe('legend', () => {
  const basemap = {
    colors: { county: '#8a7f72', city: '#6b4f3a', lake: '#9ccbe8', river: '#5d9cc7', seat: '#3f3f3f' },
    texts: { basemapHeading: '底图', county: '县界', city: '市界', lake: '湖泊', river: '河流', seat: '驻地' },
  };

  test('each visible layer with the statuses its filter shows, in the map colours, then the basemap', () => {
    const wells = layer('wells');
    const parks = layer('pocket-parks');
    const entries = legendEntries(
      [
        { definition: wells, statuses: ['registered', 'sealed'] },
        { definition: parks, statuses: null },
      ],
      'zh-CN',
      basemap,
    );
    const colors = new Map(statusColors(wells));
    expect(entries.slice(0, 3)).toEqual([
      { kind: 'heading', text: '地下水取水井' },
      { kind: 'item', text: '已登记', shape: 'circle', color: colors.get('registered') },
      { kind: 'item', text: '已封填', shape: 'circle', color: colors.get('sealed') },
    ]);
    expect(entries[3]).toEqual({ kind: 'heading', text: '口袋公园' });
    expect(entries.slice(4, 4 + parks.status.states.length).map((entry) => (entry.kind === 'item' ? entry.shape : null))).toEqual(parks.status.states.map(() => 'fill'));
    const tail = entries.slice(4 + parks.status.states.length);
    expect(tail[0]).toEqual({ kind: 'heading', text: '底图' });
    expect(tail.map((entry) => entry.text)).toEqual(['底图', '市界', '县界', '河流', '湖泊', '驻地']);
    expect(tail.find((entry) => entry.text === '湖泊')).toMatchObject({ color: '#9ccbe8', shape: 'fill' });
  });

  test('English names; a layer whose filter shows no status is left out', () => {
    const entries = legendEntries([{ definition: layer('villages'), statuses: [] }, { definition: layer('farmland'), statuses: ['accepted'] }], 'en', basemap);
    expect(entries.slice(0, 2).map((entry) => entry.text)).toEqual(['Farmland projects', layer('farmland').status.states.find((state) => state.value === 'accepted')!.label.en]);
    expect(entries.some((entry) => entry.text === 'Villages')).toBe(false);
  });

  const items = (count: number, headingEvery: number): LegendEntry[] =>
    Array.from({ length: count }, (_, index) => (index % headingEvery === 0 ? { kind: 'heading', text: `h${index}` } : { kind: 'item', text: `i${index}`, shape: 'circle', color: '#000' }));

  test('placement flows down columns, never leaves a heading at the foot of a column, and counts what does not fit', () => {
    const box = { x: 10, y: 20, width: 300, height: 50 };
    // 5 rows of 10 px, 3 columns of 100 px.
    const { placed, omitted } = placeLegend(items(12, 4), box, 10, 100);
    expect(placed[0]).toMatchObject({ x: 10, y: 20 });
    for (const item of placed) {
      expect(item.x + 100).toBeLessThanOrEqual(box.x + box.width);
      expect(item.y + 10).toBeLessThanOrEqual(box.y + box.height);
      if (item.entry.kind === 'heading') expect(item.y).toBeLessThan(box.y + 4 * 10);
    }
    expect(placed.length + omitted).toBe(12);
    const crowded = placeLegend(items(40, 5), box, 10, 100);
    expect(crowded.omitted).toBeGreaterThan(0);
    expect(crowded.placed.length + crowded.omitted).toBe(40);
    expect(crowded.placed.length).toBeLessThanOrEqual(15);
  });
});

describe('wrapping', () => {
  const measure = (text: string) => [...text].length * 10;

  test('between CJK characters and at spaces, never wider than asked', () => {
    const lines = wrapText('数据来源：县界 DataV.GeoAtlas；湖泊 © OpenStreetMap contributors', 160, measure);
    for (const line of lines) expect(measure(line)).toBeLessThanOrEqual(160);
    expect(lines.join('').replace(/\s/g, '')).toBe('数据来源：县界DataV.GeoAtlas；湖泊©OpenStreetMapcontributors');
    expect(lines.length).toBeGreaterThan(3);
    expect(wrapText('短', 100, measure)).toEqual(['短']);
    expect(wrapText('', 100, measure)).toEqual([]);
  });

  test('a word longer than the line stands alone rather than being lost', () => {
    expect(wrapText('a Supercalifragilistic b', 50, measure)).toEqual(['a', 'Supercalifragilistic', 'b']);
  });
});

describe('legend fitting', () => {
  const entries = (count: number): LegendEntry[] =>
    Array.from({ length: count }, (_, index) => (index % 5 === 0 ? { kind: 'heading', text: `h${index}` } : { kind: 'item', text: `i${index}`, shape: 'fill', color: '#000' }));
  const box = { x: 0, y: 0, width: 200, height: 100 };

  test('one column at full size when it fits', () => {
    expect(fitLegend(entries(8), box, 10, [200, 100])).toMatchObject({ omitted: 0, scale: 1, columnWidth: 200 });
  });

  test('two columns before smaller lines; smaller lines before leaving entries out', () => {
    expect(fitLegend(entries(18), box, 10, [200, 100])).toMatchObject({ omitted: 0, scale: 1, columnWidth: 100 });
    const crowded = fitLegend(entries(24), box, 10, [200, 100]);
    expect(crowded).toMatchObject({ omitted: 0, columnWidth: 100 });
    expect(crowded.scale).toBeLessThan(1);
  });

  test('too many for any size: the fewest left out, and the count says how many', () => {
    const result = fitLegend(entries(80), box, 10, [200, 100]);
    expect(result.omitted).toBeGreaterThan(0);
    expect(result.placed.length + result.omitted).toBe(80);
    expect(result.scale).toBe(0.72);
  });
});

test('closing punctuation never starts a line', () => {
  const measure = (text: string) => [...text].length * 10;
  const lines = wrapText('一二三四五，六七', 50, measure);
  expect(lines[0]).toBe('一二三四五，');
  expect(lines.every((line) => !/^[，。；：]/.test(line))).toBe(true);
});
