import { describe, expect, it } from 'vitest';
import { accuracyCircle, geodesicDestination } from '../../../renderer/src/map/gps-layer';
import { geodesicDistanceMeters } from '../../../shared/geo/geodesic-distance';

// Hengshui's centre (桃城区) and a point at the far north of the city.
const centres: [number, number][] = [
  [115.67, 37.74],
  [116.1, 38.35],
];

describe('geodesicDestination (Vincenty direct) and the GPS accuracy circle', () => {
  it.each([0.5, 5, 30, 500, 5000])('puts every vertex of a %s m circle at that geodesic distance (±1 mm)', (radius) => {
    for (const centre of centres) {
      const ring = accuracyCircle(centre, radius);
      expect(ring).toHaveLength(73);
      expect(ring.at(-1)).toEqual(ring[0]);
      for (const vertex of ring) expect(Math.abs(geodesicDistanceMeters(centre, vertex as [number, number]) - radius)).toBeLessThan(1e-3);
    }
  });

  it('goes north, east, south and west for azimuths 0, 90, 180 and 270 degrees', () => {
    const [lon, lat] = centres[0]!;
    const north = geodesicDestination([lon, lat], 0, 1000);
    const east = geodesicDestination([lon, lat], 90, 1000);
    const south = geodesicDestination([lon, lat], 180, 1000);
    const west = geodesicDestination([lon, lat], 270, 1000);
    expect(north[0]).toBeCloseTo(lon, 12);
    expect(north[1]).toBeGreaterThan(lat);
    expect(south[0]).toBeCloseTo(lon, 12);
    expect(south[1]).toBeLessThan(lat);
    expect(east[0]).toBeGreaterThan(lon);
    expect(west[0]).toBeLessThan(lon);
    // A degree of latitude is ~111 km here, a degree of longitude ~88 km (cos 37.74°).
    expect((north[1] - lat) * 111_000).toBeCloseTo(1000, -1);
    expect((east[0] - lon) * 111_320 * Math.cos((lat * Math.PI) / 180)).toBeCloseTo(1000, -1);
  });

  it('is counter-clockwise (the GeoJSON outer-ring order)', () => {
    const ring = accuracyCircle(centres[0]!, 100);
    let twiceArea = 0;
    for (let index = 0; index < ring.length - 1; index += 1) twiceArea += ring[index]![0]! * ring[index + 1]![1]! - ring[index + 1]![0]! * ring[index]![1]!;
    expect(twiceArea).toBeGreaterThan(0);
  });
});
