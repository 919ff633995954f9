import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHubSync } from '../../lib/hub-sync';
import { signInFailure, type SignInFailure } from './sign-in-failure';

type Attempt = { kind: 'idle' } | { kind: 'working' } | { kind: 'failed'; reason: SignInFailure };

/** User name and password → a token; `again` keeps the user of an expired session. */
export function SignInForm({ again }: { again?: string }) {
  const { t } = useTranslation();
  const sync = useHubSync();
  const [user, setUser] = useState(again ?? '');
  const [password, setPassword] = useState('');
  const [attempt, setAttempt] = useState<Attempt>({ kind: 'idle' });

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setAttempt({ kind: 'working' });
    try {
      await sync.signIn(user.trim(), password);
      setPassword('');
      setAttempt({ kind: 'idle' });
    } catch (error) {
      setAttempt({ kind: 'failed', reason: signInFailure(error) });
    }
  };

  return (
    <form className="hub-sign-in" onSubmit={(event) => void submit(event)} aria-label={t('hub.signIn.heading')}>
      <h3>{t('hub.signIn.heading')}</h3>
      {again !== undefined && (
        <p className="notice" data-testid="hub-sign-in-again">
          {t('hub.signIn.again')}
        </p>
      )}
      <label className="field">
        <span>{t('hub.signIn.user')}</span>
        <input type="text" autoComplete="username" required value={user} onChange={(event) => setUser(event.target.value)} data-testid="hub-user" />
      </label>
      <label className="field">
        <span>{t('hub.signIn.password')}</span>
        <input type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} data-testid="hub-password" />
      </label>
      <button type="submit" disabled={attempt.kind === 'working'} data-testid="hub-sign-in">
        {t('hub.signIn.submit')}
      </button>
      <p className="hub-status" role="status" data-testid="hub-sign-in-status">
        {attempt.kind === 'working' && t('hub.signIn.working')}
        {attempt.kind === 'failed' && t(`hub.signIn.failed.${attempt.reason}`)}
      </p>
    </form>
  );
}
