// The bulletin as an A4 PDF: title, date and issuer, the targets against the plan line, the county
// rankings, the overdue lists by county, a map per core target, the sources (示例数据 where shown).
import type { BulletinModel } from './bulletin';
import { bulletinSections, type BulletinTable, type BulletinText } from './bulletin-document';
import { drawLegend, drawMapFrame, type LegendEntry, type PrintBasemap, type PrintLayer } from './map-page';
import { paperPoints, pointsPerMm, type Rect } from './paper';
import { openPdf, type PdfMetadata, type PrintProgress } from './pdf-document';
import { fitBounds } from './projection';
import { fill, type Surface } from './surface';
import { Flow } from './table';
import { yieldToEventLoop } from '../io/platform';

export interface BulletinMap {
  targetId: string;
  title: string;
  /** The target's layer with only its features in scope. */
  layer: PrintLayer;
  legend: readonly LegendEntry[];
}

export interface BulletinPdfInput extends BulletinText {
  model: BulletinModel;
  maps: readonly BulletinMap[];
  basemap: PrintBasemap;
  /** [west, south, east, north] of the maps (the workspace's extent). */
  extent: readonly [number, number, number, number];
  legendHeading: string;
  legendMore: string;
}

const mm = (value: number) => value * pointsPerMm;

/** The size of a core target's map with its legend (the .docx pictures are drawn at it too). */
export const bulletinMapSize = { width: paperPoints('a4', 'portrait').width - mm(40), height: mm(112) };

/** A core target's map of the whole city in `box`, its legend on the right. */
export function drawBulletinMap(surface: Surface, box: Rect, map: BulletinMap, input: Pick<BulletinPdfInput, 'extent' | 'basemap' | 'legendHeading' | 'legendMore'>): void {
  const legendWidth = mm(44);
  const frame: Rect = { x: box.x, y: box.y, width: box.width - legendWidth - mm(3), height: box.height };
  drawMapFrame(surface, frame, { view: fitBounds(input.extent, frame, 0.03), layers: [map.layer], basemap: input.basemap, scale: 0.7 });
  drawLegend(surface, { x: frame.x + frame.width + mm(3), y: frame.y, width: legendWidth, height: box.height }, input.legendHeading, map.legend, input.legendMore, 0.8);
}

export async function writeBulletinPdf(input: BulletinPdfInput, fontBytes: Uint8Array, metadata: PdfMetadata, onProgress: PrintProgress = () => undefined): Promise<Uint8Array> {
  const page = paperPoints('a4', 'portrait');
  const pdf = await openPdf(fontBytes, metadata);
  const body: Rect = { x: mm(20), y: mm(20), width: page.width - mm(40), height: page.height - mm(40) };
  const steps = 4 + input.maps.length;
  let step = 0;
  const progress = async () => {
    onProgress(++step, steps);
    await yieldToEventLoop();
  };
  const newPage = async (): Promise<Surface> => {
    const surface = await pdf.addPage(page.width, page.height);
    if (input.model.demo) surface.text(input.texts.demoNote, page.width - mm(20), mm(10), { size: 8, color: '#d00050', align: 'right' });
    return surface;
  };
  const flow = new Flow(await newPage(), body, newPage);
  const { texts } = input;
  const sections = bulletinSections(input.model, input);
  const table = (value: BulletinTable, size = 9) => flow.table(value.shares.map((share, index) => ({ share, align: value.numeric[index] ? ('right' as const) : ('left' as const) })), value.header, value.rows, size);
  onProgress(0, steps);

  await flow.paragraph(input.title, 18, { align: 'center', gap: 6 });
  await flow.paragraph(fill(texts.dateLine, { date: input.asOf }), 11, { align: 'center', gap: 2 });
  await flow.paragraph(fill(texts.issuerLine, { issuer: input.issuer }), 11, { align: 'center', gap: 14 });
  await flow.paragraph(texts.overallHeading, 13, { gap: 6 });
  await table(sections.overall);
  await progress();

  await flow.paragraph(texts.rankingHeading, 13, { gap: 6 });
  for (const ranking of sections.rankings) {
    await flow.paragraph(ranking.sentence, 10.5, { gap: 4 });
    await table(ranking.table);
  }
  await progress();

  await flow.paragraph(texts.overdueHeading, 13, { gap: 6 });
  if (sections.overdue.length === 0) await flow.paragraph(texts.overdueNone, 10.5);
  for (const county of sections.overdue) {
    await flow.paragraph(county.heading, 10.5, { gap: 3 });
    await table(county.table, 8);
  }
  await progress();

  await flow.paragraph(texts.mapsHeading, 13, { gap: 6 });
  const mapHeight = bulletinMapSize.height;
  for (const map of input.maps) {
    await flow.room(mapHeight + 40);
    await flow.paragraph(fill(texts.mapCaption, { title: map.title }), 10.5, { gap: 4 });
    drawBulletinMap(flow.surface, { x: flow.x, y: flow.y, width: flow.width, height: mapHeight }, map, input);
    flow.y += mapHeight + mm(6);
    await progress();
  }

  await flow.paragraph(texts.sourcesHeading, 13, { gap: 6 });
  for (const source of input.sources) await flow.paragraph(source, 9.5, { gap: 2 });
  if (input.model.demo) await flow.paragraph(texts.demoNote, 9.5, { color: '#d00050' });
  await progress();
  return await pdf.save();
}
