// Settings: what the gateway runs with. The headless gateway takes its settings from the environment, so here
// they are read-only; the desktop app's bridge makes the Anthropic key, the port and the feature flags editable.
import { useState } from 'react';
import type { GatewaySettings, StorageStatus } from '../api/types.ts';
import type { DesktopSettings } from '../bridge.ts';
import { ErrorState, Loading } from '../components/states.tsx';
import { Badge, PageHeader, Panel, Toggle } from '../components/ui.tsx';
import { useApp } from '../lib/context.ts';
import { ms } from '../lib/format.ts';
import { useResource } from '../lib/use-resource.ts';
import { UpstreamsEditor, UpstreamsPanel } from './UpstreamsPanel.tsx';

/** 'responseCache' → 'Response cache'. */
export function featureLabel(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1).replace(/\b([A-Z])([a-z])/g, (_, a: string, b: string) => a.toLowerCase() + b);
}

export function Settings() {
  const { client, bridge } = useApp();
  const settings = useResource(() => client.settings(), [client]);
  const health = useResource(() => client.health(), [client]);

  return (
    <div className="page" data-page="settings">
      <PageHeader
        title="Settings"
        description={bridge ? 'Changes apply at once; the gateway restarts without dropping requests in flight.' : 'This gateway reads its settings from its environment. Change them there and restart it.'}
      />
      <div className="grid grid-2">
        <Panel title="Gateway" testId="settings-gateway">
          <dl className="facts">
            <dt>Address</dt>
            <dd className="mono">{client.baseUrl}/v1</dd>
            <dt>Version</dt>
            <dd>{health.data ? health.data.version : health.error ? <span className="muted">unknown</span> : '…'}</dd>
            <dt>Status</dt>
            <dd>{health.data ? <Badge tone={health.data.status === 'ok' ? 'good' : 'warn'}>{health.data.status}</Badge> : health.error ? <Badge tone="bad">unreachable</Badge> : '…'}</dd>
          </dl>
        </Panel>
        {settings.data ? (
          <StoragePanel storage={settings.data.storage} onRefresh={settings.reload} />
        ) : (
          <Panel title="Storage">{settings.error ? <ErrorState error={settings.error} onRetry={settings.reload} /> : <Loading rows={3} />}</Panel>
        )}
      </div>
      {health.data?.upstreams && <UpstreamsPanel upstreams={health.data.upstreams} />}
      {bridge && <DesktopPanel />}
      <Panel
        title={bridge ? 'Features in effect' : 'Features'}
        subtitle={bridge ? 'What the running gateway reports.' : 'Read-only here: set them in the environment of the gateway.'}
        testId="settings-features"
      >
        {settings.data ? (
          <FeatureList features={settings.data.features} />
        ) : settings.error ? (
          <ErrorState error={settings.error} onRetry={settings.reload} />
        ) : (
          <Loading rows={4} />
        )}
      </Panel>
    </div>
  );
}

function FeatureList({ features }: { features: GatewaySettings['features'] }) {
  const entries = Object.entries(features).sort(([a], [b]) => a.localeCompare(b));
  if (!entries.length) return <p className="muted">This gateway reports no feature flags.</p>;
  return (
    <ul className="feature-list">
      {entries.map(([name, on]) => (
        <li key={name} data-feature={name}>
          <span>{featureLabel(name)}</span>
          <Badge tone={on ? 'good' : 'neutral'}>{on ? 'on' : 'off'}</Badge>
        </li>
      ))}
    </ul>
  );
}

type Target = 'redis' | 'postgres';

function StoragePanel({ storage, onRefresh }: { storage: GatewaySettings['storage']; onRefresh(): void }) {
  const { client, bridge } = useApp();
  const [results, setResults] = useState<Partial<Record<Target, { tone: 'good' | 'bad' | 'busy'; text: string }>>>({});

  const test = async (target: Target) => {
    setResults((r) => ({ ...r, [target]: { tone: 'busy', text: 'Testing…' } }));
    try {
      const result = bridge?.testStorage ? await bridge.testStorage(target) : await client.testStorage(target);
      if (result) {
        const text = result.ok ? `Connected${result.latencyMs !== undefined ? ` in ${ms(result.latencyMs)}` : ''}` : (result.message ?? 'Connection failed');
        setResults((r) => ({ ...r, [target]: { tone: result.ok ? 'good' : 'bad', text } }));
        return;
      }
      // No test endpoint: the settings themselves report the live connection state.
      const fresh = await client.settings();
      const status = fresh.storage[target];
      setResults((r) => ({ ...r, [target]: status.connected ? { tone: 'good', text: 'Connected' } : { tone: 'bad', text: 'Not connected' } }));
      onRefresh();
    } catch (error) {
      setResults((r) => ({ ...r, [target]: { tone: 'bad', text: (error as Error).message } }));
    }
  };

  const row = (target: Target, label: string, status: StorageStatus, role: string) => {
    const result = results[target];
    return (
      <li className="storage-row" data-storage={target}>
        <span className={`dot ${!status.configured ? 'dot-off' : status.connected ? 'dot-good' : 'dot-bad'}`} aria-hidden="true" />
        <div className="storage-text">
          <strong>{label}</strong>
          <span className="muted">{status.configured ? (status.connected ? `Connected · ${role}` : `Configured but not connected · ${role}`) : `Not configured · ${role}`}</span>
          {result && <span className={`test-result ${result.tone}`}>{result.text}</span>}
        </div>
        {status.configured && (
          <button type="button" className="btn btn-small" onClick={() => test(target)} disabled={result?.tone === 'busy'}>
            Test connection
          </button>
        )}
      </li>
    );
  };

  return (
    <Panel title="Storage" testId="settings-storage">
      <ul className="storage-list">
        <li className="storage-row" data-storage="sqlite">
          <span className="dot dot-good" aria-hidden="true" />
          <div className="storage-text">
            <strong>SQLite</strong>
            <span className="mono small wrap">{storage.sqlite}</span>
          </div>
        </li>
        {row('redis', 'Redis', storage.redis, 'shared limits and caches')}
        {row('postgres', 'PostgreSQL', storage.postgres, 'usage, projects and memory')}
      </ul>
    </Panel>
  );
}

function DesktopPanel() {
  const { bridge } = useApp();
  const desktop = useResource(() => bridge!.getSettings(), [bridge]);
  const [anthropicKey, setAnthropicKey] = useState('');
  const [port, setPort] = useState<string>();
  const [notice, setNotice] = useState<{ tone: 'good' | 'bad'; text: string }>();

  if (!desktop.data) {
    return <Panel title="Desktop app">{desktop.error ? <ErrorState error={desktop.error} onRetry={desktop.reload} /> : <Loading rows={3} />}</Panel>;
  }
  const current: DesktopSettings = desktop.data;
  const run = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      setNotice({ tone: 'good', text: done });
      desktop.reload();
    } catch (error) {
      setNotice({ tone: 'bad', text: (error as Error).message });
    }
  };

  const portValue = port ?? String(current.port);
  const portValid = /^\d+$/.test(portValue) && Number(portValue) >= 1024 && Number(portValue) <= 65535;

  return (
    <Panel title="Desktop app" testId="settings-desktop">
      {notice && (
        <p className={`export-status panel-notice ${notice.tone}`} role="status">
          {notice.text}
        </p>
      )}
      <div className="form">
        <div className="field">
          <label htmlFor="anthropic-key">Anthropic API key</label>
          <div className="inline-form">
            <input
              id="anthropic-key"
              type="password"
              className="input"
              autoComplete="off"
              value={anthropicKey}
              onChange={(e) => setAnthropicKey(e.target.value)}
              placeholder={current.anthropicKeySet ? 'Stored in the system keychain — enter a new one to replace it' : 'sk-ant-…'}
            />
            <button
              type="button"
              className="btn btn-primary"
              disabled={!anthropicKey.trim()}
              onClick={() =>
                run(async () => {
                  const result = await bridge!.setAnthropicKey(anthropicKey.trim());
                  if (!result.ok) throw new Error(result.message ?? 'The key was not accepted');
                  setAnthropicKey('');
                }, 'Anthropic key saved to the system keychain.')
              }
            >
              Save key
            </button>
          </div>
        </div>
        {bridge!.setUpstreams && <UpstreamsEditor upstreams={current.upstreams ?? []} save={(json) => bridge!.setUpstreams!(json)} run={run} />}
        <div className="field">
          <label htmlFor="gateway-port">Port</label>
          <div className="inline-form">
            <input id="gateway-port" className="input narrow" inputMode="numeric" value={portValue} onChange={(e) => setPort(e.target.value)} />
            <button type="button" className="btn" disabled={!portValid || Number(portValue) === current.port} onClick={() => run(() => bridge!.updateSettings({ port: Number(portValue) }), `The gateway now listens on port ${portValue}.`)}>
              Apply
            </button>
          </div>
          {!portValid && <span className="field-error">A port between 1024 and 65535</span>}
        </div>
        <fieldset className="fieldset">
          <legend>Feature flags</legend>
          <div className="switch-grid">
            {Object.entries(current.features)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([name, on]) => (
                <div key={name} className="switch-item">
                  <Toggle checked={on} label={featureLabel(name)} onChange={(next) => run(() => bridge!.updateSettings({ features: { ...current.features, [name]: next } }), `${featureLabel(name)} turned ${next ? 'on' : 'off'}.`)} />
                </div>
              ))}
          </div>
        </fieldset>
      </div>
    </Panel>
  );
}
