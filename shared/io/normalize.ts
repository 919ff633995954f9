import { CrsError, WGS84, canonicalCrsCode, crsInfo, detectCoordinateSystem, transformMany, type CrsDetection, type CrsWarning } from '../crs';
import { ImportError, fromCrsError, type ImportLocation } from './errors';
import { checkGeometry, checkedPoint, polygonsOf, positionsOf, repairRings, ringSelfIntersection, ringSignedArea, swapAxes } from './geometry-checks';
import { yieldToEventLoop, type AbortSignalLike } from './platform';
import {
  CHINA_BOUNDS,
  type GeoJsonFeature,
  type Geometry,
  type ImportFormat,
  type ImportOptions,
  type ImportResult,
  type ImportWarning,
  type ImportWarningCode,
  type PropertyValue,
  type TableLayout,
} from './types';

/** A feature as a parser read it: coordinates in the file's CRS and order, not yet checked. */
export interface RawFeature {
  id?: string | number;
  properties: Record<string, PropertyValue>;
  geometry: unknown;
  /** CSV/Excel: the 1-based row (header = row 1). */
  row?: number;
}

/** What a format parser hands to `normalizeLayer`. */
export interface ParsedLayer {
  format: ImportFormat;
  features: RawFeature[];
  fields: string[];
  encoding?: string;
  /** A CRS the file itself states: a GeoJSON `crs` member, a GeoPackage srs, KML's WGS84 by definition. */
  fileCrs?: string;
  /** Where `fileCrs` came from, for the warning when the values contradict it (default: the format's own word). */
  fileCrsSource?: { zh: string; en: string };
  /** A Shapefile's .prj text. */
  prjWkt?: string;
  /** CSV/Excel: where the header and the data were found. */
  table?: TableLayout;
  /** The entry inside a zip the features came from. */
  file?: string;
  layerName?: string;
  warnings: ImportWarning[];
}

const MAX_WARNINGS_PER_CODE = 50;
const YIELD_EVERY = 5000;

/** Collects warnings, at most MAX_WARNINGS_PER_CODE of each code (then one 'more-warnings' note each). */
export class WarningList {
  readonly items: ImportWarning[] = [];
  private readonly counts = new Map<ImportWarningCode, number>();

  add(warning: ImportWarning): void {
    const count = (this.counts.get(warning.code) ?? 0) + 1;
    this.counts.set(warning.code, count);
    if (count <= MAX_WARNINGS_PER_CODE) this.items.push(warning);
  }

  result(): ImportWarning[] {
    const extra: ImportWarning[] = [];
    for (const [code, count] of this.counts) {
      if (count > MAX_WARNINGS_PER_CODE) {
        const omitted = count - MAX_WARNINGS_PER_CODE;
        extra.push({ code: 'more-warnings', zh: `另有 ${omitted} 条“${code}”警告未列出。`, en: `${omitted} more "${code}" warnings not listed.`, details: { of: code, omitted, total: count } });
      }
    }
    return [...this.items, ...extra];
  }
}

export function checkAborted(signal: AbortSignalLike | undefined): void {
  if (signal?.aborted) {
    throw new ImportError('cancelled', { zh: '导入已取消。', en: 'The import was cancelled.' }, {}, { reason: signal.reason === undefined ? undefined : String(signal.reason) });
  }
}

const fromCrsWarning = (warning: CrsWarning, file?: string): ImportWarning => ({
  code: warning.code,
  zh: warning.zh,
  en: warning.en,
  ...(warning.details ? { details: warning.details } : {}),
  ...(file ? { file } : {}),
});

function locationOf(layer: Pick<ParsedLayer, 'file'>, feature: RawFeature, featureIndex: number): ImportLocation {
  return { ...(layer.file ? { file: layer.file } : {}), ...(feature.row !== undefined ? { row: feature.row } : {}), featureIndex };
}

interface Resolved {
  detection: CrsDetection;
  extraWarnings: ImportWarning[];
}

/**
 * Which CRS the coordinates are in. The user's choice wins and must fit the values ('crs-mismatch'
 * otherwise); a CRS the file states (.prj, crs member, srs) is used unless the values contradict it, in
 * which case the values decide, with a 'file-crs-mismatch' warning; otherwise the values decide.
 */
function resolveCrs(points: [number, number][], layer: Omit<ParsedLayer, 'features'>, options: ImportOptions): Resolved {
  const workspaceBounds = options.workspaceBounds ?? CHINA_BOUNDS;
  const extraWarnings: ImportWarning[] = [];
  const location: ImportLocation = layer.file ? { file: layer.file } : {};
  const mismatch = (detection: CrsDetection): boolean => detection.warnings.some((warning) => warning.code === 'declared-crs-mismatch');
  try {
    if (options.crs !== undefined) {
      const detection = detectCoordinateSystem(points, { workspaceBounds, declared: options.crs, ...(layer.prjWkt ? { prjWkt: layer.prjWkt } : {}) });
      if (mismatch(detection)) {
        const reason = detection.warnings.find((warning) => warning.code === 'declared-crs-mismatch');
        throw new ImportError(
          'crs-mismatch',
          { zh: `所选坐标系与坐标值不符：${reason?.zh ?? ''}`, en: `The chosen coordinate system does not fit the values: ${reason?.en ?? ''}` },
          location,
          { crs: detection.crs },
        );
      }
      return { detection, extraWarnings };
    }
    const fileDeclaration = layer.fileCrs !== undefined || (layer.prjWkt !== undefined && layer.prjWkt.trim() !== '');
    if (fileDeclaration) {
      const detection = detectCoordinateSystem(points, {
        workspaceBounds,
        ...(layer.fileCrs !== undefined ? { declared: layer.fileCrs } : {}),
        ...(layer.prjWkt ? { prjWkt: layer.prjWkt } : {}),
      });
      if (!mismatch(detection)) return { detection, extraWarnings };
      let fromValues: CrsDetection;
      try {
        fromValues = detectCoordinateSystem(points, { workspaceBounds });
      } catch (error) {
        if (!(error instanceof CrsError)) throw error;
        throw new ImportError(
          'crs-mismatch',
          {
            zh: `文件声明的坐标系 ${detection.crs} 与坐标值不符，也无法从坐标值判断坐标系：请手动选择。`,
            en: `The file's coordinate system ${detection.crs} does not fit its values, and the values alone do not tell one: choose it by hand.`,
          },
          location,
          { declared: detection.crs, reason: error.code },
        );
      }
      const named = layer.prjWkt ? '.prj' : layer.format === 'geopackage' ? 'GeoPackage' : 'crs';
      const source = layer.fileCrsSource ?? { zh: named, en: named };
      extraWarnings.push({
        code: 'file-crs-mismatch',
        zh: `文件（${source.zh}）声明的坐标系是 ${detection.crs}，但坐标值不符合它；已按坐标值判断为 ${fromValues.crs} 读取，请确认。`,
        en: `The file (${source.en}) declares ${detection.crs}, but the values do not fit it; they were read as ${fromValues.crs}, which they fit. Please confirm.`,
        ...location,
        details: { declared: detection.crs, used: fromValues.crs },
      });
      return { detection: fromValues, extraWarnings };
    }
    return { detection: detectCoordinateSystem(points, { workspaceBounds }), extraWarnings };
  } catch (error) {
    if (error instanceof CrsError) throw fromCrsError(error, location);
    throw error;
  }
}

/** A geometry's kind in a layer (Multi* counts as its single kind). */
const KIND_OF: Record<Geometry['type'], string> = {
  Point: 'Point',
  MultiPoint: 'Point',
  LineString: 'LineString',
  MultiLineString: 'LineString',
  Polygon: 'Polygon',
  MultiPolygon: 'Polygon',
};

const sameId = (id: string | number): string => `${typeof id}:${id}`;

/**
 * Checks, reprojects and repairs a parsed layer: coordinates to WGS84 lon/lat (CRS resolved from the
 * declared option, the file, or the values), rings closed, self-intersections, mixed kinds and
 * duplicate ids reported. Throws ImportError; never returns part of the features.
 */
export async function normalizeLayer(layer: ParsedLayer, options: ImportOptions): Promise<ImportResult> {
  const normalizer = new LayerNormalizer(layer, options);
  const features = await normalizer.add(layer.features, 0, layer.features.length);
  return { ...normalizer.finish(), features: { type: 'FeatureCollection', features } };
}

/** What a layer's import says besides its features. */
export type ImportSummary = Omit<ImportResult, 'features'> & { featureCount: number };

/**
 * The same checks as {@link normalizeLayer}, a batch at a time, for files read as a stream. The
 * coordinate system is resolved from the first batch that has coordinates (the sample) and then
 * kept for every later batch; duplicate ids, mixed kinds and warnings are tracked across batches.
 */
export class LayerNormalizer {
  private readonly warnings = new WarningList();
  private readonly seenIds = new Set<string>();
  private readonly kinds = new Map<string, number>();
  private crs: { sourceCrs: string; axisOrder: 'xy' | 'yx' } | null = null;
  private count = 0;

  constructor(
    private readonly layer: Omit<ParsedLayer, 'features'>,
    private readonly options: ImportOptions,
  ) {
    for (const warning of layer.warnings) this.warnings.add(warning);
  }

  /** The CRS the coordinates are read in, once a batch with coordinates was seen. */
  get sourceCrs(): string | null {
    return this.crs?.sourceCrs ?? null;
  }

  /** Adds warnings a streaming reader found (a `crs` member after the features, say). */
  warn(warning: ImportWarning): void {
    this.warnings.add(warning);
  }

  /**
   * Normalizes one batch. `indexOffset` is the index of the batch's first feature in the file
   * (errors and warnings name it); `total` the file's feature count when known (progress).
   */
  async add(batch: readonly RawFeature[], indexOffset: number, total?: number): Promise<GeoJsonFeature[]> {
    const { layer, options, warnings } = this;
    // 1. Structure and finiteness, in the file's coordinates. (Locations are made only when needed: most features need none.)
    const checkedFeatures: RawFeature[] = [];
    const checkedGeometries: Geometry[] = [];
    const checkedIndexes: number[] = [];
    const points: [number, number][] = [];
    for (let at = 0; at < batch.length; at += 1) {
      const index = indexOffset + at;
      const feature = batch[at] as RawFeature;
      if (feature.geometry === null || feature.geometry === undefined) {
        warnings.add({
          code: 'feature-without-geometry',
          zh: '该要素没有几何图形，已跳过。',
          en: 'The feature has no geometry and was skipped.',
          ...locationOf(layer, feature, index),
        });
        continue;
      }
      const geometry = checkedPoint(feature.geometry) ?? checkGeometry(feature.geometry, locationOf(layer, feature, index));
      if (this.crs === null) for (const position of positionsOf(geometry)) points.push([position[0] as number, position[1] as number]);
      checkedFeatures.push(feature);
      checkedGeometries.push(geometry);
      checkedIndexes.push(index);
      if (at % YIELD_EVERY === YIELD_EVERY - 1) {
        options.onProgress?.({ phase: 'validate', done: index + 1, ...(total !== undefined ? { total } : {}) });
        await yieldToEventLoop();
        checkAborted(options.signal);
      }
    }
    checkAborted(options.signal);

    // 2. The coordinate system, from the first coordinates seen.
    if (this.crs === null && points.length > 0) {
      const { detection, extraWarnings } = resolveCrs(points, layer, options);
      this.crs = { sourceCrs: detection.crs, axisOrder: detection.axisOrder };
      for (const warning of extraWarnings) warnings.add(warning);
      for (const warning of detection.warnings) warnings.add(fromCrsWarning(warning, layer.file));
    }

    // 3. To WGS84, then repairs and checks on the result.
    const features: GeoJsonFeature[] = [];
    const sourceCrs = this.crs?.sourceCrs ?? WGS84;
    const axisOrder = this.crs?.axisOrder ?? 'xy';
    const needsTransform = sourceCrs !== WGS84;
    for (let done = 0; done < checkedFeatures.length; done += 1) {
      const feature = checkedFeatures[done] as RawFeature;
      const geometry = checkedGeometries[done] as Geometry;
      const index = checkedIndexes[done] as number;
      let wgs84: Geometry;
      try {
        const ordered = axisOrder === 'yx' ? swapAxes(geometry) : geometry;
        wgs84 = needsTransform ? (transformMany(ordered, sourceCrs, WGS84) as Geometry) : ordered;
      } catch (error) {
        if (error instanceof CrsError) throw fromCrsError(error, locationOf(layer, feature, index));
        throw error;
      }
      // A point has no rings to repair, orient or check.
      if (wgs84.type !== 'Point') this.repair(wgs84, locationOf(layer, feature, index));
      const kind = KIND_OF[wgs84.type];
      this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1);
      const out: GeoJsonFeature = { type: 'Feature', properties: feature.properties, geometry: wgs84 };
      if (feature.id !== undefined) {
        const key = sameId(feature.id);
        if (this.seenIds.has(key)) {
          warnings.add({
            code: 'duplicate-id',
            zh: `要素编号“${feature.id}”重复，已去掉此要素的编号（保存时会分配新编号）。`,
            en: `The feature id "${feature.id}" is used twice; this feature's id was dropped (a new one is assigned when saved).`,
            ...locationOf(layer, feature, index),
            details: { id: feature.id },
          });
        } else {
          this.seenIds.add(key);
          out.id = feature.id;
        }
      }
      features.push(out);
      if (done % YIELD_EVERY === YIELD_EVERY - 1) {
        options.onProgress?.({ phase: 'transform', done: this.count + done + 1, ...(total !== undefined ? { total } : {}) });
        await yieldToEventLoop();
        checkAborted(options.signal);
      }
    }
    checkAborted(options.signal);
    this.count += features.length;
    options.onProgress?.({ phase: 'transform', done: this.count, ...(total !== undefined ? { total } : {}) });
    return features;
  }

  /** Rings closed, oriented (RFC 7946) and checked for self-intersections, in place; warnings at `location`. */
  private repair(wgs84: Geometry, location: ImportLocation): void {
    const { warnings } = this;
    const { closed } = repairRings(wgs84, location);
    if (closed > 0) {
      warnings.add({
        code: 'ring-unclosed',
        zh: `多边形有 ${closed} 个环首尾不相接，已自动闭合。`,
        en: `${closed} polygon ring(s) did not end where they started and were closed.`,
        ...location,
      });
    }
    for (const polygon of polygonsOf(wgs84)) {
      // RFC 7946 winding: outer rings counter-clockwise, holes clockwise (Shapefiles store the opposite).
      polygon.forEach((ring, ringIndex) => {
        if (ringIndex === 0 ? ringSignedArea(ring) < 0 : ringSignedArea(ring) > 0) ring.reverse();
      });
      for (const ring of polygon) {
        const crossing = ringSelfIntersection(ring);
        if (crossing) {
          warnings.add({
            code: 'self-intersection',
            zh: '多边形的边自相交（如“8”字形），面积和叠加分析可能出错，请在源数据中修正。',
            en: 'The polygon boundary crosses itself (a figure 8, say); area and overlay results may be wrong. Fix it in the source data.',
            ...location,
            details: { near: crossing },
          });
          break;
        }
      }
    }
  }

  /** The report once every batch was added. */
  finish(): ImportSummary {
    const { layer, options, warnings } = this;
    let sourceCrs = this.crs?.sourceCrs;
    if (sourceCrs === undefined) {
      const stated = options.crs ?? layer.fileCrs;
      try {
        sourceCrs = stated ? crsInfo(stated).code : (canonicalCrsCode(WGS84) as string);
      } catch (error) {
        throw error instanceof CrsError ? fromCrsError(error, layer.file ? { file: layer.file } : {}) : error;
      }
    }
    if (this.kinds.size > 1) {
      const counts = Object.fromEntries(this.kinds);
      const list = [...this.kinds].map(([kind, count]) => `${kind} ${count}`).join(', ');
      warnings.add({
        code: 'mixed-geometry',
        zh: `文件中混有多种几何类型（${list}），一个图层只能容纳一种：导入时只有与目标图层相符的要素会被接受。`,
        en: `The file mixes geometry kinds (${list}) and a layer holds one: only the features matching the target layer can be imported.`,
        ...(layer.file ? { file: layer.file } : {}),
        details: { counts },
      });
    }
    if (this.count === 0) {
      warnings.add({ code: 'no-features', zh: '文件中没有可导入的要素。', en: 'The file holds no features to import.', ...(layer.file ? { file: layer.file } : {}) });
    }
    return {
      format: layer.format,
      sourceCrs,
      sourceAxisOrder: this.crs?.axisOrder ?? 'xy',
      ...(layer.encoding !== undefined ? { encoding: layer.encoding } : {}),
      ...(layer.layerName !== undefined ? { layerName: layer.layerName } : {}),
      fields: layer.fields,
      ...(layer.table !== undefined ? { table: layer.table } : {}),
      featureCount: this.count,
      warnings: warnings.result(),
    };
  }
}
