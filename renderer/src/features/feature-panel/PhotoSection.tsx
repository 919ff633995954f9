import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { failure, Outcome, type Failure } from '../errors';
import { attachPhoto, removePhoto, type AttachmentRecord } from '../../db';
import { usePhotos } from '../../db/undo-hooks';
import { useWorkspace } from '../../lib/workspace';
import { makeThumbnail } from './thumbnail';
import { FilePicker } from '../../app/FilePicker';

function ObjectUrlImage({ blob, alt }: { blob: Blob; alt: string }) {
  const url = useMemo(() => URL.createObjectURL(blob), [blob]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return <img src={url} alt={alt} />;
}

/** Photos of a feature: attach from a file picker (or the camera where the platform has one), shown as thumbnails. */
export function PhotoSection({ layerId, featureId }: { layerId: string; featureId: string }) {
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const photos = usePhotos(workspace.database, layerId, featureId);
  const [state, setState] = useState<string | Failure | null>(null);

  const add = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    setState(t('photos.saving'));
    try {
      for (const file of Array.from(files)) {
        await attachPhoto(workspace.database, {
          layerId,
          featureId,
          blob: file,
          fileName: file.name,
          mimeType: file.type || 'application/octet-stream',
          author: workspace.identity.deviceId,
          thumbnail: await makeThumbnail(file),
        });
      }
      setState(t('photos.saved', { count: files.length }));
    } catch (error) {
      setState(failure(error, (reason) => t('photos.failed', { reason })));
    }
  };

  const remove = async (photo: AttachmentRecord) => {
    try {
      await removePhoto(workspace.database, { layerId, featureId, attachmentId: photo.id, author: workspace.identity.deviceId });
    } catch (error) {
      setState(failure(error, (reason) => t('photos.failed', { reason })));
    }
  };

  return (
    <section className="photos" aria-label={t('photos.heading')}>
      <h3>{t('photos.heading')}</h3>
      <ul className="photo-list">
        {(photos ?? []).map((photo) => (
          <li key={photo.id} data-testid="photo">
            <ObjectUrlImage blob={photo.thumbnail ?? photo.blob} alt={photo.fileName} />
            <span className="photo-name">{photo.fileName}</span>
            <button type="button" className="link" onClick={() => void remove(photo)}>
              {t('photos.remove')}
            </button>
          </li>
        ))}
      </ul>
      <FilePicker label={t('photos.add')} accept="image/*" capture="environment" multiple onChange={(event) => void add(event.target.files)} />
      {state && <Outcome value={state} className="save-state" testId="photo-state" />}
    </section>
  );
}
