// Runs inside headless Chromium (bundled by run-probe.mjs): writes N small point features through
// the store's seed path (packed chunks) and, for comparison, one record per feature with bulkPut;
// reads both back. Exposes `window.storeProbe` for page.evaluate.
import { Dexie } from 'dexie';
import type { GeoJsonFeature, LayerDefinition } from '../../../shared/model';
import {
  OneMapDatabase,
  getFeature,
  readLayer,
  readLayerChangesSince,
  seed,
  transact,
} from '../../../renderer/src/db';
import { packFeatures } from '../../../renderer/src/db/spatial-packing';
import { featureFromGeoJson } from '../../../shared/model';

const label = (text: string) => ({ zh: text, en: text });

const probeLayer: LayerDefinition = {
  id: 'probe-points',
  name: label('Probe points'),
  geometryType: 'Point',
  fields: [
    { key: 'name', type: 'string', required: false, label: label('Name') },
    { key: 'depthM', type: 'number', required: false, label: label('Depth') },
  ],
  status: {
    label: label('Status'),
    states: [{ value: 'registered', label: label('Registered') }, { value: 'sealed', label: label('Sealed') }],
    initial: 'registered',
    transitions: [{ from: 'registered', to: 'sealed' }],
  },
};

/** Deterministic small points scattered over Hengshui's extent. */
function probePoints(count: number): GeoJsonFeature[] {
  let state = 20210201;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const features: GeoJsonFeature[] = new Array(count);
  for (let index = 0; index < count; index += 1) {
    features[index] = {
      type: 'Feature',
      id: `P-${index}`,
      properties: { name: `point ${index}`, depthM: Math.round(random() * 500), status: 'registered', county: 131102, demo: true },
      geometry: { type: 'Point', coordinates: [115.1 + random() * 1.4, 37.1 + random() * 1.2] },
    };
  }
  return features;
}

const seconds = (start: number) => (performance.now() - start) / 1000;

/** In its own function so the converted copies can be collected before the seed runs. */
function measureConvertAndPack(features: readonly GeoJsonFeature[]): { convertAndPackSeconds: number; chunkCount: number } {
  const start = performance.now();
  const converted = features.map((feature) => featureFromGeoJson(feature, probeLayer.id, { createdAt: '2021-06-30T00:00:00Z', updatedAt: '2021-06-30T00:00:00Z' }));
  const packed = packFeatures(converted);
  return { convertAndPackSeconds: seconds(start), chunkCount: packed.chunks.length };
}

class BaselineDatabase extends Dexie {
  features!: Dexie.Table<Record<string, unknown>, string>;
  constructor() {
    super('probe-baseline');
    // One record per feature with two indexes, as measured in docs/ARCHITECTURE.md.
    this.version(1).stores({ features: 'id, layerId, status' });
  }
}

const probe = {
  /**
   * Record encoding experiment: the same packed chunks written as arrays of feature objects
   * (structured clone of an object graph) and as one JSON string per chunk; both read back.
   */
  async compareChunkEncodings(count: number) {
    await Dexie.delete('probe-encodings');
    const database = new Dexie('probe-encodings');
    database.version(1).stores({ objects: 'id', strings: 'id' });
    await database.open();
    const features = probePoints(count).map((feature) => featureFromGeoJson(feature, probeLayer.id, { createdAt: '2021-06-30T00:00:00Z', updatedAt: '2021-06-30T00:00:00Z' }));
    const chunks = packFeatures(features).chunks;
    const timeWrites = async (table: string, encode: (chunk: (typeof chunks)[number]) => unknown) => {
      const start = performance.now();
      for (let offset = 0; offset < chunks.length; offset += 20) {
        const records = chunks.slice(offset, offset + 20).map((chunk) => ({ id: chunk.sequence, featureIds: chunk.featureIds, features: encode(chunk) }));
        await database.table(table).bulkPut(records);
      }
      return seconds(start);
    };
    const objectWriteSeconds = await timeWrites('objects', (chunk) => chunk.features);
    const stringWriteSeconds = await timeWrites('strings', (chunk) => JSON.stringify(chunk.features));
    database.close();
    await database.open();
    let start = performance.now();
    const objects = await database.table('objects').toArray();
    let total = 0;
    for (const record of objects) total += (record.features as unknown[]).length;
    const objectReadSeconds = seconds(start);
    start = performance.now();
    const strings = await database.table('strings').toArray();
    for (const record of strings) total += (JSON.parse(record.features as string) as unknown[]).length;
    const stringReadSeconds = seconds(start);
    database.close();
    return {
      count,
      total,
      objectWritePerSecond: count / objectWriteSeconds,
      stringWritePerSecond: count / stringWriteSeconds,
      objectReadPerSecond: count / objectReadSeconds,
      stringReadPerSecond: count / stringReadSeconds,
    };
  },

  async storageEstimate() {
    return navigator.storage.estimate();
  },

  /** Seeds `count` points into a fresh OneMap database; returns the timings in seconds. */
  async seedPoints(count: number, options: { validate: boolean; chunksPerTransaction?: number; databaseName: string }) {
    await Dexie.delete(options.databaseName);
    const database = new OneMapDatabase(options.databaseName);
    await database.open();
    let start = performance.now();
    const features = probePoints(count);
    const generateSeconds = seconds(start);

    // The CPU part alone (convert + pack), to split the seed time into work and writes.
    const { convertAndPackSeconds, chunkCount } = measureConvertAndPack(features);

    start = performance.now();
    const report = await seed(database, {
      layers: [probeLayer],
      demoCollections: [{ layer: probeLayer.id, features }],
      validate: options.validate,
      ...(options.chunksPerTransaction === undefined ? {} : { chunksPerTransaction: options.chunksPerTransaction }),
    });
    const seedSeconds = seconds(start);

    start = performance.now();
    const again = await seed(database, { layers: [probeLayer], demoCollections: [{ layer: probeLayer.id, features }] });
    const reseedSeconds = seconds(start);
    database.close();
    return {
      count,
      generateSeconds,
      convertAndPackSeconds,
      chunkCount,
      seedSeconds,
      featuresPerSecond: count / seedSeconds,
      packedCount: report.layersPacked[0]?.featureCount,
      reseedSeconds,
      reseedUnchanged: again.layersUnchanged,
    };
  },

  /** Reads the layer back (fresh connection), then one lookup by id, one edit, and the change feed. */
  async loadPoints(databaseName: string, expectedCount: number) {
    const database = new OneMapDatabase(databaseName);
    let start = performance.now();
    await database.open();
    const openSeconds = seconds(start);
    // First lookup by id on a cold connection: builds the id → chunk directory.
    start = performance.now();
    const feature = await getFeature(database, probeLayer.id, `P-${12345 % expectedCount}`);
    const coldGetSeconds = seconds(start);
    start = performance.now();
    await getFeature(database, probeLayer.id, `P-${54321 % expectedCount}`);
    const warmGetSeconds = seconds(start);
    start = performance.now();
    const snapshot = await readLayer(database, probeLayer.id);
    const readSeconds = seconds(start);
    const count = snapshot.features.length;
    const sampleOk = snapshot.features[Math.floor(count / 2)]?.layerId === probeLayer.id;


    start = performance.now();
    await transact(database, { author: 'probe', operations: [{ kind: 'update', layerId: probeLayer.id, featureId: `P-${12345 % expectedCount}`, status: 'sealed' }] });
    const editSeconds = seconds(start);
    start = performance.now();
    const changes = await readLayerChangesSince(database, probeLayer.id, snapshot.generation, snapshot.cursor);
    const feedSeconds = seconds(start);

    start = performance.now();
    const ids = Array.from({ length: 500 }, (_, index) => `P-${(index * 97) % expectedCount}`);
    await transact(database, {
      author: 'probe',
      operations: ids.map((featureId) => ({ kind: 'update' as const, layerId: probeLayer.id, featureId, properties: { name: 'bulk' } })),
    });
    const bulkEditSeconds = seconds(start);
    database.close();
    return {
      count,
      openSeconds,
      readSeconds,
      featuresPerSecond: count / readSeconds,
      sampleOk,
      getFoundId: feature?.id ?? null,
      coldGetSeconds,
      warmGetSeconds,
      editSeconds,
      feedSeconds,
      feedUpserted: changes.kind === 'changes' ? changes.upserted.length : -1,
      bulkEdit500Seconds: bulkEditSeconds,
    };
  },

  /** The baseline: the same features as one record each, bulkPut in batches of `batchSize`. */
  async baselineBulkPut(count: number, batchSize: number) {
    await Dexie.delete('probe-baseline');
    const database = new BaselineDatabase();
    await database.open();
    const features = probePoints(count).map((feature) => ({
      ...featureFromGeoJson(feature, probeLayer.id, { createdAt: '2021-06-30T00:00:00Z', updatedAt: '2021-06-30T00:00:00Z' }),
    }));
    const start = performance.now();
    for (let offset = 0; offset < count; offset += batchSize) {
      await database.features.bulkPut(features.slice(offset, offset + batchSize));
    }
    const writeSeconds = seconds(start);
    database.close();
    return { count, batchSize, writeSeconds, featuresPerSecond: count / writeSeconds };
  },

  async baselineLoad() {
    const database = new BaselineDatabase();
    await database.open();
    const start = performance.now();
    const features = await database.features.toArray();
    const readSeconds = seconds(start);
    database.close();
    return { count: features.length, readSeconds, featuresPerSecond: features.length / readSeconds };
  },
};

declare global {
  interface Window {
    storeProbe: typeof probe;
  }
}
window.storeProbe = probe;
document.title = 'store-probe ready';
