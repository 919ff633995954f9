// Runs in a dedicated worker of the B1 page (import.bench.mjs), as the app's import worker does:
// (1) OneMap: the GeoJSON file streamed from the server (fetch body) through shared/io's
// importGeoJsonStream, batch by batch, into the store's importFeatures (renderer/src/db: validated and
// written to staged chunks as the batches come, then one small transact change) as a new layer; (2) the baseline a
// programmer would write first: one IndexedDB put per feature, each in its own transaction, on a
// sample of the same features (the bench extrapolates and says so).
/* global self, indexedDB */
import { importGeoJsonStream } from '../../shared/io';
import { importFeatures, openOneMapDatabase } from '../../renderer/src/db';
import layers from '../../seeds/layers.json';

/** A new layer shaped like the wells layer (its fields and status workflow), under its own id. */
function benchLayer() {
  const wells = layers.find((layer) => layer.id === 'wells');
  return { ...wells, id: 'b1-points', name: { zh: 'B1 导入测点', en: 'B1 imported points' } };
}

/** Push (importGeoJsonStream's onBatch) to pull (importFeatures' async iterable), one batch in flight. */
function channel() {
  const queue = [];
  let wake = null;
  let closed = false;
  let failure = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  return {
    async push(batch) {
      queue.push(batch);
      notify();
      while (queue.length > 1 && !closed) await new Promise((resolve) => (wake = resolve));
    },
    close(error) {
      closed = true;
      failure = error ?? null;
      notify();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (queue.length > 0) {
          yield queue.shift();
          notify();
          continue;
        }
        if (failure) throw failure;
        if (closed) return;
        await new Promise((resolve) => (wake = resolve));
      }
    },
  };
}

const toImportFeature = (feature, index) => ({ geometry: feature.geometry, properties: feature.properties, county: null, sourceIndex: index });

async function onemap({ url, total, databaseName }) {
  const started = performance.now();
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`GET ${url}: ${response.status}`);
  const database = await openOneMapDatabase(databaseName);
  const batches = channel();
  let parsed = 0;
  const reading = importGeoJsonStream(
    'points.geojson',
    response.body,
    async (features) => {
      const offset = parsed;
      parsed += features.length;
      await batches.push(features.map((feature, index) => toImportFeature(feature, offset + index)));
    },
    { totalBytes: Number(response.headers.get('content-length')) || undefined },
  ).then(
    (summary) => {
      batches.close();
      return summary;
    },
    (error) => {
      batches.close(error);
      throw error;
    },
  );
  const [summary, report] = await Promise.all([
    reading,
    importFeatures(database, { author: 'bench', target: { kind: 'new', layer: benchLayer() }, features: batches, total, source: 'points.geojson' }),
  ]);
  const committedMs = performance.now() - started;
  // Rows the import wrote per feature (journal entries; 0 on the packed path) and the chunks.
  const stored = await database.journal.where('changeId').equals(report.changeId).count();
  const chunks = await database.featureChunks.where('layerId').equals(report.layerId).count();
  database.close();
  return { ms: committedMs, added: report.added, journalRows: stored, chunks, sourceCrs: summary.sourceCrs, validateMs: report.validateMs, writeMs: report.writeMs };
}

/** The same stream read and parse with nothing stored: how much of the import is the reader's. */
async function parseOnly({ url }) {
  const started = performance.now();
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`GET ${url}: ${response.status}`);
  let count = 0;
  await importGeoJsonStream('points.geojson', response.body, (features) => void (count += features.length), { totalBytes: Number(response.headers.get('content-length')) || undefined });
  return { ms: performance.now() - started, count };
}

function request(target) {
  return new Promise((resolve, reject) => {
    target.onsuccess = () => resolve(target.result);
    target.onerror = () => reject(target.error);
  });
}

async function naive({ url, sample, databaseName }) {
  const response = await fetch(url);
  const features = [];
  let done = false;
  const reading = importGeoJsonStream('points.geojson', response.body, (batch) => {
    if (done) return;
    for (const feature of batch) if (features.length < sample) features.push(feature);
    if (features.length >= sample) done = true;
  }, { batchSize: 5000, sampleSize: 5000 });
  // Stop reading once the sample is in: the rest of the file is not this baseline's business.
  await Promise.race([reading, new Promise((resolve) => { const check = () => (done ? resolve() : setTimeout(check, 20)); check(); })]);
  const open = indexedDB.open(databaseName, 1);
  open.onupgradeneeded = () => open.result.createObjectStore('features', { keyPath: 'id' });
  const db = await request(open);
  const started = performance.now();
  for (let index = 0; index < features.length; index += 1) {
    const transaction = db.transaction('features', 'readwrite');
    transaction.objectStore('features').put({ id: `F${index}`, ...features[index] });
    await new Promise((resolve, reject) => {
      transaction.oncomplete = resolve;
      transaction.onerror = () => reject(transaction.error);
    });
  }
  const ms = performance.now() - started;
  db.close();
  return { ms, count: features.length };
}

self.onmessage = async (event) => {
  const { kind, ...options } = event.data;
  try {
    const result = kind === 'onemap' ? await onemap(options) : kind === 'parse' ? await parseOnly(options) : await naive(options);
    self.postMessage({ ok: true, result });
  } catch (error) {
    self.postMessage({ ok: false, error: `${error?.name ?? 'Error'}: ${error?.message ?? error}${error?.problems ? ` ${JSON.stringify(error.problems.slice(0, 3))}` : ''}` });
  }
};
