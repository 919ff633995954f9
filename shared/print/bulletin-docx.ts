// The bulletin as a Word document (.docx, with the `docx` library): the form a bureau edits before
// sending. The same sections and numbers as the PDF; maps as PNG pictures when the app provides them.
import { AlignmentType, Document, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { BulletinModel } from './bulletin';
import { bulletinSections, type BulletinTable, type BulletinText } from './bulletin-document';
import { fill } from './surface';

export interface BulletinDocxInput extends BulletinText {
  model: BulletinModel;
  /** One picture per core target's map, in points (width × height). */
  maps: readonly { title: string; png: Uint8Array; width: number; height: number }[];
}

const bodyFont = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' };

function table(value: BulletinTable): Table {
  const row = (cells: readonly string[], header: boolean) =>
    new TableRow({
      tableHeader: header,
      children: cells.map(
        (cell, index) =>
          new TableCell({
            width: { size: Math.round(value.shares[index]! * 100), type: WidthType.PERCENTAGE },
            ...(header ? { shading: { fill: 'ECECEC' } } : {}),
            children: [new Paragraph({ alignment: value.numeric[index] && !header ? AlignmentType.RIGHT : AlignmentType.LEFT, children: [new TextRun({ text: cell, size: 20, bold: header })] })],
          }),
      ),
    });
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [row(value.header, true), ...value.rows.map((cells) => row(cells, false))] });
}

const heading = (text: string) => new Paragraph({ heading: HeadingLevel.HEADING_1, spacing: { before: 240, after: 120 }, children: [new TextRun({ text, size: 30, bold: true })] });
const paragraph = (text: string, options: { color?: string; center?: boolean } = {}) =>
  new Paragraph({ spacing: { after: 100 }, ...(options.center ? { alignment: AlignmentType.CENTER } : {}), children: [new TextRun({ text, size: 22, ...(options.color ? { color: options.color } : {}) })] });

export async function writeBulletinDocx(input: BulletinDocxInput): Promise<Uint8Array> {
  const { texts } = input;
  const sections = bulletinSections(input.model, input);
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, spacing: { after: 200 }, children: [new TextRun({ text: input.title, size: 40, bold: true })] }),
    paragraph(fill(texts.dateLine, { date: input.asOf }), { center: true }),
    paragraph(fill(texts.issuerLine, { issuer: input.issuer }), { center: true }),
    heading(texts.overallHeading),
    table(sections.overall),
    heading(texts.rankingHeading),
  ];
  for (const ranking of sections.rankings) children.push(paragraph(ranking.sentence), table(ranking.table), paragraph(''));
  children.push(heading(texts.overdueHeading));
  if (sections.overdue.length === 0) children.push(paragraph(texts.overdueNone));
  for (const county of sections.overdue) children.push(paragraph(county.heading), table(county.table), paragraph(''));
  if (input.maps.length > 0) {
    children.push(heading(texts.mapsHeading));
    for (const map of input.maps) {
      children.push(paragraph(fill(texts.mapCaption, { title: map.title })));
      // Word sizes pictures in pixels at 96 dpi: points × 4/3.
      children.push(new Paragraph({ children: [new ImageRun({ type: 'png', data: map.png, transformation: { width: Math.round((map.width * 4) / 3), height: Math.round((map.height * 4) / 3) } })] }));
    }
  }
  children.push(heading(texts.sourcesHeading));
  for (const source of input.sources) children.push(paragraph(source));
  if (input.model.demo) children.push(paragraph(texts.demoNote, { color: 'D00050' }));
  const document = new Document({
    creator: 'OneMap',
    title: input.title,
    description: fill(texts.dateLine, { date: input.asOf }),
    lastModifiedBy: 'OneMap',
    styles: { default: { document: { run: { font: bodyFont } } } },
    sections: [{ properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } }, children }],
  });
  return new Uint8Array(await Packer.toArrayBuffer(document));
}
