import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHubSync } from '../../lib/hub-sync';
import { oneMapErrorData, type OneMapErrorData } from '../../../../shared/errors';
import { ErrorNotice } from '../errors';

function isHttpAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The hub's address. Web shell: the page's own origin, read-only (the hub serves the app; any
 * other origin is out of the CSP's reach). Desktop: typed and saved; the window reloads so the
 * CSP names exactly that origin.
 */
export function AddressSection() {
  const { t } = useTranslation();
  const sync = useHubSync();
  const [typed, setTyped] = useState<string | null>(null);
  const [invalid, setInvalid] = useState(false);
  const [refused, setRefused] = useState<OneMapErrorData | null>(null);
  const value = typed ?? sync.address ?? '';

  if (!sync.addressEditable) {
    if (sync.address === undefined) return null;
    return sync.address === null ? (
      <p className="notice" data-testid="hub-address-none">
        {t('hub.address.webNone')}
      </p>
    ) : (
      <div className="hub-address">
        <p>
          {t('hub.address.label')}: <code data-testid="hub-address">{sync.address}</code>
        </p>
        <p className="muted">{t('hub.address.web')}</p>
      </div>
    );
  }

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!isHttpAddress(value.trim())) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setRefused(null);
    try {
      // The desktop shell checks the address (an https one for another computer) and reloads.
      await sync.setAddress(value.trim());
    } catch (error) {
      setRefused(oneMapErrorData(error));
    }
  };
  return (
    <form className="hub-address" onSubmit={(event) => void save(event)}>
      <label className="field">
        <span>{t('hub.address.label')}</span>
        <input
          type="url"
          value={value}
          placeholder={t('hub.address.placeholder')}
          disabled={sync.hub !== null}
          aria-invalid={invalid}
          onChange={(event) => setTyped(event.target.value)}
          data-testid="hub-address-input"
        />
      </label>
      {sync.hub === null && (
        <>
          <button type="submit" data-testid="hub-address-save" disabled={value.trim() === (sync.address ?? '')}>
            {t('hub.address.save')}
          </button>
          <p className="muted">{sync.address === null ? t('hub.address.desktopNone') : ''} {t('hub.address.saveHint')}</p>
        </>
      )}
      {invalid && <p role="alert">{t('hub.address.invalid')}</p>}
      {refused && <ErrorNotice className="notice error" testId="hub-address-status" error={refused} />}
    </form>
  );
}
