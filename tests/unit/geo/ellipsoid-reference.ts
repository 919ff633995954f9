// Reference values computed here from textbook formulas, independently of shared/geo:
// the area of a tiny latitude/longitude cell is M·N·cos φ·dφ·dλ, where M and N are the WGS84
// meridian and prime-vertical radii of curvature at the cell's centre.
const a = 6378137;
const f = 1 / 298.257223563;
const e2 = f * (2 - f);
const radians = Math.PI / 180;

export function meridianRadius(latitude: number): number {
  return (a * (1 - e2)) / (1 - e2 * Math.sin(latitude * radians) ** 2) ** 1.5;
}

export function primeVerticalRadius(latitude: number): number {
  return a / Math.sqrt(1 - e2 * Math.sin(latitude * radians) ** 2);
}

/** Area in m² of the cell [west, west+dLon] × [south, south+dLat] (degrees), for small cells. */
export function smallCellArea(west: number, south: number, dLon: number, dLat: number): number {
  const latitude = south + dLat / 2;
  return meridianRadius(latitude) * primeVerticalRadius(latitude) * Math.cos(latitude * radians) * dLat * radians * dLon * radians;
}

export function cellPolygon(west: number, south: number, dLon: number, dLat: number) {
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [west, south],
        [west + dLon, south],
        [west + dLon, south + dLat],
        [west, south + dLat],
        [west, south],
      ] as [number, number][],
    ],
  };
}
