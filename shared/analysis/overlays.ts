import type { FeatureFacts } from '../model/feature';
import type { Geometry, Position } from '../model/geometry';
import type { Target } from '../model/target';
import { boundingBox } from '../geo/bbox';
import { boxIndex, pointIndex } from '../geo/box-index';
import { geodesicDistanceMeters } from '../geo/geodesic-distance';
import { pointInPolygon } from '../geo/point-in-polygon';
import { radiusSearchBox } from '../geo/radius-search-box';
import { representativePoint } from '../geo/features-within-area';
import { progressByCounty } from './progress-by-county';

/** What the overlays need of a feature (a store feature fits). */
export type OverlayFeature = Pick<FeatureFacts, 'id' | 'geometry' | 'properties' | 'status' | 'county'>;

type AreaGeometry = Extract<Geometry, { type: 'Polygon' | 'MultiPolygon' }>;
const isArea = (geometry: Geometry): geometry is AreaGeometry => geometry.type === 'Polygon' || geometry.type === 'MultiPolygon';

function text(feature: OverlayFeature, key: string): string | null {
  const value = feature.properties[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

export interface WellInFarmlandRow {
  wellId: string;
  wellName: string | null;
  wellClass: string | null;
  wellStatus: string;
  county: number | null;
  farmlandId: string;
  farmlandName: string | null;
  projectType: string | null;
}

/**
 * The wells lying inside a farmland polygon (boundary included), each with the first such
 * polygon in the farmland's order — for the agricultural-well closure order. Wells are
 * measured from their point (other geometries: vertex centroid). One row per well, in the
 * wells' order. Inputs are never modified.
 */
export function wellsInsideFarmland(wells: readonly OverlayFeature[], farmland: readonly OverlayFeature[]): WellInFarmlandRow[] {
  const areas = farmland.filter((feature) => isArea(feature.geometry));
  const index = boxIndex(areas.map((feature) => boundingBox(feature.geometry)));
  const rows: WellInFarmlandRow[] = [];
  for (const well of wells) {
    const position = representativePoint(well.geometry);
    const found = index
      .search([position[0], position[1], position[0], position[1]])
      .sort((a, b) => a - b)
      .find((areaIndex) => pointInPolygon(position, (areas[areaIndex] as OverlayFeature).geometry as AreaGeometry));
    if (found === undefined) continue;
    const area = areas[found] as OverlayFeature;
    rows.push({
      wellId: well.id,
      wellName: text(well, 'name'),
      wellClass: text(well, 'wellClass'),
      wellStatus: well.status,
      county: well.county,
      farmlandId: area.id,
      farmlandName: text(area, 'name'),
      projectType: text(area, 'projectType'),
    });
  }
  return rows;
}

export interface WellNearVillageRow {
  wellId: string;
  wellName: string | null;
  wellClass: string | null;
  wellStatus: string;
  county: number | null;
  villageId: string;
  villageName: string | null;
  township: string | null;
  /** Geodesic distance (WGS84) from the well to the village point, in metres. */
  distanceMeters: number;
}

/**
 * The wells within `maxDistanceMeters` (geodesic) of a village, each with its nearest village
 * (the first in the villages' order on a tie). Villages are indexed (flatbush) and only those in
 * a box safely larger than the distance are measured. One row per well, in the wells' order.
 * Inputs are never modified.
 */
export function wellsNearVillages(wells: readonly OverlayFeature[], villages: readonly OverlayFeature[], maxDistanceMeters: number): WellNearVillageRow[] {
  if (!(maxDistanceMeters >= 0) || !Number.isFinite(maxDistanceMeters)) throw new RangeError(`distance must be a finite number of metres ≥ 0, got ${maxDistanceMeters}`);
  const villagePoints = villages.map((village) => representativePoint(village.geometry));
  const index = pointIndex(villagePoints);
  const rows: WellNearVillageRow[] = [];
  for (const well of wells) {
    const position = representativePoint(well.geometry);
    const box = radiusSearchBox([position[0], position[1], position[0], position[1]], maxDistanceMeters);
    const candidates = box === null ? villagePoints.map((_, villageIndex) => villageIndex) : index.search(box).sort((a, b) => a - b);
    let best = -1;
    let bestDistance = Infinity;
    for (const villageIndex of candidates) {
      const distance = geodesicDistanceMeters(position, villagePoints[villageIndex] as Position);
      if (distance <= maxDistanceMeters && distance < bestDistance) {
        best = villageIndex;
        bestDistance = distance;
      }
    }
    if (best < 0) continue;
    const village = villages[best] as OverlayFeature;
    rows.push({
      wellId: well.id,
      wellName: text(well, 'name'),
      wellClass: text(well, 'wellClass'),
      wellStatus: well.status,
      county: well.county,
      villageId: village.id,
      villageName: text(village, 'name'),
      township: text(village, 'township'),
      distanceMeters: bestDistance,
    });
  }
  return rows;
}

export interface FarmlandCountyRow {
  /** Adcode; null for farmland outside every county; `'total'` for the last row. */
  county: number | null | 'total';
  /** Geodesic area (mu) of the target's scope on the map (e.g. the 2021 high-standard projects). */
  mappedMu: number;
  /** Of which done (the target's done statuses). */
  doneMu: number;
  /** The county's share of the target (from `countyTargetsMu`, else the target's county split), or null; the total row has the target's quantity. */
  targetMu: number | null;
  /** doneMu / targetMu × 100, or null without a target. */
  donePercentOfTarget: number | null;
  /** mappedMu / targetMu × 100, or null without a target. */
  mappedPercentOfTarget: number | null;
  projects: number;
  projectsDone: number;
}

/**
 * Farmland area in mu per county against an area target (e.g. the 400,000 mu of high-standard
 * farmland in 2021), with the same scope, done rule and geodesic areas as the progress
 * dashboards ({@link progressByCounty}). County shares come from `countyTargetsMu` when given,
 * else from the target's own county split. Rows in the order of `counties`, then features
 * outside every county if any, then a total row. Inputs are never modified.
 */
export function farmlandAreaByCounty(
  target: Target,
  farmland: readonly OverlayFeature[],
  counties: readonly number[],
  countyTargetsMu?: ReadonlyMap<number, number>,
): FarmlandCountyRow[] {
  if (target.metric.kind !== 'area-mu') throw new Error(`target ${target.id} is not measured in mu`);
  const facts = farmland.map((feature) => ({ ...feature, layerId: target.layerId }));
  const percent = (part: number, whole: number | null) => (whole === null || whole === 0 ? null : (part / whole) * 100);
  const rows: FarmlandCountyRow[] = progressByCounty(target, facts, counties).map((row) => {
    const targetMu = row.county === null ? null : (countyTargetsMu?.get(row.county) ?? row.quantity);
    return {
      county: row.county,
      mappedMu: row.scope,
      doneMu: row.done,
      targetMu,
      donePercentOfTarget: percent(row.done, targetMu),
      mappedPercentOfTarget: percent(row.scope, targetMu),
      projects: row.featuresInScope,
      projectsDone: row.featuresDone,
    };
  });
  const sum = (pick: (row: FarmlandCountyRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const mappedMu = sum((row) => row.mappedMu);
  const doneMu = sum((row) => row.doneMu);
  rows.push({
    county: 'total',
    mappedMu,
    doneMu,
    targetMu: target.quantity,
    donePercentOfTarget: percent(doneMu, target.quantity),
    mappedPercentOfTarget: percent(mappedMu, target.quantity),
    projects: sum((row) => row.projects),
    projectsDone: sum((row) => row.projectsDone),
  });
  return rows;
}

export interface VillageSewageRow {
  county: number | null;
  townshipCode: string | null;
  township: string | null;
  villages: number;
  /** Villages with `sewageTarget2021: true`. */
  sewageTargets2021: number;
  /** Villages per status, for every status given (0 when none), plus any other status found. */
  byStatus: Record<string, number>;
}

/**
 * Villages counted by sewage-treatment status per township (`townshipCode`/`township` fields),
 * with the 2021 targets among them. `statuses` fixes the columns' order (the layer's workflow);
 * rows ordered by county, then township code (villages without a township last in their
 * county). Inputs are never modified.
 */
export function villagesBySewageStatus(villages: readonly OverlayFeature[], statuses: readonly string[]): VillageSewageRow[] {
  const rows = new Map<string, VillageSewageRow>();
  for (const village of villages) {
    const townshipCode = text(village, 'townshipCode');
    const key = `${village.county ?? ''}|${townshipCode ?? ''}`;
    let row = rows.get(key);
    if (row === undefined) {
      row = {
        county: village.county,
        townshipCode,
        township: text(village, 'township'),
        villages: 0,
        sewageTargets2021: 0,
        byStatus: Object.fromEntries(statuses.map((status) => [status, 0])),
      };
      rows.set(key, row);
    }
    row.villages += 1;
    if (village.properties.sewageTarget2021 === true) row.sewageTargets2021 += 1;
    row.byStatus[village.status] = (row.byStatus[village.status] ?? 0) + 1;
  }
  const rank = (value: string | number | null): [number, string | number] => (value === null ? [1, ''] : [0, value]);
  const compare = (a: string | number | null, b: string | number | null): number => {
    const [groupA, valueA] = rank(a);
    const [groupB, valueB] = rank(b);
    if (groupA !== groupB) return groupA - groupB;
    return valueA < valueB ? -1 : valueA > valueB ? 1 : 0;
  };
  return [...rows.values()].sort((a, b) => compare(a.county, b.county) || compare(a.townshipCode, b.townshipCode));
}

export type CsvValue = string | number | boolean | null | undefined;

/** A CSV column: a header and either a row key or a function computing the cell. */
export type CsvColumn<Row> = { header: string } & ({ key: keyof Row & string } | { value: (row: Row) => CsvValue });

/** Characters that make Excel read a cell as a formula ("CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let cell = String(value);
  // Text starting like a formula is shown as text in Excel, not evaluated (OWASP's advice).
  if (typeof value === 'string' && FORMULA_START.test(cell)) cell = `'${cell}`;
  return /[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/**
 * Rows as CSV text for Excel: a UTF-8 byte-order mark (so Excel reads 中文 as UTF-8), a header
 * line, CRLF line ends, fields quoted when they hold a comma, quote, line break or edge
 * spaces (quotes doubled, RFC 4180). Numbers as written by JavaScript; null and undefined as
 * empty cells; text starting with = + - @ is prefixed with ' so Excel does not run it as a
 * formula. Inputs are never modified.
 */
export function rowsToCsv<Row>(rows: readonly Row[], columns: readonly CsvColumn<Row>[]): string {
  const lines = [columns.map((column) => csvCell(column.header)).join(',')];
  for (const row of rows) {
    lines.push(columns.map((column) => csvCell('key' in column ? row[column.key] : column.value(row))).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
