import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { normalizeUserName, setUserName } from '../../db';
import { useWorkspace } from '../../lib/workspace';

/** Asks the user's name (once: it is kept in the store); inline, never blocking the workbench. */
export function UserNameForm({ initial = '', onDone }: { initial?: string; onDone?: () => void }) {
  const { t } = useTranslation();
  const { database } = useWorkspace();
  const [name, setName] = useState(initial);
  const [invalid, setInvalid] = useState(false);
  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    if (normalizeUserName(name) === null) {
      setInvalid(true);
      return;
    }
    await setUserName(database, name);
    onDone?.();
  };
  return (
    <form className="sync-name" onSubmit={(event) => void save(event)}>
      <label>
        <span>{t('sync.identity.prompt')}</span>
        <input type="text" maxLength={100} value={name} onChange={(event) => setName(event.target.value)} aria-invalid={invalid} />
      </label>
      <button type="submit">{t('sync.identity.remember')}</button>
      {invalid && <p role="alert">{t('sync.identity.invalid')}</p>}
    </form>
  );
}
