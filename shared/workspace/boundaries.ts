// A workspace's county-level boundaries from a file the import readers have already turned into
// WGS84 (shared/io importFile: format, encoding and CRS detected there). Everything a workspace
// needs of them is checked here, before anything is created; the first problem is refused with
// the file, feature (1-based, as the import wizard counts them), field and value.
import { geometryProblem } from '../geo/geometry-validity';
import type { Geometry, Position } from '../model/geometry';
import type { PropertyValue } from '../model/feature';
import { CHINA_BOUNDS, type ImportResult } from '../io/types';
import type { CountyBoundaries, CountyBoundary, Extent } from './definition';
import { WorkspaceError } from './errors';

/** China and a margin: the only prior a boundary file is read against (it defines the extent itself). */
export { CHINA_BOUNDS };

export interface BoundaryFieldChoice {
  codeField: string;
  nameField: string;
  /** Optional English names; the Chinese name stands in without it. */
  nameEnField?: string;
}

export interface WorkspaceBoundaries {
  counties: CountyBoundaries;
  extent: Extent;
}

type ReadBoundaryFile = Pick<ImportResult, 'fields' | 'features' | 'warnings'>;

const CODE_PATTERN = /^\d{6}$/;

function codeText(value: PropertyValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim().replace(/\.0+$/, '');
  return String(value);
}

function nameText(value: PropertyValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

/** The fields a user would pick: a code field (every value a 6-digit code, named like one first) and a name field. */
export function guessBoundaryFields(file: ReadBoundaryFile): Partial<BoundaryFieldChoice> {
  const values = (field: string) => file.features.features.map((feature) => feature.properties?.[field]);
  const codeLike = file.fields.filter((field) => values(field).every((value) => CODE_PATTERN.test(codeText(value) ?? '')));
  const codeField = codeLike.find((field) => /adcode|code|编码|代码|区划|dm$/i.test(field)) ?? codeLike[0];
  const textual = file.fields.filter((field) => field !== codeField && values(field).every((value) => typeof value === 'string' && value.trim() !== ''));
  const nameField = textual.find((field) => /^name$|名称|县|区|mc$/i.test(field)) ?? textual.find((field) => !/en$/i.test(field)) ?? textual[0];
  const nameEnField = textual.find((field) => /(name_?en|ename|英文)/i.test(field) && field !== nameField);
  return { ...(codeField ? { codeField } : {}), ...(nameField ? { nameField } : {}), ...(nameEnField ? { nameEnField } : {}) };
}

function extendExtent(extent: number[], positions: Iterable<Position>): void {
  for (const [x, y] of positions) {
    extent[0] = Math.min(extent[0]!, x);
    extent[1] = Math.min(extent[1]!, y);
    extent[2] = Math.max(extent[2]!, x);
    extent[3] = Math.max(extent[3]!, y);
  }
}

function* outerPositions(geometry: Geometry): Iterable<Position> {
  if (geometry.type === 'Polygon') yield* geometry.coordinates[0] ?? [];
  else if (geometry.type === 'MultiPolygon') for (const polygon of geometry.coordinates) yield* polygon[0] ?? [];
}

function ringArea(ring: readonly Position[]): number {
  let sum = 0;
  for (let index = 0; index + 1 < ring.length; index += 1) sum += ring[index]![0] * ring[index + 1]![1] - ring[index + 1]![0] * ring[index]![1];
  return Math.abs(sum / 2);
}

/**
 * A point inside the polygon for its label: on the horizontal line through the middle of its
 * largest part, the midpoint of the widest stretch inside it (a centroid can fall outside a
 * crescent-shaped county).
 */
export function labelPointOf(geometry: Geometry): [number, number] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  const largest = [...polygons].sort((a, b) => ringArea(b[0] ?? []) - ringArea(a[0] ?? []))[0];
  if (!largest) throw new Error('labelPointOf: no polygon');
  const outer = largest[0]!;
  const ys = outer.map((position) => position[1]);
  const y = (Math.min(...ys) + Math.max(...ys)) / 2;
  const crossings: number[] = [];
  for (const ring of largest) {
    for (let index = 0; index + 1 < ring.length; index += 1) {
      const [x1, y1] = ring[index]!;
      const [x2, y2] = ring[index + 1]!;
      if ((y1 <= y && y2 > y) || (y2 <= y && y1 > y)) crossings.push(x1 + ((y - y1) / (y2 - y1)) * (x2 - x1));
    }
  }
  crossings.sort((a, b) => a - b);
  let best: [number, number] = [outer[0]![0], outer[0]![1]];
  let widest = -1;
  for (let index = 0; index + 1 < crossings.length; index += 2) {
    const width = crossings[index + 1]! - crossings[index]!;
    if (width > widest) {
      widest = width;
      best = [(crossings[index]! + crossings[index + 1]!) / 2, y];
    }
  }
  return best;
}

/**
 * Checks a read boundary file and turns it into a workspace's counties and extent. Refuses (a
 * `WorkspaceError`, nothing made): an unknown CRS (eastings without a zone and no .prj: only the
 * workspace could have told the zone, and there is none yet), no features, a missing code or name
 * field, a feature that is not a polygon, a missing, malformed or repeated code, a missing name,
 * and an invalid polygon (a crossing ring, too few points, no area).
 */
export function buildWorkspaceBoundaries(file: ReadBoundaryFile, choice: BoundaryFieldChoice, fileName: string): WorkspaceBoundaries {
  const guessedZone = file.warnings.find((warning) => warning.code === 'zone-inferred-from-workspace' || warning.code === 'zone-ambiguous');
  if (guessedZone) throw new WorkspaceError('workspace.boundary-crs-unknown', { file: fileName, technical: guessedZone.en });
  const features = file.features.features;
  if (features.length === 0) throw new WorkspaceError('workspace.boundary-empty', { file: fileName });
  if (!file.fields.includes(choice.codeField)) {
    throw new WorkspaceError('workspace.boundary-no-code-field', { file: fileName, field: choice.codeField, fields: file.fields.join('、') || '—' });
  }
  if (!file.fields.includes(choice.nameField)) {
    throw new WorkspaceError('workspace.boundary-no-name-field', { file: fileName, field: choice.nameField, fields: file.fields.join('、') || '—' });
  }
  const seen = new Map<string, number>();
  const counties: CountyBoundary[] = [];
  const extent = [Infinity, Infinity, -Infinity, -Infinity];
  features.forEach((feature, index) => {
    const number = index + 1;
    const geometry = feature.geometry;
    if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') {
      throw new WorkspaceError('workspace.boundary-not-polygon', { file: fileName, feature: number, type: geometry.type });
    }
    const code = codeText(feature.properties?.[choice.codeField]);
    if (code === null) throw new WorkspaceError('workspace.boundary-code-missing', { file: fileName, feature: number, field: choice.codeField });
    if (!CODE_PATTERN.test(code)) throw new WorkspaceError('workspace.boundary-code-invalid', { file: fileName, feature: number, field: choice.codeField, value: code });
    const first = seen.get(code);
    if (first !== undefined) throw new WorkspaceError('workspace.boundary-duplicate-code', { file: fileName, feature: number, first, field: choice.codeField, value: code });
    seen.set(code, number);
    const name = nameText(feature.properties?.[choice.nameField]);
    if (name === null) throw new WorkspaceError('workspace.boundary-name-missing', { file: fileName, feature: number, field: choice.nameField });
    const problem = geometryProblem(geometry);
    if (problem) {
      const at = problem.location ? `${problem.location[0].toFixed(6)}, ${problem.location[1].toFixed(6)}` : '—';
      throw new WorkspaceError(`workspace.boundary-polygon-${problem.code}`, { file: fileName, feature: number, name, value: code, at });
    }
    extendExtent(extent, outerPositions(geometry));
    const nameEn = choice.nameEnField ? (nameText(feature.properties?.[choice.nameEnField]) ?? name) : name;
    counties.push({
      type: 'Feature',
      properties: { adcode: Number(code), name, nameEn, labelPoint: labelPointOf(geometry) },
      geometry: geometry as CountyBoundary['geometry'],
    });
  });
  counties.sort((a, b) => a.properties.adcode - b.properties.adcode);
  return { counties: { type: 'FeatureCollection', features: counties }, extent: extent as unknown as Extent };
}
