// Overview: what the gateway saved, per project and over time, how well caching works, which models serve the
// traffic and how fast.
import { useMemo, useState } from 'react';
import type { CostSummary, DailyUsage, Project, UsageSummary } from '../api/types.ts';
import { CostChart, LatencyByModelChart, LatencyTrendChart, LayerChart, ModelRequestsChart, ProjectSavingsChart } from '../components/charts.tsx';
import { PresetPicker, ProjectSelect } from '../components/filters.tsx';
import { ChartLoading, Empty, ErrorState, Loading } from '../components/states.tsx';
import { Meter, PageHeader, Panel, Stat } from '../components/ui.tsx';
import { useApp } from '../lib/context.ts';
import { lastDays, type DateRange } from '../lib/dates.ts';
import { count, ms, percent, tokens, usd } from '../lib/format.ts';
import {
  costSeries,
  dedupShare,
  errorRate,
  hasSavings,
  latencySeries,
  promptCacheShare,
  responseCacheRate,
  SAVINGS_METHOD,
  savedShare,
  savingView,
  savingsByProject,
  tokensSaved,
  type SavingsMetric,
} from '../lib/metrics.ts';
import { useResource } from '../lib/use-resource.ts';

interface OverviewData {
  usage: UsageSummary;
  daily: DailyUsage;
  costs: CostSummary;
}

const REFRESH_MS = 30_000;

export function Overview({ projects }: { projects: Project[] | undefined }) {
  const { client } = useApp();
  const [days, setDays] = useState(30);
  const [project, setProject] = useState('');
  const range = useMemo(() => lastDays(days, Date.now()), [days]);
  const query = { ...range, project: project || undefined };

  const resource = useResource<OverviewData>(
    async () => {
      const [usage, daily, costs] = await Promise.all([client.usage(query), client.daily(query), client.costs(query)]);
      return { usage, daily, costs };
    },
    [client, range.from, range.to, project],
    { pollMs: REFRESH_MS },
  );

  return (
    <div className="page" data-page="overview">
      <PageHeader title="Overview" description="What the gateway saved you, and how your traffic behaves.">
        <ProjectSelect projects={projects} value={project} onChange={setProject} />
        <PresetPicker value={days} onChange={setDays} />
      </PageHeader>
      <OverviewBody resource={resource} range={range} />
    </div>
  );
}

function OverviewBody({ resource, range }: { resource: ReturnType<typeof useResource<OverviewData>>; range: DateRange }) {
  const { data, error, reload } = resource;
  if (!data) {
    if (error) return <ErrorState error={error} onRetry={reload} />;
    return <OverviewSkeleton />;
  }
  const { usage, daily, costs } = data;
  const totals = usage.totals;
  if (totals.requests === 0) {
    return (
      <Panel>
        <Empty title="No requests in this range yet">
          Point an IDE or an OpenAI SDK at <code>{`${location.origin}/v1`}</code> with a gateway key; savings appear here as
          requests arrive.
        </Empty>
      </Panel>
    );
  }
  return (
    <>
      {error && <ErrorState error={error} onRetry={reload} compact />}
      <Headline usage={usage} costs={costs} />
      <div className="grid grid-2-1">
        <Panel title="Cost with and without the gateway" subtitle="Daily spend at Anthropic's prices, against what the same traffic would have cost sent unchanged" testId="chart-cost">
          <CostChart points={costSeries(daily.days, range)} />
        </Panel>
        <CachePanel usage={usage} costs={costs} />
      </div>
      <SavingsPanel usage={usage} daily={daily} range={range} />
      <div className="grid grid-2">
        <Panel title="Requests by model" subtitle="The upstream model that served each request" testId="chart-models">
          {usage.byModel.length ? <ModelRequestsChart rows={[...usage.byModel].sort((a, b) => b.requests - a.requests)} /> : <Empty title="No model data" icon="list" />}
        </Panel>
        <Panel title="Latency by model" subtitle="Median and 95th percentile, end to end" testId="chart-latency-models">
          {usage.byModel.length ? <LatencyByModelChart rows={usage.byModel} /> : <Empty title="No latency data" icon="list" />}
        </Panel>
      </div>
      <div className="grid grid-2">
        <Panel title="Latency over time" subtitle="Request-weighted daily average" testId="chart-latency-trend">
          <LatencyTrendChart points={latencySeries(daily.days, range)} />
        </Panel>
        <Panel title="Tokens removed by each reduction layer" subtitle="Estimated input tokens the gateway did not send" testId="chart-layers">
          {costs.byLayer.some((row) => row.tokensSaved > 0) ? (
            <LayerChart rows={[...costs.byLayer].filter((row) => row.tokensSaved > 0).sort((a, b) => b.tokensSaved - a.tokensSaved)} />
          ) : (
            <Empty title="No reduction yet" icon="chart">
              Reduction layers report here once they remove something from a request.
            </Empty>
          )}
        </Panel>
      </div>
    </>
  );
}

function Headline({ usage, costs }: { usage: UsageSummary; costs: CostSummary }) {
  const t = usage.totals;
  const saving = savingView(t.savedUsd);
  const share = savedShare(t.costUsd, t.baselineCostUsd);
  return (
    <>
      <div className="stats" data-testid="headline">
        <Stat
          label={saving.label}
          value={usd(saving.amountUsd)}
          detail={share === null ? 'no baseline yet' : `${percent(Math.abs(share))} ${share < 0 ? 'above' : 'of'} ${usd(t.baselineCostUsd)}`}
          tone={saving.tone}
        />
        <Stat label="Spent" value={usd(t.costUsd)} detail={`${usd(costs.totals.baselineCostUsd)} without the gateway`} />
        <Stat label="Tokens not sent" value={tokens(tokensSaved(t))} detail={t.tokensBefore > 0 ? `of ${tokens(t.tokensBefore)} estimated input` : 'no reduction measured yet'} tone="good" />
        <Stat
          label="Requests"
          value={count(t.requests)}
          detail={t.errors ? `${count(t.errors)} error${t.errors === 1 ? '' : 's'} (${percent(errorRate(t))})` : 'no errors'}
          tone={t.errors && (errorRate(t) ?? 0) > 0.05 ? 'bad' : 'neutral'}
        />
        <Stat label="Latency" value={ms(t.p50LatencyMs)} detail={`p95 ${ms(t.p95LatencyMs)}`} />
      </div>
      <p className="method-note" data-testid="savings-method">{SAVINGS_METHOD}</p>
    </>
  );
}

function CachePanel({ usage, costs }: { usage: UsageSummary; costs: CostSummary }) {
  const t = usage.totals;
  const prompt = promptCacheShare(t);
  const response = responseCacheRate(t);
  const dedup = dedupShare(costs.byLayer, t.tokensBefore);
  const rows = [
    { label: 'Prompt cache reads', share: prompt, detail: `${tokens(t.cacheReadTokens)} of ${tokens(t.inputTokens + t.cacheReadTokens + t.cacheWriteTokens)} prompt tokens`, tone: 'accent' as const },
    { label: 'Response cache hits', share: response, detail: `${count(t.responseCacheHits)} of ${count(t.requests)} requests`, tone: 'good' as const },
    { label: 'File deduplication', share: dedup, detail: `${tokens(costs.byLayer.find((r) => r.layer === 'dedup')?.tokensSaved ?? 0)} tokens removed`, tone: 'warn' as const },
  ];
  return (
    <Panel title="Cache hit rates" subtitle="How much was served without paying full price" testId="cache-rates">
      <ul className="meters">
        {rows.map((row) => (
          <li key={row.label}>
            <div className="meter-head">
              <span>{row.label}</span>
              <strong>{percent(row.share)}</strong>
            </div>
            <Meter share={row.share} tone={row.tone} label={row.label} />
            <div className="meter-detail">{row.detail}</div>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

function SavingsPanel({ usage, daily, range }: { usage: UsageSummary; daily: DailyUsage; range: DateRange }) {
  const [metric, setMetric] = useState<SavingsMetric>('usd');
  const names = Object.fromEntries(usage.byProject.map((p) => [p.projectId, p.projectName]));
  const series = savingsByProject(daily.days, range, metric);
  return (
    <Panel
      title="Saved per project"
      subtitle={metric === 'usd' ? 'Dollars saved each day, by project' : 'Input tokens not sent each day, by project'}
      testId="chart-projects"
      actions={
        <div className="segmented small" role="group" aria-label="Savings unit">
          <button type="button" className={metric === 'usd' ? 'active' : ''} aria-pressed={metric === 'usd'} onClick={() => setMetric('usd')}>
            Money
          </button>
          <button type="button" className={metric === 'tokens' ? 'active' : ''} aria-pressed={metric === 'tokens'} onClick={() => setMetric('tokens')}>
            Tokens
          </button>
        </div>
      }
    >
      <div className="grid grid-2-1 flush">
        {hasSavings(series) ? (
          <ProjectSavingsChart series={series} metric={metric} names={names} />
        ) : (
          <Empty title={metric === 'usd' ? 'Nothing saved yet in this range' : 'No tokens removed yet in this range'}>
            Savings appear once caching or a reduction layer makes a request cheaper than sending it unchanged.
          </Empty>
        )}
        <table className="table compact">
          <thead>
            <tr>
              <th>Project</th>
              <th className="num">Requests</th>
              <th className="num">Saved</th>
              <th className="num">Tokens saved</th>
            </tr>
          </thead>
          <tbody>
            {[...usage.byProject]
              .sort((a, b) => b.savedUsd - a.savedUsd)
              .map((p) => (
                <tr key={p.projectId}>
                  <td className="nowrap">{p.projectName}</td>
                  <td className="num">{count(p.requests)}</td>
                  <td className={`num ${savingView(p.savedUsd).tone}`}>{p.savedUsd < 0 ? `−${usd(-p.savedUsd)}` : usd(p.savedUsd)}</td>
                  <td className="num">{tokens(tokensSaved(p))}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

function OverviewSkeleton() {
  return (
    <>
      <div className="stats">
        {Array.from({ length: 5 }, (_, i) => (
          <div key={i} className="stat">
            <Loading rows={2} />
          </div>
        ))}
      </div>
      <div className="grid grid-2-1">
        <Panel title="Cost with and without the gateway">
          <ChartLoading />
        </Panel>
        <Panel title="Cache hit rates">
          <Loading rows={5} />
        </Panel>
      </div>
    </>
  );
}
