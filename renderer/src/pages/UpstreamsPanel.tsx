// The upstreams a gateway balances over (UPSTREAMS), from /health: state, rate-limit headroom, traffic, errors;
// and, inside the desktop app, the editor of the list it keeps in the system keychain.
import { useState } from 'react';
import type { UpstreamInfo } from '../api/types.ts';
import { Badge, Panel } from '../components/ui.tsx';
import { count, dateTime, percent } from '../lib/format.ts';

const TONE = { healthy: 'good', drained: 'warn', failing: 'bad' } as const;

export function UpstreamsPanel({ upstreams }: { upstreams: UpstreamInfo[] }) {
  return (
    <Panel title="Upstreams" subtitle="Conversations stay on the upstream that served their first turn; new ones are spread by weight and headroom." testId="upstreams-panel">
      <table className="table" data-testid="upstreams-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Provider</th>
            <th>State</th>
            <th>Headroom</th>
            <th>Calls</th>
            <th>Failed over</th>
            <th>Last error</th>
          </tr>
        </thead>
        <tbody>
          {upstreams.map((u) => {
            const failed = Object.values(u.traffic.failovers).reduce((a, b) => a + b, 0);
            return (
              <tr key={u.name} data-upstream={u.name}>
                <td className="mono">{u.name}</td>
                <td>{u.provider}{typeof u.config.region === 'string' ? ` · ${u.config.region}` : ''}</td>
                <td><Badge tone={TONE[u.state]}>{u.state}</Badge></td>
                <td>{u.capacity ? percent(u.capacity.remaining, 0) : <span className="muted">—</span>}</td>
                <td>{count(u.traffic.requests)}</td>
                <td title={Object.entries(u.traffic.failovers).map(([k, v]) => `${k}: ${v}`).join(', ')}>{count(failed)}</td>
                <td className="small">{u.traffic.lastError ? `${dateTime(u.traffic.lastErrorAt)}: ${u.traffic.lastError}` : <span className="muted">none</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Panel>
  );
}

const EXAMPLE = '[{"name": "team-a", "provider": "anthropic", "credentials": {"apiKey": "sk-ant-…"}}, {"name": "aws", "provider": "bedrock", "credentials": {"region": "us-east-1"}}]';

export function UpstreamsEditor({ upstreams, save, run }: {
  upstreams: Array<Record<string, unknown>>;
  save(json: string): Promise<{ ok: boolean; message?: string }>;
  run(action: () => Promise<unknown>, done: string): Promise<void>;
}) {
  const [json, setJson] = useState('');
  const store = () =>
    run(async () => {
      const result = await save(json.trim());
      if (!result.ok) throw new Error(result.message ?? 'The list was not accepted');
      setJson('');
    }, 'Upstreams saved to the system keychain; the gateway now balances over them.');
  return (
    <div className="field" data-testid="desktop-upstreams">
      <label htmlFor="upstreams-json">Upstreams (several Anthropic keys, Bedrock, Vertex, Foundry)</label>
      <p className="field-hint">
        {upstreams.length > 0
          ? `In use: ${upstreams.map((u) => `${String(u.name)} (${String(u.provider)})`).join(', ')}. Credentials stay in the system keychain.`
          : 'None: the Anthropic key above is the only upstream. Paste an UPSTREAMS JSON list to balance over several.'}
      </p>
      <textarea id="upstreams-json" className="input mono" rows={5} spellCheck={false} value={json} onChange={(e) => setJson(e.target.value)} placeholder={EXAMPLE} />
      <div className="inline-form">
        <button type="button" className="btn btn-primary" disabled={!json.trim()} onClick={() => void store()}>
          Save upstreams
        </button>
        {upstreams.length > 0 && (
          <button type="button" className="btn btn-ghost" onClick={() => void run(() => save(''), 'Back to the Anthropic key alone.')}>
            Use the key alone
          </button>
        )}
      </div>
    </div>
  );
}
