// The static-tiles baseline of the rendering benches: the same GeoJSON files the app imports,
// pre-cut to vector-tile MBTiles by GDAL (`ogr2ogr -f MBTiles`, as a GIS professional would), then
// read back (sqlite3 CLI) so the bench's page server can hand MapLibre each tile as stored.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

function run(command, args, what) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  if (result.error?.code === 'ENOENT') {
    throw new Error(`${what}: \`${command}\` not found (apt-get install -y --no-install-recommends ${command === 'sqlite3' ? 'sqlite3' : 'gdal-bin'})`);
  }
  if (result.status !== 0) throw new Error(`${what}: ${command} exited ${result.status}: ${(result.stderr || result.stdout).trim().slice(0, 2000)}`);
  return result.stdout;
}

/**
 * `layers`: [{ name, file }] GeoJSON files, one vector-tile layer each. Returns the MBTiles path.
 * GDAL's defaults otherwise (its per-tile size and feature caps thin the low zooms, as a default
 * pre-cut does).
 */
export function buildMbtiles(directory, layers, { minZoom, maxZoom }) {
  const vrt = path.join(directory, 'layers.vrt');
  const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  writeFileSync(
    vrt,
    `<OGRVRTDataSource>\n${layers
      .map(({ name, file }) => `  <OGRVRTLayer name="${escape(name)}"><SrcDataSource>${escape(file)}</SrcDataSource></OGRVRTLayer>`)
      .join('\n')}\n</OGRVRTDataSource>\n`,
  );
  const output = path.join(directory, 'layers.mbtiles');
  run('ogr2ogr', ['-f', 'MBTiles', output, vrt, '-dsco', `MINZOOM=${minZoom}`, '-dsco', `MAXZOOM=${maxZoom}`], 'pre-cutting MBTiles');
  return output;
}

/**
 * Every tile of an MBTiles file, keyed `z/x/y` in XYZ order (MBTiles rows are TMS: y flipped), with
 * the bytes as stored (GDAL writes gzip-compressed PBF).
 */
export function readMbtiles(file) {
  const text = run('sqlite3', ['-batch', '-noheader', '-separator', ' ', file, 'SELECT zoom_level, tile_column, tile_row, hex(tile_data) FROM tiles'], `reading ${file}`);
  const tiles = new Map();
  let bytes = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [z, x, row, hex] = line.split(' ');
    const zoom = Number(z);
    const data = Buffer.from(hex, 'hex');
    bytes += data.length;
    tiles.set(`${zoom}/${x}/${(1 << zoom) - 1 - Number(row)}`, data);
  }
  if (tiles.size === 0) throw new Error(`${file}: no tiles`);
  return { tiles, bytes };
}
