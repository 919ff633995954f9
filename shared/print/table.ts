// Tables and flowing text for the atlas's notes and the bulletin: rows of cells in columns (a share
// of the width each), text wrapped to the column; a flow that starts a new page when one is full.
import type { Rect } from './paper';
import { wrapText, type Surface } from './surface';

export interface Column {
  /** Share of the table's width. */
  share: number;
  align?: 'left' | 'right' | 'center';
}

const ink = '#222222';

/** Height of a row: its tallest wrapped cell. */
export function rowHeight(surface: Surface, width: number, columns: readonly Column[], cells: readonly string[], size: number): number {
  const lines = cells.map((cell, index) => wrapText(cell, width * columns[index]!.share - size * 0.6, (text) => surface.measure(text, size)).length || 1);
  return Math.max(...lines) * size * 1.3 + size * 0.5;
}

/** One row at `y` (the header in bold-ish grey band when `header`); returns its height. */
export function drawRow(surface: Surface, x: number, y: number, width: number, columns: readonly Column[], cells: readonly string[], size: number, header = false): number {
  const height = rowHeight(surface, width, columns, cells, size);
  if (header) surface.path([[x, y, x + width, y, x + width, y + height, x, y + height]], true, { fill: '#ececec' });
  let left = x;
  cells.forEach((cell, index) => {
    const column = columns[index]!;
    const columnWidth = width * column.share;
    const lines = wrapText(cell, columnWidth - size * 0.6, (text) => surface.measure(text, size));
    lines.forEach((line, lineIndex) => {
      const textX = column.align === 'right' ? left + columnWidth - size * 0.3 : column.align === 'center' ? left + columnWidth / 2 : left + size * 0.3;
      surface.text(line, textX, y + size * 0.25 + lineIndex * size * 1.3, { size, color: ink, align: column.align ?? 'left' });
    });
    left += columnWidth;
  });
  surface.path([[x, y + height, x + width, y + height]], false, { stroke: '#bbbbbb', width: size * 0.05 });
  return height;
}

/** As many rows as fit in `box` under the header; returns how many were drawn. */
export function drawTable(surface: Surface, box: Rect, columns: readonly Column[], header: readonly string[], rows: readonly (readonly string[])[], size: number): number {
  let y = box.y + drawRow(surface, box.x, box.y, box.width, columns, header, size, true);
  let drawn = 0;
  for (const row of rows) {
    if (y + rowHeight(surface, box.width, columns, row, size) > box.y + box.height) break;
    y += drawRow(surface, box.x, y, box.width, columns, row, size);
    drawn += 1;
  }
  return drawn;
}

/** Text and tables down the page's body, starting a new page (`nextPage`) when the next block does not fit. */
export class Flow {
  y: number;
  constructor(
    public surface: Surface,
    private readonly body: Rect,
    private readonly nextPage: () => Promise<Surface>,
  ) {
    this.y = body.y;
  }

  get width(): number {
    return this.body.width;
  }

  get x(): number {
    return this.body.x;
  }

  /** Makes room for `height`: a new page when it does not fit on this one. */
  async room(height: number): Promise<void> {
    if (this.y + height <= this.body.y + this.body.height || this.y === this.body.y) return;
    this.surface = await this.nextPage();
    this.y = this.body.y;
  }

  async paragraph(text: string, size: number, options: { color?: string; align?: 'left' | 'center'; gap?: number } = {}): Promise<void> {
    const lines = wrapText(text, this.body.width, (line) => this.surface.measure(line, size));
    for (const line of lines) {
      await this.room(size * 1.45);
      this.surface.text(line, options.align === 'center' ? this.body.x + this.body.width / 2 : this.body.x, this.y, { size, color: options.color ?? ink, align: options.align ?? 'left' });
      this.y += size * 1.45;
    }
    this.y += options.gap ?? size * 0.4;
  }

  async table(columns: readonly Column[], header: readonly string[], rows: readonly (readonly string[])[], size: number): Promise<void> {
    await this.room(rowHeight(this.surface, this.body.width, columns, header, size) * 2);
    this.y += drawRow(this.surface, this.body.x, this.y, this.body.width, columns, header, size, true);
    for (const row of rows) {
      const height = rowHeight(this.surface, this.body.width, columns, row, size);
      const before = this.surface;
      await this.room(height);
      // A table carried onto a new page repeats its header.
      if (this.surface !== before) this.y += drawRow(this.surface, this.body.x, this.y, this.body.width, columns, header, size, true);
      this.y += drawRow(this.surface, this.body.x, this.y, this.body.width, columns, row, size);
    }
    this.y += size;
  }
}
