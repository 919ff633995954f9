// Writes printed documents off the main thread (comlink): vector map pages, the county atlas, the
// bulletin (PDF and .docx) with shared/print. The client cancels by terminating the worker.
import * as Comlink from 'comlink';
import {
  atlasPages,
  bulletinMapSize,
  drawBulletinMap,
  drawMapPage,
  mapPageLayout,
  paperPoints,
  paperView,
  writeBulletinDocx,
  writeBulletinPdf,
  writePdf,
  type AtlasInput,
  type BulletinPdfInput,
  type LegendEntry,
  type MapPageTexts,
  type Orientation,
  type PaperSize,
  type PdfMetadata,
  type PrintBasemap,
  type PrintLayer,
  type ScreenView,
} from '../../../../shared/print';
import { OneMapError } from '../../../../shared/errors';
import { CanvasSurface } from './canvas-surface';

export interface MapPrintRequest {
  paper: PaperSize;
  orientation: Orientation;
  screen: ScreenView;
  layers: PrintLayer[];
  basemap: PrintBasemap;
  legend: LegendEntry[];
  texts: MapPageTexts;
  demo: boolean;
  /** Raster basemap tiles for the map frame (PNG), when the chosen basemap is raster. */
  raster?: Uint8Array;
}

export type PrintProgressReport = (done: number, total: number) => void;

async function loadFont(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new OneMapError('print-font-missing', { file: 'fonts/NotoSansSC-print.ttf', technical: error instanceof Error ? error.message : String(error) });
  }
  if (!response.ok) throw new OneMapError('print-font-missing', { file: 'fonts/NotoSansSC-print.ttf', technical: `HTTP ${response.status}` });
  return new Uint8Array(await response.arrayBuffer());
}

/** The bulletin's maps as 150 dpi PNG pictures for the .docx (OffscreenCanvas, the print font loaded as a FontFace). */
async function mapPictures(request: BulletinPdfInput, font: Uint8Array): Promise<{ title: string; png: Uint8Array; width: number; height: number }[]> {
  const family = 'OneMap Print';
  const face = new FontFace(family, font.slice().buffer);
  (self as unknown as { fonts: FontFaceSet }).fonts.add(face);
  await face.load();
  const k = 150 / 72;
  const { width, height } = bulletinMapSize;
  const pictures = [];
  for (const map of request.maps) {
    const canvas = new OffscreenCanvas(Math.round(width * k), Math.round(height * k));
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas in the print worker');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    drawBulletinMap(new CanvasSurface(context, k, family), { x: 0, y: 0, width, height }, map, request);
    const png = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    pictures.push({ title: map.title, png, width, height });
  }
  return pictures;
}

const transfer = (bytes: Uint8Array) => Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);

const api = {
  async map(request: MapPrintRequest, fontUrl: string, metadata: PdfMetadata, onProgress: PrintProgressReport): Promise<Uint8Array> {
    const layout = mapPageLayout(request.paper, request.orientation);
    const view = paperView(request.screen, layout.map);
    const page = {
      ...paperPoints(request.paper, request.orientation),
      ...(request.raster ? { rasters: [request.raster] } : {}),
      draw: (surface: Parameters<typeof drawMapPage>[0]) =>
        drawMapPage(surface, { layout, scale: layout.scale, view, layers: request.layers, basemap: request.basemap, legend: request.legend, texts: request.texts, demo: request.demo, ...(request.raster ? { raster: request.raster } : {}) }),
    };
    return transfer(await writePdf([page], await loadFont(fontUrl), metadata, onProgress));
  },

  async atlas(request: AtlasInput, fontUrl: string, metadata: PdfMetadata, onProgress: PrintProgressReport): Promise<Uint8Array> {
    return transfer(await writePdf(atlasPages(request), await loadFont(fontUrl), metadata, onProgress));
  },

  async bulletin(request: BulletinPdfInput, formats: { pdf: boolean; docx: boolean }, fontUrl: string, metadata: PdfMetadata, onProgress: PrintProgressReport): Promise<{ pdf: Uint8Array | null; docx: Uint8Array | null }> {
    const font = await loadFont(fontUrl);
    const pdf = formats.pdf ? await writeBulletinPdf(request, font, metadata, onProgress) : null;
    const docx = formats.docx ? await writeBulletinDocx({ ...request, maps: await mapPictures(request, font) }) : null;
    return Comlink.transfer({ pdf, docx }, [pdf, docx].filter((bytes): bytes is Uint8Array => bytes !== null).map((bytes) => bytes.buffer as ArrayBuffer));
  },
};

export type PrintWorkerApi = typeof api;

Comlink.expose(api);
