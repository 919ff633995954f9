import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';
import { buildWorkspaceBoundaries, CHINA_BOUNDS, guessBoundaryFields, type BoundaryFieldChoice } from '../../../../shared/workspace';
import { FilePicker } from '../../app/FilePicker';
import { ErrorNotice } from '../errors';
import { readFileWithImportReaders, type ReadResult } from '../import';
import { useWorkspace } from '../../lib/workspace';
import { useMapController } from '../../map/map-controller';
import { createFromBoundaries } from './actions';

type Read = { kind: 'none' } | { kind: 'reading' } | { kind: 'read'; file: File; result: ReadResult } | { kind: 'failed'; error: OneMapErrorData };

/**
 * 新建工作区: a name, a boundary file read with the import wizard's readers (CRS against all of
 * China: the file itself says where the city is), the code and name fields (guessed, changeable),
 * the counties it will make or the first thing to fix; then one create, all or nothing.
 */
export function NewWorkspaceForm({ reservedNames, onCreated }: { reservedNames: readonly string[]; onCreated(id: string): void }) {
  const { t } = useTranslation();
  const { database } = useWorkspace();
  const [name, setName] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [read, setRead] = useState<Read>({ kind: 'none' });
  const [fields, setFields] = useState<Partial<BoundaryFieldChoice>>({});
  const [copy, setCopy] = useState(true);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<OneMapErrorData | null>(null);

  const choose = async (file: File | undefined) => {
    setFailure(null);
    if (!file) return setRead({ kind: 'none' });
    setRead({ kind: 'reading' });
    const outcome = await readFileWithImportReaders(file, { workspaceBounds: CHINA_BOUNDS });
    if (!outcome.ok) return setRead({ kind: 'failed', error: outcome.error });
    setRead({ kind: 'read', file, result: outcome.result });
    setFields(guessBoundaryFields(outcome.result));
    if (name.trim() === '') setName(file.name.replace(/\.[^.]+$/, ''));
  };

  // Checked as the fields are chosen: the counties it makes, or the first problem, before any write.
  const checked = useMemo(() => {
    if (read.kind !== 'read') return null;
    try {
      const choice = { codeField: fields.codeField ?? '', nameField: fields.nameField ?? '', ...(fields.nameEnField ? { nameEnField: fields.nameEnField } : {}) };
      return { ok: true as const, boundaries: buildWorkspaceBoundaries(read.result, choice, read.file.name) };
    } catch (error) {
      return { ok: false as const, error: oneMapErrorData(error) };
    }
  }, [read, fields]);

  // The counties it will make, drawn over the map (as the import wizard previews a file).
  const map = useMapController();
  useEffect(() => {
    map.setImportPreview(checked?.ok ? checked.boundaries.counties : null);
  }, [map, checked]);
  useEffect(() => () => map.setImportPreview(null), [map]);

  const create = async () => {
    if (!checked?.ok) return;
    setBusy(true);
    setFailure(null);
    try {
      const created = await createFromBoundaries({
        name: { zh: name, en: nameEn || name },
        boundaries: checked.boundaries,
        copyFrom: copy ? database : null,
        reservedNames,
      });
      onCreated(created.id);
    } catch (error) {
      setFailure(oneMapErrorData(error));
      setBusy(false);
    }
  };

  const fieldSelect = (key: keyof BoundaryFieldChoice, label: string, optional: boolean) =>
    read.kind === 'read' && (
      <label>
        <span>{label}</span>
        <select value={fields[key] ?? ''} onChange={(event) => setFields({ ...fields, [key]: event.target.value || undefined })} data-testid={`workspace-${key}`}>
          {(optional || fields[key] === undefined) && <option value="">{t('workspaces.new.none')}</option>}
          {read.result.fields.map((field) => (
            <option key={field} value={field}>
              {field}
            </option>
          ))}
        </select>
      </label>
    );

  return (
    <section className="workspace-form" data-testid="workspace-new">
      <h3>{t('workspaces.new.heading')}</h3>
      <p className="muted">{t('workspaces.new.hint')}</p>
      <label>
        <span>{t('workspaces.new.name')}</span>
        <input value={name} onChange={(event) => setName(event.target.value)} />
      </label>
      <label>
        <span>{t('workspaces.new.nameEn')}</span>
        <input value={nameEn} onChange={(event) => setNameEn(event.target.value)} />
      </label>
      <FilePicker label={t('workspaces.new.file')} accept=".zip,.geojson,.json,.gpkg,.kml,.kmz" onChange={(event) => void choose(event.target.files?.[0])} />
      {read.kind === 'reading' && <p className="muted">{t('workspaces.new.reading')}</p>}
      {read.kind === 'failed' && <ErrorNotice className="notice error" error={read.error} frame={(reason) => t('workspaces.new.failed', { reason })} testId="workspace-read-error" />}
      {read.kind === 'read' && (
        <p className="muted" data-testid="workspace-detected">
          {t('workspaces.new.detected', { format: t(`importWizard.format.${read.result.format}`), count: read.result.featureCount, crs: read.result.sourceCrs })}
          {read.result.encoding ? ` · ${t('workspaces.new.encoding', { encoding: read.result.encoding.toUpperCase() })}` : ''}
        </p>
      )}
      {fieldSelect('codeField', t('workspaces.new.codeField'), false)}
      {fieldSelect('nameField', t('workspaces.new.nameField'), false)}
      {fieldSelect('nameEnField', t('workspaces.new.nameEnField'), true)}
      {checked && !checked.ok && <ErrorNotice className="notice error" error={checked.error} testId="workspace-boundary-error" />}
      {checked?.ok && (
        <>
          <p>{t('workspaces.new.preview', { count: checked.boundaries.counties.features.length })}</p>
          <ul className="workspace-counties" data-testid="workspace-counties">
            {checked.boundaries.counties.features.map((county) => (
              <li key={county.properties.adcode}>
                {county.properties.name} · {county.properties.adcode}
              </li>
            ))}
          </ul>
        </>
      )}
      {read.kind === 'read' && (
        <label className="checkbox">
          <input type="checkbox" checked={copy} onChange={(event) => setCopy(event.target.checked)} />
          <span>{t('workspaces.new.copy')}</span>
        </label>
      )}
      {failure && <ErrorNotice className="notice error" error={failure} frame={(reason) => t('workspaces.new.failed', { reason })} testId="workspace-create-error" />}
      <button type="button" disabled={!checked?.ok || busy} onClick={() => void create()}>
        {busy ? t('workspaces.new.creating') : t('workspaces.new.create')}
      </button>
    </section>
  );
}
