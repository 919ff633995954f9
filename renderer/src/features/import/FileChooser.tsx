// Choosing the file: a drop zone with a button, over the one hidden file input of the wizard.
import { useState, type Ref, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';

/** The one hidden file input behind every "choose file" button (only one stage shows it at a time). */
export function HiddenFileInput({ ref, onFiles }: { ref: Ref<HTMLInputElement>; onFiles(files: FileList | null): void }) {
  const { t } = useTranslation();
  return (
    <input
      ref={ref}
      type="file"
      hidden
      aria-label={t('importWizard.chooseFile')}
      accept=".geojson,.json,.csv,.txt,.tsv,.xlsx,.xlsm,.zip,.kml,.kmz,.gpkg"
      onChange={(event) => {
        onFiles(event.target.files);
        event.target.value = '';
      }}
    />
  );
}

export function FileChooser({ fileInput, onFiles }: { fileInput: RefObject<HTMLInputElement | null>; onFiles(files: FileList | null): void }) {
  const { t } = useTranslation();
  const [dragging, setDragging] = useState(false);
  return (
    <div
      className={`import-drop${dragging ? ' dragging' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        onFiles(event.dataTransfer.files);
      }}
    >
      <span>{t('importWizard.dropHere')}</span>{' '}
      <button type="button" onClick={() => fileInput.current?.click()}>
        {t('importWizard.chooseFile')}
      </button>
      <HiddenFileInput ref={fileInput} onFiles={onFiles} />
      <p className="muted">{t('importWizard.supported')}</p>
    </div>
  );
}
