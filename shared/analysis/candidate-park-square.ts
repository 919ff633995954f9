import type { Polygon } from 'geojson';

const metersPerDegreeLatitude = 111_320;

/**
 * The park a candidate site would become: a square of `sideMeters` centred on the site, closed
 * and counter-clockwise. Ranking uses this same polygon, so the population an adopted site adds
 * is exactly the gain it was ranked with. (A local equirectangular approximation: at 40 m the
 * error is far below a millimetre.)
 */
export function candidateParkSquare(center: readonly [number, number], sideMeters: number): Polygon {
  if (!(sideMeters > 0) || !Number.isFinite(sideMeters)) throw new RangeError(`side must be a positive number of metres, got ${sideMeters}`);
  const [lon, lat] = center;
  const halfLat = sideMeters / 2 / metersPerDegreeLatitude;
  const halfLon = sideMeters / 2 / (metersPerDegreeLatitude * Math.cos((lat * Math.PI) / 180));
  const round = (value: number) => Math.round(value * 1e7) / 1e7;
  const west = round(lon - halfLon);
  const east = round(lon + halfLon);
  const south = round(lat - halfLat);
  const north = round(lat + halfLat);
  return {
    type: 'Polygon',
    coordinates: [
      [
        [west, south],
        [east, south],
        [east, north],
        [west, north],
        [west, south],
      ],
    ],
  };
}
