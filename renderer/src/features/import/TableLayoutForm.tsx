// Where a table's header and coordinates are (CSV, .txt, Excel): what the reader found — the header
// row, the coordinate columns, the rows left out (title, note, total, signature), the 坐标系 note —
// with the header row and the coordinate columns open to correction. Shown after a read, and after a
// read that found no coordinate columns (then from the error's details), so the user can always choose.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TableLayout } from '../../../../shared/io';
import type { ReadOptions } from './worker/import-client';

export interface TableLayoutView {
  headerRow: number | null;
  headerRowCount?: number;
  /** The header's columns (empty when the chosen header row could not be read). */
  columns: readonly string[];
  coordinateColumns?: readonly [string, string];
  skippedRows?: TableLayout['skippedRows'];
  crsNote?: TableLayout['crsNote'];
  /** The leading rows as text (after a failed read), to find the header by. */
  leadingRows?: readonly { row: number; text: string }[];
}

/** The layout a failed read's details describe (`coordinate-columns-not-found`, `header-row-invalid`), or null. */
export function layoutFromFailure(code: string, details: Readonly<Record<string, unknown>> | undefined): TableLayoutView | null {
  if ((code !== 'coordinate-columns-not-found' && code !== 'header-row-invalid') || details === undefined) return null;
  const header = Array.isArray(details.header) ? details.header.filter((name): name is string => typeof name === 'string') : [];
  const rows = Array.isArray(details.rows)
    ? details.rows.filter((row): row is { row: number; text: string } => typeof row === 'object' && row !== null && typeof (row as { row: unknown }).row === 'number')
    : [];
  return { headerRow: typeof details.headerRow === 'number' ? details.headerRow : null, columns: header, leadingRows: rows };
}

export interface TableLayoutFormProps {
  layout: TableLayoutView;
  options: ReadOptions;
  disabled: boolean;
  /** Read the file again with these options. */
  onApply(options: ReadOptions): void;
}

const chosenPair = (options: ReadOptions): [string, string] | null =>
  options.columns === undefined ? null : 'lon' in options.columns ? [options.columns.lon, options.columns.lat] : [options.columns.x, options.columns.y];

/** A fresh form for each read (its choices start from what that read found or was told). */
export function TableLayoutForm(props: TableLayoutFormProps) {
  const { layout, options } = props;
  const read = JSON.stringify([layout.headerRow, layout.columns, layout.coordinateColumns ?? null, options.headerRow ?? null, options.columns ?? null]);
  return <TableLayoutChoices key={read} {...props} />;
}

function TableLayoutChoices({ layout, options, disabled, onApply }: TableLayoutFormProps) {
  const { t } = useTranslation();
  const initialPair = chosenPair(options) ?? (layout.coordinateColumns ? [...layout.coordinateColumns] : ['', '']);
  const [headerRow, setHeaderRow] = useState(String(options.headerRow ?? layout.headerRow ?? ''));
  const [first, setFirst] = useState(initialPair[0] ?? '');
  const [second, setSecond] = useState(initialPair[1] ?? '');

  const headerChanged = headerRow !== String(layout.headerRow ?? '');
  const apply = () => {
    const next: ReadOptions = { ...options };
    delete next.columns;
    delete next.headerRow;
    const row = Number(headerRow);
    if (headerRow.trim() !== '' && Number.isInteger(row) && row >= 1) next.headerRow = row;
    // Columns of another header row are not known yet: they are found by name there, or chosen after.
    if (!headerChanged && first !== '' && second !== '' && first !== second) next.columns = { x: first, y: second };
    onApply(next);
  };
  const columnSelect = (label: string, value: string, onChange: (value: string) => void) => (
    <label className="field">
      <span>{label}</span>
      <select aria-label={label} value={value} disabled={headerChanged || layout.columns.length === 0} onChange={(event) => onChange(event.target.value)}>
        <option value="">—</option>
        {layout.columns.map((column) => (
          <option key={column} value={column}>
            {column}
          </option>
        ))}
      </select>
    </label>
  );
  const above = layout.skippedRows?.filter((row) => row.place === 'above-header') ?? [];
  const below = layout.skippedRows?.filter((row) => row.place === 'below-data') ?? [];
  return (
    <section className="import-table-layout" data-testid="import-table-layout">
      <h4>{t('importWizard.table.heading')}</h4>
      {layout.headerRow !== null && (
        <p className="muted" data-testid="import-table-found">
          {t(layout.coordinateColumns === undefined ? 'importWizard.table.notFound' : layout.headerRowCount === 2 ? 'importWizard.table.foundTwoRows' : 'importWizard.table.found', {
            row: layout.headerRow,
            next: layout.headerRow + 1,
            columns: layout.coordinateColumns ? layout.coordinateColumns.join(t('importWizard.table.and')) : '—',
          })}
        </p>
      )}
      {layout.crsNote && (
        <p className="muted" data-testid="import-table-crs-note">
          {t('importWizard.table.crsNote', { row: layout.crsNote.row, crs: layout.crsNote.crs })}
        </p>
      )}
      {(above.length > 0 || below.length > 0) && (
        <div data-testid="import-table-skipped">
          <p className="muted">{t('importWizard.table.skipped', { count: above.length + below.length })}</p>
          <ul className="import-table-rows">
            {[...above, ...below].map((row) => (
              <li key={row.row}>
                {t(row.place === 'above-header' ? 'importWizard.table.aboveHeader' : 'importWizard.table.belowData', { row: row.row })}
                {row.text}
              </li>
            ))}
          </ul>
        </div>
      )}
      {layout.leadingRows && layout.leadingRows.length > 0 && (
        <div data-testid="import-table-leading">
          <p className="muted">{t('importWizard.table.leadingRows')}</p>
          <ul className="import-table-rows">
            {layout.leadingRows.map((row) => (
              <li key={row.row}>
                {t('importWizard.table.rowText', { row: row.row })}
                {row.text}
              </li>
            ))}
          </ul>
        </div>
      )}
      <fieldset disabled={disabled} className="import-fieldset import-table-choices">
        <label className="field">
          <span>{t('importWizard.table.headerRow')}</span>
          <input type="number" min={1} step={1} aria-label={t('importWizard.table.headerRow')} value={headerRow} onChange={(event) => setHeaderRow(event.target.value)} />
        </label>
        {columnSelect(t('importWizard.table.firstColumn'), first, setFirst)}
        {columnSelect(t('importWizard.table.secondColumn'), second, setSecond)}
        {headerChanged && <p className="muted">{t('importWizard.table.columnsAfterHeader')}</p>}
        <button type="button" onClick={apply}>
          {t('importWizard.table.apply')}
        </button>
      </fieldset>
    </section>
  );
}
