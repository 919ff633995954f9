// Exports off the main thread (comlink): a layer's features through shared/io's exportFeatures, and
// a composed map page into a PDF (pdf-lib). The client cancels by terminating the worker, which
// stops any step at once — nothing partial ever reaches a download.
import * as Comlink from 'comlink';
import { PDFDocument } from 'pdf-lib';
import sqlWasmUrl from 'sql.js/dist/sql-wasm.wasm?url';
import { configureSqlJs, exportFeatures, type ExportFormat, type ExportOptions, type ExportWarning } from '../../../../shared/io';
import type { GeoJsonFeature } from '../../../../shared/model/geojson-feature';
import type { Feature, LayerDefinition } from '../../../../shared/model';
import { labelledColumnTitles, type ExportNaming } from '../../../../shared/io/layer-labels';
import { toExportFeature } from './layer-export';
import { oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';

// GeoPackage: sql.js fetches its WebAssembly from the app's own origin.
configureSqlJs({ locateFile: () => sqlWasmUrl });

export interface ExportProgress {
  /** prepare: features turned into rows; write: the file is being written (done = total). */
  phase: 'prepare' | 'write';
  done: number;
  total: number;
}

export type LayerExportOutcome =
  | { ok: true; fileName: string; bytes: Uint8Array; warnings: ExportWarning[] }
  /** Refused or failed: the error as data (an ImportError keeps where and its specific sentence). */
  | { ok: false; error: OneMapErrorData };

export interface PdfPageRequest {
  /** The composed page as PNG or JPEG bytes. */
  image: Uint8Array;
  imageType: 'png' | 'jpeg';
  /** Page size in PDF points (1/72 inch). */
  widthPoints: number;
  heightPoints: number;
  title: string;
  subject: string;
  keywords: string[];
  language: string;
  /** Milliseconds since the epoch. */
  created: number;
}

const progressEvery = 250;
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const api = {
  async exportLayer(
    features: readonly Feature[],
    layer: LayerDefinition,
    format: ExportFormat,
    options: ExportOptions,
    naming: ExportNaming,
    onProgress: (progress: ExportProgress) => void,
  ): Promise<LayerExportOutcome> {
    const total = features.length;
    const rows: GeoJsonFeature[] = [];
    const titles = labelledColumnTitles(layer);
    onProgress({ phase: 'prepare', done: 0, total });
    for (let index = 0; index < total; index += 1) {
      rows.push(toExportFeature(features[index]!, layer, naming, titles));
      if ((index + 1) % progressEvery === 0) {
        onProgress({ phase: 'prepare', done: index + 1, total });
        await nextTask();
      }
    }
    onProgress({ phase: 'write', done: total, total });
    try {
      // KML's Placemark name: the layer's display field, under its title when the columns are labelled.
      const nameKey = layer.displayField ?? 'name';
      const nameProperty = naming === 'labels' ? (titles.get(nameKey) ?? nameKey) : nameKey;
      const result = await exportFeatures(rows, format, { ...options, nameProperty });
      return Comlink.transfer({ ok: true, fileName: result.fileName, bytes: result.bytes, warnings: result.warnings }, [result.bytes.buffer as ArrayBuffer]);
    } catch (error) {
      return { ok: false, error: oneMapErrorData(error) };
    }
  },

  /** One page holding the composed raster, with the document's metadata. */
  async pdfPage(request: PdfPageRequest): Promise<Uint8Array> {
    const document = await PDFDocument.create();
    const created = new Date(request.created);
    document.setTitle(request.title, { showInWindowTitleBar: true });
    document.setSubject(request.subject);
    document.setKeywords(request.keywords);
    document.setCreator('OneMap');
    document.setProducer('OneMap (pdf-lib)');
    document.setLanguage(request.language);
    document.setCreationDate(created);
    document.setModificationDate(created);
    const image = request.imageType === 'png' ? await document.embedPng(request.image) : await document.embedJpg(request.image);
    const page = document.addPage([request.widthPoints, request.heightPoints]);
    page.drawImage(image, { x: 0, y: 0, width: request.widthPoints, height: request.heightPoints });
    const bytes = await document.save();
    return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
  },
};

export type ExportWorkerApi = typeof api;

Comlink.expose(api);
