// The import wizard: choose a file → what was detected (format, encoding, CRS, count, warnings),
// with override options → preview on the map and in a table → target layer and field mapping (or a
// new layer) → one all-or-nothing commit with progress and Cancel → a report. Reading and committing
// run in the import worker; the store is written only by `importFeatures` (one transact change).
// The state and its work are `useImportWizard`; each step is its own component.
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { LayerDefinition } from '../../../../shared/model';
import { ErrorNotice } from '../errors';
import { FileChooser, HiddenFileInput } from './FileChooser';
import { ImportProgressBar } from './ImportProgressBar';
import { ImportReport } from './ImportReport';
import { OutcomeNotice } from './OutcomeNotice';
import { ReadStep } from './ReadStep';
import { layoutFromFailure, TableLayoutForm } from './TableLayoutForm';
import { useImportWizard, type ImportWizardMap } from './use-import-wizard';
import type { CountyArea } from './worker/import-client';
import './import-wizard.css';

export type { ImportWizardMap } from './use-import-wizard';

export interface ImportWizardProps {
  layers: readonly LayerDefinition[];
  map: ImportWizardMap | null;
  counties: readonly CountyArea[];
  /** A file dropped on the map, read at once. */
  initialFile?: File | null;
  onClose(): void;
}

export function ImportWizard({ layers, map, counties, initialFile = null, onClose }: ImportWizardProps) {
  const { t } = useTranslation();
  const wizard = useImportWizard({ layers, map, counties, initialFile });
  const { stage, setStage, options, outcome, targetLayer, cancel, onFiles, rereadWith } = wizard;
  const fileInput = useRef<HTMLInputElement>(null);
  const chooser = <FileChooser fileInput={fileInput} onFiles={onFiles} />;

  // A table whose coordinate columns were not found: choose the header row and the columns here.
  const tableLayoutAfterFailure = (failed: Extract<typeof stage, { kind: 'read-failed' }>) => {
    const layout = layoutFromFailure(failed.error.code, failed.found);
    return layout && <TableLayoutForm layout={layout} options={options} disabled={false} onApply={(next) => rereadWith(failed.file, next)} />;
  };

  const busy = stage.kind === 'reading' || stage.kind === 'committing';
  return (
    <div className="import-wizard" data-covers-map="" role="dialog" aria-modal="false" aria-label={t('importWizard.heading')} data-testid="import-wizard">
      <header>
        <h2>{t('importWizard.heading')}</h2>
        <button type="button" className="import-close" onClick={onClose} disabled={busy} aria-label={t('importWizard.close')}>
          ×
        </button>
      </header>
      <div className="import-body">
        {stage.kind === 'choose' && (
          <>
            {chooser}
            <OutcomeNotice outcome={outcome} targetLayer={targetLayer} />
          </>
        )}
        {stage.kind === 'reading' && (
          <>
            <p>{t('importWizard.reading', { file: stage.file.name })}</p>
            <ImportProgressBar progress={stage.progress} onCancel={cancel} />
          </>
        )}
        {stage.kind === 'read-failed' && (
          <>
            <ErrorNotice
              className="import-notice error"
              testId="import-read-error"
              error={stage.error}
              lead={t('importWizard.readFailed', { file: stage.file.name })}
              trail={t('importWizard.nothingWritten')}
            />
            {tableLayoutAfterFailure(stage)}
            {chooser}
          </>
        )}
        {(stage.kind === 'read' || stage.kind === 'committing') && (
          <ReadStep file={stage.file} result={stage.result} busy={stage.kind === 'committing'} layers={layers} wizard={wizard} fileInput={fileInput} />
        )}
        {stage.kind === 'done' && <ImportReport done={stage} map={map} onAnother={() => setStage({ kind: 'choose' })} onClose={onClose} />}
        {stage.kind !== 'choose' && stage.kind !== 'read-failed' && <HiddenFileInput ref={fileInput} onFiles={onFiles} />}
      </div>
    </div>
  );
}
