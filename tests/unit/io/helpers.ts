import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Geometry } from '../../../shared/model/geometry';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/io');

export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));

/** Ground distance in metres between two lon/lat points (haversine on the GRS80 mean radius; < 0.5% error). */
export function metres(a: readonly number[], b: readonly number[]): number {
  const radians = Math.PI / 180;
  const [lon1, lat1] = [(a[0] as number) * radians, (a[1] as number) * radians];
  const [lon2, lat2] = [(b[0] as number) * radians, (b[1] as number) * radians];
  const h = Math.sin((lat2 - lat1) / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin((lon2 - lon1) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

export function firstPosition(geometry: Geometry): number[] {
  let value: unknown = geometry.coordinates;
  while (Array.isArray(value) && Array.isArray(value[0])) value = value[0];
  return value as number[];
}

/** Every position of a geometry, flattened. */
export function allPositions(geometry: Geometry): number[][] {
  const out: number[][] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value) && typeof value[0] === 'number') out.push(value as number[]);
    else if (Array.isArray(value)) value.forEach(visit);
  };
  visit(geometry.coordinates);
  return out;
}
