// The upstreams a gateway balances over (UPSTREAMS), from /health: state, rate-limit headroom, traffic, errors.
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
