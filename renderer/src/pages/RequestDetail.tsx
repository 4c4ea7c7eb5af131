// One request in full: how it was routed and why, what each reduction layer removed, where its tokens went and
// what it cost against what it would have cost.
import type { UsageRecord } from '../api/types.ts';
import { ErrorState, Loading } from '../components/states.tsx';
import { Badge, CopyButton, Meter, PageHeader, Panel } from '../components/ui.tsx';
import { useApp } from '../lib/context.ts';
import { count, dateTime, ms, percent, tokens, usd } from '../lib/format.ts';
import { layerEntries, requestReduction, savingView } from '../lib/metrics.ts';
import { href } from '../lib/router.ts';
import { useResource } from '../lib/use-resource.ts';
import { StatusBadge } from './Requests.tsx';
import { ThinkingPanel } from './ThinkingPanel.tsx';

export function RequestDetail({ id }: { id: string }) {
  const { client } = useApp();
  const { data, error, reload } = useResource(() => client.request(id), [client, id]);
  return (
    <div className="page" data-page="request-detail">
      <PageHeader title="Request" description={<code className="mono">{id}</code>}>
        <a className="btn" href={href({ page: 'requests' })}>
          ← All requests
        </a>
      </PageHeader>
      {!data ? error ? <ErrorState error={error} onRetry={reload} /> : <Loading rows={6} label="Loading the request" /> : <Detail record={data} />}
    </div>
  );
}

function Detail({ record: r }: { record: UsageRecord }) {
  const reduction = requestReduction(r);
  const layers = layerEntries(r.reductionByLayer);
  const prompt = r.inputTokens + r.cacheReadTokens + r.cacheWriteTokens;
  const saving = savingView(r.baselineCostUsd - r.costUsd);
  return (
    <>
      <div className="grid grid-2">
        <Panel title="Routing">
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={r.status} errorType={r.errorType} />
            </dd>
            <dt>Requested model</dt>
            <dd className="mono">{r.requestedModel ?? '—'}</dd>
            <dt>Served by</dt>
            <dd className="mono">{r.model ?? '—'}</dd>
            <dt>Why</dt>
            <dd>{r.routeReason ?? <span className="muted">no routing decision recorded</span>}</dd>
            <dt>Endpoint</dt>
            <dd>
              {r.endpoint}
              {r.stream && <Badge>stream</Badge>}
              {r.batch && <Badge tone="info">batch (50% off)</Badge>}
            </dd>
            <dt>Project</dt>
            <dd>
              <a href={href({ page: 'projects', id: r.projectId })}>{r.projectId}</a>
            </dd>
            <dt>Key</dt>
            <dd className="mono">{r.keyId ?? '—'}</dd>
            <dt>Client</dt>
            <dd className="wrap">{r.client ?? '—'}</dd>
            <dt>Started</dt>
            <dd>{dateTime(r.ts)}</dd>
            <dt>Latency</dt>
            <dd>
              {ms(r.latencyMs)}
              {r.ttftMs !== null && <span className="muted"> · first token {ms(r.ttftMs)}</span>}
            </dd>
          </dl>
        </Panel>
        <Panel title="Cost">
          <div className="cost-compare">
            <div>
              <div className="stat-label">With the gateway</div>
              <div className="stat-value">{usd(r.costUsd)}</div>
            </div>
            <div>
              <div className="stat-label">Without</div>
              <div className="stat-value muted">{usd(r.baselineCostUsd)}</div>
            </div>
            <div>
              <div className="stat-label">{saving.label}</div>
              <div className={`stat-value ${saving.tone === 'neutral' ? '' : saving.tone}`}>{usd(saving.amountUsd)}</div>
            </div>
          </div>
          <h3 className="subhead">Tokens</h3>
          <table className="table compact">
            <tbody>
              <tr>
                <td>Uncached input</td>
                <td className="num">{count(r.inputTokens)}</td>
              </tr>
              <tr>
                <td>Prompt cache read (0.1×)</td>
                <td className="num">{count(r.cacheReadTokens)}</td>
              </tr>
              <tr>
                <td>Prompt cache write</td>
                <td className="num">{count(r.cacheWriteTokens)}</td>
              </tr>
              <tr>
                <td>Output</td>
                <td className="num">{count(r.outputTokens)}</td>
              </tr>
              <tr className="total">
                <td>Prompt cache share</td>
                <td className="num">{percent(prompt ? r.cacheReadTokens / prompt : null)}</td>
              </tr>
            </tbody>
          </table>
          {r.cacheHit === 'response' && (
            <p className="note good">Answered from the gateway's response cache: no upstream call was made.</p>
          )}
        </Panel>
      </div>
      <Panel title="Token reduction" subtitle={r.tokensBefore === null ? 'This request was not reduced.' : `${tokens(r.tokensBefore)} estimated input tokens before, ${tokens(r.tokensAfter)} after (${percent(reduction.share)} removed)`}>
        {layers.length ? (
          <ul className="meters">
            {layers.map(([layer, tokensSaved]) => (
              <li key={layer}>
                <div className="meter-head">
                  <span className="mono">{layer}</span>
                  <strong>{tokens(tokensSaved)} tokens</strong>
                </div>
                <Meter share={r.tokensBefore ? tokensSaved / r.tokensBefore : null} tone="good" label={layer} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No layer removed anything from this request.</p>
        )}
      </Panel>
      {r.thinking && <ThinkingPanel thinking={r.thinking} />}
      <Panel title="Record" actions={<CopyButton text={JSON.stringify(r, null, 2)} label="Copy JSON" />}>
        <pre className="json">{JSON.stringify(r, null, 2)}</pre>
      </Panel>
    </>
  );
}
