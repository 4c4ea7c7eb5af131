// Loading, empty and error states: each says what is happening and what to do next, in the same visual language.
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';

export function Loading({ label = 'Loading', rows = 3 }: { label?: string; rows?: number }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite" data-state="loading">
      <span className="visually-hidden">{label}…</span>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton" style={{ width: `${92 - i * 14}%` }} />
      ))}
    </div>
  );
}

export function ChartLoading({ height = 240 }: { height?: number }) {
  return (
    <div className="chart-skeleton" style={{ height }} role="status" aria-live="polite" data-state="loading">
      <span className="visually-hidden">Loading chart…</span>
      {[38, 62, 45, 80, 55, 70, 90, 64].map((h, i) => (
        <div key={i} className="chart-skeleton-bar" style={{ height: `${h}%` }} />
      ))}
    </div>
  );
}

export function Empty({ title, children, icon = 'chart' }: { title: string; children?: ReactNode; icon?: 'chart' | 'list' | 'key' | 'folder' }) {
  return (
    <div className="state state-empty" data-state="empty">
      <EmptyIcon kind={icon} />
      <p className="state-title">{title}</p>
      {children && <div className="state-text">{children}</div>}
    </div>
  );
}

export function ErrorState({ error, onRetry, compact }: { error: Error; onRetry?: () => void; compact?: boolean }) {
  const status = error instanceof ApiError ? error.status : null;
  const title =
    status === 0
      ? 'The gateway is unreachable'
      : status === 404
        ? 'This gateway does not offer this view yet'
        : status !== null && status >= 500
          ? 'The gateway had a problem'
          : 'Something went wrong';
  return (
    <div className={`state state-error${compact ? ' compact' : ''}`} role="alert" data-state="error">
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" className="state-icon">
        <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" strokeWidth="1.6" />
        <path d="M12 7v6M12 16.5v.5" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      </svg>
      <div>
        <p className="state-title">{title}</p>
        <p className="state-text">
          {error.message}
          {status ? <span className="muted"> (HTTP {status})</span> : null}
        </p>
      </div>
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

function EmptyIcon({ kind }: { kind: 'chart' | 'list' | 'key' | 'folder' }) {
  const paths: Record<typeof kind, ReactNode> = {
    chart: <path d="M4 19h16M7 16V11M11 16V7M15 16v-4M19 16V9" />,
    list: <path d="M8 7h11M8 12h11M8 17h11M4.5 7h.01M4.5 12h.01M4.5 17h.01" />,
    key: <path d="M14.5 9.5a4 4 0 1 1-1.2 2.9L4 21.7V18h2.5v-2.5H9l1.8-1.8" />,
    folder: <path d="M3.5 7.5a2 2 0 0 1 2-2h4l2 2h7a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2h-13a2 2 0 0 1-2-2z" />,
  };
  return (
    <svg viewBox="0 0 24 24" width="36" height="36" aria-hidden="true" className="state-icon" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round">
      {paths[kind]}
    </svg>
  );
}
