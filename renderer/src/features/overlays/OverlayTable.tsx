import { useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { rowsToCsv } from '../../../../shared/analysis';
import { oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';
import { ErrorNotice } from '../errors';

export interface OverlayColumn<Row> {
  header: string;
  value(row: Row): string | number | null;
  numeric?: boolean;
}

export interface OverlayTableProps<Row> {
  /** File names of the exports, without extension. */
  name: string;
  rows: readonly Row[];
  columns: readonly OverlayColumn<Row>[];
  /** Rows shown on screen (all rows are exported). */
  maximumShown?: number;
  rowKey(row: Row, index: number): string;
  onRowClick?(row: Row): void;
  /** Whether the table is shown, in the drawer over the bottom of the map. */
  open: boolean;
  onOpenChange(open: boolean): void;
}

function download(fileName: string, bytes: Uint8Array | string, type: string): void {
  const blob = new Blob([bytes as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A result table with CSV (UTF-8 with BOM, opens in Excel) and Excel (.xlsx) exports of every row. */
/**
 * The sidebar keeps the count, the exports and a button; the table itself opens in a drawer over
 * the bottom of the map, wide enough that ids and classes stay on one line.
 */
export function OverlayTable<Row>({ name, rows, columns, maximumShown = 200, rowKey, onRowClick, open, onOpenChange }: OverlayTableProps<Row>) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState<OneMapErrorData | null>(null);
  const exportCsv = () => download(`${name}.csv`, rowsToCsv(rows, columns.map((column) => ({ header: column.header, value: column.value }))), 'text/csv;charset=utf-8');
  const exportXlsx = async () => {
    setFailed(null);
    try {
      const { writeXlsx } = await import('../../../../shared/io/formats/table-write');
      const bytes = await writeXlsx({ header: columns.map((column) => column.header), rows: rows.map((row) => columns.map((column) => column.value(row))) }, name);
      download(`${name}.xlsx`, bytes, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    } catch (error) {
      setFailed(oneMapErrorData(error));
    }
  };
  const exports = (
    <>
      <button type="button" onClick={exportCsv}>
        {t('overlays.exportCsv')}
      </button>
      <button type="button" onClick={() => void exportXlsx()}>
        {t('overlays.exportXlsx')}
      </button>
    </>
  );
  const drawer = (
    <section className="overlay-drawer" role="region" aria-label={name} data-testid="overlay-drawer">
      <header className="export-buttons">
        <h3>{name}</h3>
        <span className="muted">{t('overlays.rows', { count: rows.length })}</span>
        {exports}
        <button type="button" className="overlay-drawer-close" onClick={() => onOpenChange(false)} aria-label={t('overlays.drawer.close')}>
          ×
        </button>
      </header>
      <div className="overlay-table">
        <table className="county-table">
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.header} scope="col">
                  {column.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, maximumShown).map((row, index) => (
              <tr key={rowKey(row, index)} className={onRowClick ? 'clickable' : undefined} onClick={onRowClick ? () => onRowClick(row) : undefined}>
                {columns.map((column) => (
                  <td key={column.header} className={column.numeric ? 'numeric' : 'text'}>
                    {column.value(row) ?? '—'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length > maximumShown && <p className="muted">{t('overlays.moreRows', { count: rows.length - maximumShown })}</p>}
      </div>
    </section>
  );
  // Over the map's area (App's <main>); the page itself where there is none.
  const host = document.querySelector('main.main') ?? document.body;
  return (
    <div className="overlay-summary">
      <div className="export-buttons">
        <span className="muted">{t('overlays.rows', { count: rows.length })}</span>
        {exports}
        <button type="button" aria-expanded={open} onClick={() => onOpenChange(!open)}>
          {t(open ? 'overlays.drawer.hide' : 'overlays.drawer.show')}
        </button>
      </div>
      {failed && <ErrorNotice error={failed} />}
      {open && createPortal(drawer, host)}
    </div>
  );
}
