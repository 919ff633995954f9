// Writes a multi-page PDF from page drawers: one font (the embedded CJK subset: only the glyphs the
// document uses), the document's metadata, progress after each page and a yield between pages so
// the worker can be cancelled and report.
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import type { Surface } from './surface';
import { PdfSurface } from './pdf-surface';
import { yieldToEventLoop } from '../io/platform';

export interface PdfPage {
  width: number;
  height: number;
  /** Rasters drawn on the page (raster basemap tiles), embedded before `draw` runs. */
  rasters?: readonly Uint8Array[];
  draw(surface: Surface): void;
}

export interface PdfMetadata {
  title: string;
  subject: string;
  keywords: readonly string[];
  language: string;
  /** Milliseconds since the epoch. */
  created: number;
}

export type PrintProgress = (done: number, total: number) => void;

export interface OpenPdf {
  /** A new page of `width` × `height` points, its rasters embedded first. */
  addPage(width: number, height: number, rasters?: readonly Uint8Array[]): Promise<Surface>;
  save(): Promise<Uint8Array>;
}

/** A PDF with the font embedded (subset on save) and its metadata set, for pages added one by one. */
export async function openPdf(fontBytes: Uint8Array, metadata: PdfMetadata): Promise<OpenPdf> {
  const document = await PDFDocument.create();
  document.registerFontkit(fontkit);
  const font = await document.embedFont(fontBytes, { subset: true });
  const created = new Date(metadata.created);
  document.setTitle(metadata.title, { showInWindowTitleBar: true });
  document.setSubject(metadata.subject);
  document.setKeywords([...metadata.keywords]);
  document.setCreator('OneMap');
  document.setProducer('OneMap (pdf-lib)');
  document.setLanguage(metadata.language);
  document.setCreationDate(created);
  document.setModificationDate(created);
  return {
    async addPage(width, height, rasters = []) {
      const surface = new PdfSurface(document, document.addPage([width, height]), font);
      for (const raster of rasters) await surface.embedRaster(raster);
      return surface;
    },
    save: async () => await document.save(),
  };
}

export async function writePdf(pages: readonly PdfPage[], fontBytes: Uint8Array, metadata: PdfMetadata, onProgress: PrintProgress = () => undefined): Promise<Uint8Array> {
  const pdf = await openPdf(fontBytes, metadata);
  onProgress(0, pages.length);
  for (const [index, spec] of pages.entries()) {
    spec.draw(await pdf.addPage(spec.width, spec.height, spec.rasters));
    onProgress(index + 1, pages.length);
    await yieldToEventLoop();
  }
  return await pdf.save();
}
