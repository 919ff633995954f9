import { useState, type InputHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

type FilePickerProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'className'> & {
  /** What the files are for; also the input's accessible name. */
  label: string;
};

/**
 * A file input that speaks the UI's language: Chromium draws the native one in the browser's
 * locale ("Choose Files · No file chosen" under a Chinese UI). The input stays in the label (so
 * it keeps its accessible name and keyboard focus), only visually hidden.
 */
export function FilePicker({ label, onChange, ...input }: FilePickerProps) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<string | null>(null);
  return (
    <label className="field file-picker">
      <span>{label}</span>
      <span className="file-picker-row" aria-hidden="true">
        <span className="file-picker-button">{t('filePicker.choose')}</span>
        <span className="muted">{chosen ?? t('filePicker.none')}</span>
      </span>
      <input
        {...input}
        type="file"
        className="visually-hidden"
        onChange={(event) => {
          const files = event.target.files;
          setChosen(files === null || files.length === 0 ? null : files.length === 1 ? files[0]!.name : t('filePicker.several', { count: files.length }));
          onChange?.(event);
        }}
      />
    </label>
  );
}
