// Sign-in for the dashboard served by a headless gateway: the admin key is checked against the admin API and
// then kept in this tab's sessionStorage.
import { useState, type FormEvent } from 'react';
import { ApiError, createClient } from '../api/client.ts';

export function Login({ baseUrl, notice, onSignedIn }: { baseUrl: string; notice?: string; onSignedIn(key: string): void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setError('Enter the admin key.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await createClient({ baseUrl, adminKey: trimmed }).settings();
      onSignedIn(trimmed);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setError('That key is not the admin key of this gateway.');
      else if (e instanceof ApiError && e.status === 404) onSignedIn(trimmed); // an older gateway without settings: let the pages say what is missing
      else setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} data-testid="login">
        <div className="brand brand-large">
          <Logo />
          <span>Coding Gateway</span>
        </div>
        <h1>Sign in to the dashboard</h1>
        <p className="muted">
          Use the gateway's admin key (<code>ADMIN_API_KEY</code>; when it is not set, the key generated in <code>DATA_DIR/admin-key</code>). The gateway key does not open the dashboard. It stays in this tab only.
        </p>
        {notice && !error && <p className="notice">{notice}</p>}
        <div className={`field${error ? ' has-error' : ''}`}>
          <label htmlFor="admin-key">Admin key</label>
          <input id="admin-key" className="input" type="password" autoComplete="current-password" autoFocus value={key} onChange={(e) => setKey(e.target.value)} />
          {error && (
            <span className="field-error" role="alert">
              {error}
            </span>
          )}
        </div>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

export function Logo() {
  return (
    <svg viewBox="0 0 32 32" width="26" height="26" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="#4f46e5" />
      <path d="M10 11l-4 5 4 5M22 11l4 5-4 5M18 8l-4 16" stroke="#fff" strokeWidth="2.2" fill="none" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
