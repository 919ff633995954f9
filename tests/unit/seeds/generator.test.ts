import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocateProportionally } from '../../../seeds/generator/allocate';
import { RandomStream } from '../../../seeds/generator/random';
import { serializeDemoLayer } from '../../../seeds/generator/serialize';
import { villageName, isVillageCommittee } from '../../../seeds/generator/villages';

describe('allocateProportionally', () => {
  it('splits 1,285 as 3 : 1 × 10 exactly', () => {
    const weights = new Map([[131102, 3], ...[131103, 131121, 131122, 131123, 131124, 131125, 131126, 131127, 131128, 131182].map((code) => [code, 1] as [number, number])]);
    const counts = allocateProportionally(1285, weights);
    expect(counts.get(131102)).toBe(296); // 1285 × 3/13 = 296.54 → 296, remainders to the earliest
    expect([...counts.values()].reduce((sum, value) => sum + value, 0)).toBe(1285);
  });

  it('always adds up to the total and stays within one of the exact share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.array(fc.double({ min: 0.01, max: 1000, noNaN: true }), { minLength: 1, maxLength: 20 }), (total, list) => {
        const weights = new Map(list.map((weight, index) => [index, weight]));
        const counts = allocateProportionally(total, weights);
        const sum = list.reduce((a, b) => a + b, 0);
        expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(total);
        list.forEach((weight, index) => expect(Math.abs((counts.get(index) as number) - (total * weight) / sum)).toBeLessThan(1));
      }),
    );
  });
});

describe('RandomStream', () => {
  it('repeats itself for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const random = new RandomStream(seed);
      return [random.next(), random.integer(1, 6), random.normal(), random.weighted({ a: 1, b: 2 }), random.shuffled([1, 2, 3, 4, 5])];
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });
});

describe('serializeDemoLayer', () => {
  it('writes one feature per line, properties in key order, at most 6 decimals', () => {
    const text = serializeDemoLayer({
      fileName: 'example.geojson',
      layerId: 'wells',
      features: [
        { id: 'B', properties: { z: 1, a: '甲', demo: true }, geometry: { type: 'Point', coordinates: [115.123456789, 37.1] } },
        { id: 'A', properties: {}, geometry: { type: 'LineString', coordinates: [[115.0000004, 37.9999996], [116, 38]] } },
      ],
    });
    expect(text.split('\n')).toEqual([
      '{"type":"FeatureCollection","name":"example","layer":"wells","demo":true,"asOf":"2021-06-30","seed":20210201,"generator":"seeds/generator (npm run seeds)","features":[',
      '{"type":"Feature","id":"B","properties":{"a":"甲","demo":true,"z":1},"geometry":{"type":"Point","coordinates":[115.123457,37.1]}},',
      '{"type":"Feature","id":"A","properties":{},"geometry":{"type":"LineString","coordinates":[[115,38],[116,38]]}}',
      ']}',
      '',
    ]);
    expect(JSON.parse(text).features).toHaveLength(2);
  });
});

describe('village names', () => {
  it('keeps village committees and names them as villages', () => {
    expect(isVillageCommittee('王家庄村民委员会')).toBe(true);
    expect(isVillageCommittee('游园社区居民委员会')).toBe(false);
    expect(villageName('王家庄村民委员会')).toBe('王家庄村');
    expect(villageName('北关村村民委员会')).toBe('北关村');
    expect(villageName('干马村委会')).toBe('干马村');
  });
});
