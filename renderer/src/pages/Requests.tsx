// Requests: a live feed of what went through the gateway, newest first, with the routing decision, cache use,
// reduction, tokens and cost of each, filterable, with older pages on demand.
import { useEffect, useMemo, useState } from 'react';
import type { Project, UsageRecord } from '../api/types.ts';
import { Empty, ErrorState, Loading } from '../components/states.tsx';
import { Badge, PageHeader, Panel, Toggle } from '../components/ui.tsx';
import { useApp } from '../lib/context.ts';
import { feedTime, ms, percent, tokens, usd } from '../lib/format.ts';
import { layerEntries, matchesFilter, requestReduction, routeLabel, statusClass } from '../lib/metrics.ts';
import { href } from '../lib/router.ts';
import { useResource } from '../lib/use-resource.ts';

const POLL_MS = 3000;
const PAGE = 50;

interface Filter {
  project: string;
  model: string;
  status: string;
  q: string;
}

export function Requests({ projects }: { projects: Project[] | undefined }) {
  const { client } = useApp();
  const [filter, setFilter] = useState<Filter>({ project: '', model: '', status: '', q: '' });
  const [text, setText] = useState('');
  const [live, setLive] = useState(true);
  const [older, setOlder] = useState<{ rows: UsageRecord[]; next: string | null; loading: boolean; error?: Error }>({ rows: [], next: null, loading: false });

  // Typing should not fire a request per keystroke.
  useEffect(() => {
    const timer = setTimeout(() => setFilter((f) => (f.q === text.trim() ? f : { ...f, q: text.trim() })), 300);
    return () => clearTimeout(timer);
  }, [text]);

  const params = { limit: PAGE, project: filter.project, model: filter.model, status: filter.status, q: filter.q };
  const feed = useResource(() => client.requests(params), [client, filter.project, filter.model, filter.status, filter.q], {
    pollMs: live ? POLL_MS : undefined,
  });

  // A new filter starts the older pages over.
  useEffect(() => setOlder({ rows: [], next: null, loading: false }), [filter.project, filter.model, filter.status, filter.q]);

  const rows = useMemo(() => {
    const seen = new Set<string>();
    const merged: UsageRecord[] = [];
    for (const record of [...(feed.data?.data ?? []), ...older.rows]) {
      if (seen.has(record.id) || !matchesFilter(record, filter)) continue;
      seen.add(record.id);
      merged.push(record);
    }
    return merged;
  }, [feed.data, older.rows, filter]);

  const nextBefore = older.rows.length ? older.next : (feed.data?.nextBefore ?? null);
  const loadOlder = async () => {
    if (!nextBefore) return;
    setOlder((o) => ({ ...o, loading: true, error: undefined }));
    try {
      const page = await client.requests({ ...params, before: nextBefore });
      setOlder((o) => ({ rows: [...o.rows, ...page.data], next: page.nextBefore, loading: false }));
    } catch (error) {
      setOlder((o) => ({ ...o, loading: false, error: error as Error }));
    }
  };

  const models = useMemo(() => {
    const names = new Set<string>();
    for (const record of feed.data?.data ?? []) if (record.model) names.add(record.model);
    if (filter.model) names.add(filter.model);
    return [...names].sort();
  }, [feed.data, filter.model]);

  const filtered = Boolean(filter.project || filter.model || filter.status || filter.q);

  return (
    <div className="page" data-page="requests">
      <PageHeader title="Requests" description="Every request the gateway handled, newest first.">
        <Toggle checked={live} onChange={setLive} label={<span className="live-label">{live && <span className="pulse" aria-hidden="true" />}Live</span>} />
      </PageHeader>
      <Panel className="filters-panel">
        <div className="filters">
          <input className="input search" type="search" placeholder="Search id, model, reason, error…" value={text} onChange={(e) => setText(e.target.value)} aria-label="Search requests" />
          <select className="select" value={filter.project} onChange={(e) => setFilter({ ...filter, project: e.target.value })} aria-label="Project">
            <option value="">All projects</option>
            {(projects ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <select className="select" value={filter.model} onChange={(e) => setFilter({ ...filter, model: e.target.value })} aria-label="Model">
            <option value="">All models</option>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
          <select className="select" value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value })} aria-label="Status">
            <option value="">All statuses</option>
            <option value="2xx">Succeeded (2xx)</option>
            <option value="4xx">Client errors (4xx)</option>
            <option value="5xx">Server errors (5xx)</option>
          </select>
          {filtered && (
            <button
              type="button"
              className="btn btn-ghost btn-small"
              onClick={() => {
                setText('');
                setFilter({ project: '', model: '', status: '', q: '' });
              }}
            >
              Clear filters
            </button>
          )}
        </div>
      </Panel>
      <Panel className="flush-panel">
        {feed.error && feed.data && <ErrorState error={feed.error} onRetry={feed.reload} compact />}
        {!feed.data ? (
          feed.error ? (
            <ErrorState error={feed.error} onRetry={feed.reload} />
          ) : (
            <Loading rows={8} label="Loading requests" />
          )
        ) : rows.length === 0 ? (
          filtered ? (
            <Empty title="No request matches these filters" icon="list">
              Try a wider search, or clear the filters.
            </Empty>
          ) : (
            <Empty title="No requests yet" icon="list">
              {live ? 'Waiting for traffic: new requests show up here within a few seconds.' : 'Turn on Live to follow new requests as they arrive.'}
            </Empty>
          )
        ) : (
          <RequestTable rows={rows} />
        )}
        {older.error && <ErrorState error={older.error} onRetry={loadOlder} compact />}
        {feed.data && nextBefore && (
          <div className="table-footer">
            <button type="button" className="btn" onClick={loadOlder} disabled={older.loading}>
              {older.loading ? 'Loading…' : 'Load older requests'}
            </button>
          </div>
        )}
      </Panel>
    </div>
  );
}

function RequestTable({ rows }: { rows: UsageRecord[] }) {
  return (
    <div className="table-scroll">
      <table className="table requests-table" data-testid="requests-table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Project</th>
            <th>Model and route</th>
            <th>Status</th>
            <th className="num">Tokens in / out</th>
            <th>Cache</th>
            <th>Reduction</th>
            <th className="num">Latency</th>
            <th className="num">Cost</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <RequestRow key={r.id} record={r} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RequestRow({ record: r }: { record: UsageRecord }) {
  const reduction = requestReduction(r);
  const layers = layerEntries(r.reductionByLayer);
  const prompt = r.inputTokens + r.cacheReadTokens + r.cacheWriteTokens;
  const open = () => {
    window.location.hash = href({ page: 'requests', id: r.id });
  };
  return (
    <tr className="clickable" onClick={open} data-request-id={r.id}>
      <td className="nowrap mono-soft" title={r.ts}>
        <a href={href({ page: 'requests', id: r.id })} onClick={(e) => e.stopPropagation()}>
          {feedTime(r.ts, Date.now())}
        </a>
      </td>
      <td className="nowrap">{r.projectId}</td>
      <td>
        <div className="route-model">
          {routeLabel(r)}
          {r.stream && <Badge title="Streamed">stream</Badge>}
          {r.batch && <Badge tone="info">batch</Badge>}
        </div>
        {r.routeReason ? <div className="route-reason">{r.routeReason}</div> : r.model === null && <div className="route-reason">not routed</div>}
      </td>
      <td className="nowrap">
        <StatusBadge status={r.status} errorType={null} />
        {r.errorType && <span className="error-type">{r.errorType}</span>}
      </td>
      <td className="num nowrap">
        {tokens(prompt)} / {tokens(r.outputTokens)}
      </td>
      <td>
        {r.cacheHit === 'response' ? (
          <Badge tone="good">response hit</Badge>
        ) : r.cacheReadTokens > 0 ? (
          <Badge tone="info" title={`${tokens(r.cacheReadTokens)} prompt tokens read from cache`}>
            prompt {percent(prompt ? r.cacheReadTokens / prompt : null, 0)}
          </Badge>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        {reduction.share ? (
          <div className="reduction-cell" title={layers.map(([layer, saved]) => `${layer}: ${tokens(saved)}`).join('\n')}>
            <strong>−{percent(reduction.share, 0)}</strong>
            <span className="layers">{layers.slice(0, 3).map(([layer]) => layer).join(' · ')}</span>
          </div>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="num nowrap">{ms(r.latencyMs)}</td>
      <td className="num nowrap">
        {usd(r.costUsd)}
        {r.baselineCostUsd > r.costUsd && <div className="saved-line">saved {usd(r.baselineCostUsd - r.costUsd)}</div>}
        {r.baselineCostUsd < r.costUsd && <div className="extra-cost-line">+{usd(r.costUsd - r.baselineCostUsd)} vs. unchanged</div>}
      </td>
    </tr>
  );
}

export function StatusBadge({ status, errorType }: { status: number; errorType: string | null }) {
  const kind = statusClass(status);
  return (
    <Badge tone={kind === 'ok' ? 'good' : kind === 'client' ? 'warn' : 'bad'} title={errorType ?? undefined}>
      {status}
      {errorType ? ` ${errorType}` : ''}
    </Badge>
  );
}
