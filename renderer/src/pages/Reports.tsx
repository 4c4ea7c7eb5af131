// Reports: usage for a date range and project as CSV or JSON, and a printable report with the charts that the
// desktop app saves as a PDF (a browser prints it with its own dialog).
import { useMemo, useState } from 'react';
import type { CostSummary, DailyUsage, Project, UsageSummary } from '../api/types.ts';
import { CostChart, LayerChart, ModelRequestsChart, ProjectSavingsChart } from '../components/charts.tsx';
import { ProjectSelect } from '../components/filters.tsx';
import { ChartLoading, Empty, ErrorState } from '../components/states.tsx';
import { PageHeader, Panel } from '../components/ui.tsx';
import { useApp } from '../lib/context.ts';
import { addDays, isoDay, isValidDay, lastDays } from '../lib/dates.ts';
import { count, ms, percent, tokens, usd } from '../lib/format.ts';
import { costSeries, hasSavings, promptCacheShare, responseCacheRate, savedShare, savingsByProject, tokensSaved } from '../lib/metrics.ts';
import { useResource } from '../lib/use-resource.ts';

const CHART_WIDTH = 680;

function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  anchor.rel = 'noopener';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function kilobytes(size: number): string {
  return size < 1024 ? `${size} bytes` : `${(size / 1024).toFixed(1)} KB`;
}

export function Reports({ projects }: { projects: Project[] | undefined }) {
  const { client, bridge } = useApp();
  const initial = useMemo(() => lastDays(30, Date.now()), []);
  const [from, setFrom] = useState(initial.from);
  const [last, setLast] = useState(addDays(initial.to, -1));
  const [project, setProject] = useState('');
  const [granularity, setGranularity] = useState<'request' | 'day'>('day');
  const [status, setStatus] = useState<{ tone: 'good' | 'bad' | 'busy'; text: string }>();

  const valid = isValidDay(from) && isValidDay(last) && from <= last;
  // The form shows the last day included; the API takes an exclusive end.
  const range = valid ? { from, to: addDays(last, 1) } : initial;
  const query = { ...range, project: project || undefined };

  const report = useResource(
    async () => {
      const [usage, daily, costs] = await Promise.all([client.usage(query), client.daily(query), client.costs(query)]);
      return { usage, daily, costs };
    },
    [client, range.from, range.to, project],
    { enabled: valid },
  );

  const download = async (format: 'csv' | 'json') => {
    setStatus({ tone: 'busy', text: `Preparing the ${format.toUpperCase()} export…` });
    try {
      const file = await client.exportFile({ format, granularity, ...query });
      saveBlob(file.blob, file.filename);
      setStatus({ tone: 'good', text: `Downloaded ${file.filename} (${kilobytes(file.blob.size)}).` });
    } catch (error) {
      setStatus({ tone: 'bad', text: `Export failed: ${(error as Error).message}` });
    }
  };

  const print = async () => {
    if (bridge?.printReportToPdf) {
      setStatus({ tone: 'busy', text: 'Saving the report as a PDF…' });
      try {
        const saved = await bridge.printReportToPdf();
        setStatus(saved ? { tone: 'good', text: `Saved ${saved.path}.` } : undefined);
      } catch (error) {
        setStatus({ tone: 'bad', text: `Could not save the PDF: ${(error as Error).message}` });
      }
      return;
    }
    window.print();
  };

  const projectName = projects?.find((p) => p.id === project)?.name;

  return (
    <div className="page" data-page="reports">
      <PageHeader title="Reports" description="Export usage, or print a report of what the gateway saved." />
      <Panel className="no-print" testId="export-form">
        <div className="export-form">
          <div className="field">
            <label htmlFor="report-from">From</label>
            <input id="report-from" type="date" className="input" value={from} max={last} onChange={(e) => setFrom(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="report-to">To (included)</label>
            <input id="report-to" type="date" className="input" value={last} min={from} max={isoDay(Date.now())} onChange={(e) => setLast(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="report-project">Project</label>
            <ProjectSelect id="report-project" projects={projects} value={project} onChange={setProject} />
          </div>
          <div className="field">
            <label htmlFor="report-granularity">Rows</label>
            <select id="report-granularity" className="select" value={granularity} onChange={(e) => setGranularity(e.target.value as 'request' | 'day')}>
              <option value="day">Daily, per project</option>
              <option value="request">Every request</option>
            </select>
          </div>
          <div className="export-actions">
            <button type="button" className="btn" onClick={() => download('csv')} disabled={!valid || status?.tone === 'busy'}>
              Download CSV
            </button>
            <button type="button" className="btn" onClick={() => download('json')} disabled={!valid || status?.tone === 'busy'}>
              Download JSON
            </button>
            <button type="button" className="btn btn-primary" onClick={print} disabled={!report.data}>
              {bridge?.printReportToPdf ? 'Save as PDF' : 'Print report'}
            </button>
          </div>
        </div>
        {!valid && <p className="form-error">Choose a start day on or before the end day.</p>}
        {status && (
          <p className={`export-status ${status.tone}`} role="status" data-testid="export-status">
            {status.text}
          </p>
        )}
      </Panel>
      {report.data ? (
        <ReportView {...report.data} range={range} projectName={projectName} />
      ) : report.error ? (
        <ErrorState error={report.error} onRetry={report.reload} />
      ) : (
        <Panel>
          <ChartLoading />
        </Panel>
      )}
    </div>
  );
}

function ReportView({ usage, daily, costs, range, projectName }: { usage: UsageSummary; daily: DailyUsage; costs: CostSummary; range: { from: string; to: string }; projectName?: string }) {
  const t = usage.totals;
  const names = Object.fromEntries(usage.byProject.map((p) => [p.projectId, p.projectName]));
  const lastDay = addDays(range.to, -1);
  const savings = savingsByProject(daily.days, range, 'usd');
  return (
    <article className="report" data-testid="report">
      <header className="report-header">
        <div>
          <div className="report-kicker">Coding Gateway usage report</div>
          <h2>
            {range.from} – {lastDay}
          </h2>
          <p className="muted">{projectName ? `Project: ${projectName}` : 'All projects'}</p>
        </div>
        <div className="report-saved">
          <div className="stat-label">Saved</div>
          <div className="report-saved-value">{usd(t.savedUsd)}</div>
          <div className="muted">{percent(savedShare(t.costUsd, t.baselineCostUsd))} of what it would have cost</div>
        </div>
      </header>
      {t.requests === 0 ? (
        <Empty title="No requests in this period">Choose another range or project.</Empty>
      ) : (
        <>
          <table className="table report-summary">
            <tbody>
              <tr>
                <td>Requests</td>
                <td className="num">{count(t.requests)}</td>
                <td>Errors</td>
                <td className="num">{count(t.errors)}</td>
              </tr>
              <tr>
                <td>Spent</td>
                <td className="num">{usd(t.costUsd)}</td>
                <td>Without the gateway</td>
                <td className="num">{usd(t.baselineCostUsd)}</td>
              </tr>
              <tr>
                <td>Input tokens not sent</td>
                <td className="num">{tokens(tokensSaved(t))}</td>
                <td>Output tokens</td>
                <td className="num">{tokens(t.outputTokens)}</td>
              </tr>
              <tr>
                <td>Prompt cache reads</td>
                <td className="num">{percent(promptCacheShare(t))}</td>
                <td>Response cache hits</td>
                <td className="num">{percent(responseCacheRate(t))}</td>
              </tr>
              <tr>
                <td>Median latency</td>
                <td className="num">{ms(t.p50LatencyMs)}</td>
                <td>95th percentile</td>
                <td className="num">{ms(t.p95LatencyMs)}</td>
              </tr>
            </tbody>
          </table>
          <section className="report-section">
            <h3>Cost with and without the gateway</h3>
            <CostChart points={costSeries(daily.days, range)} width={CHART_WIDTH} height={240} />
          </section>
          <section className="report-section">
            <h3>Saved per project</h3>
            {hasSavings(savings) ? (
              <ProjectSavingsChart series={savings} metric="usd" names={names} width={CHART_WIDTH} height={220} />
            ) : (
              <p className="muted">Nothing was saved in this period.</p>
            )}
          </section>
          <div className="report-columns">
            <section className="report-section">
              <h3>Requests by model</h3>
              <ModelRequestsChart rows={[...usage.byModel].sort((a, b) => b.requests - a.requests)} width={CHART_WIDTH} />
            </section>
            {costs.byLayer.some((l) => l.tokensSaved > 0) && (
              <section className="report-section">
                <h3>Tokens removed by layer</h3>
                <LayerChart rows={[...costs.byLayer].filter((l) => l.tokensSaved > 0).sort((a, b) => b.tokensSaved - a.tokensSaved)} width={CHART_WIDTH} />
              </section>
            )}
          </div>
          <section className="report-section">
            <h3>By project</h3>
            <table className="table compact">
              <thead>
                <tr>
                  <th>Project</th>
                  <th className="num">Requests</th>
                  <th className="num">Spent</th>
                  <th className="num">Without the gateway</th>
                  <th className="num">Saved</th>
                </tr>
              </thead>
              <tbody>
                {usage.byProject.map((p) => (
                  <tr key={p.projectId}>
                    <td>{p.projectName}</td>
                    <td className="num">{count(p.requests)}</td>
                    <td className="num">{usd(p.costUsd)}</td>
                    <td className="num">{usd(p.baselineCostUsd)}</td>
                    <td className="num good">{usd(p.savedUsd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="report-section">
            <h3>By model</h3>
            <table className="table compact">
              <thead>
                <tr>
                  <th>Model</th>
                  <th className="num">Requests</th>
                  <th className="num">Output tokens</th>
                  <th className="num">Spent</th>
                  <th className="num">p50 / p95</th>
                </tr>
              </thead>
              <tbody>
                {usage.byModel.map((m) => (
                  <tr key={m.model}>
                    <td className="mono">{m.model}</td>
                    <td className="num">{count(m.requests)}</td>
                    <td className="num">{tokens(m.outputTokens)}</td>
                    <td className="num">{usd(m.costUsd)}</td>
                    <td className="num">
                      {ms(m.p50LatencyMs)} / {ms(m.p95LatencyMs)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
      <footer className="report-footer muted">Generated {new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · costs at the gateway's price table</footer>
    </article>
  );
}
