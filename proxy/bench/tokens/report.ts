// The benchmark's table: per session and in total, billed input cost three ways, information lost,
// dangling references, and the pipeline's own time.
import type { SessionResult } from './run.ts';
import { ASSUMED_THINKING_TOKENS } from './thinking.ts';

function pct(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`;
}

function saved(cost: number, baseline: number): string {
  return baseline === 0 ? '-' : `${((100 * (baseline - cost)) / baseline).toFixed(1)}%`;
}

function k(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(0)}k` : n.toFixed(0);
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

interface Row {
  name: string;
  requests: number;
  straight: number;
  cachingOnly: number;
  gateway: number;
  originalChars: number;
  lostChars: number;
  dangling: number;
}

function total(name: string, results: readonly SessionResult[]): Row {
  const sum = (f: (r: SessionResult) => number) => results.reduce((n, r) => n + f(r), 0);
  return {
    name,
    requests: sum((r) => r.requests),
    straight: sum((r) => r.straight),
    cachingOnly: sum((r) => r.cachingOnly),
    gateway: sum((r) => r.gateway),
    originalChars: sum((r) => r.originalChars),
    lostChars: sum((r) => r.lostChars),
    dangling: sum((r) => r.dangling),
  };
}

const HEADER = '| session | req | straight | caching only | gateway | saved vs straight | saved vs caching only | info lost | dangling refs |';
const RULE = '|---|---:|---:|---:|---:|---:|---:|---:|---:|';

function line(row: Row): string {
  return `| ${row.name} | ${row.requests} | ${k(row.straight)} | ${k(row.cachingOnly)} | ${k(row.gateway)} | ${saved(row.gateway, row.straight)} | ${saved(row.gateway, row.cachingOnly)} | ${pct(row.lostChars, row.originalChars)} | ${row.dangling} |`;
}

export function renderReport(results: readonly SessionResult[]): string {
  const out = [HEADER, RULE];
  for (const r of results) out.push(line({ ...r, name: r.id }));
  const clients = [...new Set(results.map((r) => r.client))].sort();
  for (const client of clients) out.push(line(total(`**all ${client}**`, results.filter((r) => r.client === client))));
  out.push(line(total('**all sessions**', results)));

  out.push('');
  out.push('Where the gateway\'s billed input goes (token-equivalents), and the estimated content it sent:');
  out.push('');
  out.push('| session | uncached input | 5m writes x1.25 | 1h writes x2 | reads x0.1 | content before | content after |');
  out.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    out.push(`| ${r.id} | ${k(r.parts.input)} | ${k(r.parts.write5m)} | ${k(r.parts.write1h)} | ${k(r.parts.read)} | ${r.tokensBefore > 0 ? `${k(r.tokensBefore)} | ${k(r.tokensAfter)} (${saved(r.tokensAfter, r.tokensBefore)} less)` : 'n/a | n/a (estimates stay inside the gateway; `--via pipeline` shows them)'} |`);
  }
  const layers = new Map<string, number>();
  for (const r of results) for (const [layer, n] of Object.entries(r.byLayer)) layers.set(layer, (layers.get(layer) ?? 0) + n);
  const times = results.flatMap((r) => r.reduceMs);
  out.push('');
  out.push('Billed input cost in token-equivalents: input + 1.25 x 5-minute cache writes + 2 x 1-hour cache writes + 0.1 x cache reads.');
  if (layers.size > 0) {
    out.push(`Estimated tokens removed per layer, all requests: ${[...layers].map(([l, n]) => `${l} ${k(n)}`).join(', ')}.`);
  }
  const kept = results.reduce((n, r) => n + r.thinking.kept, 0);
  const dropped = results.reduce((n, r) => n + r.thinking.dropped, 0);
  const byClient = results.reduce((n, r) => n + r.thinking.droppedByClient, 0);
  out.push(
    `Preserved thinking (one ~${ASSUMED_THINKING_TOKENS}-token block assumed per tool turn): ${kept} block-sends kept, ${dropped} dropped ` +
      `(${pct(dropped, kept + dropped)}; ~${k(dropped * ASSUMED_THINKING_TOKENS)} tokens of earlier reasoning the model no longer sees) because a rewrite ` +
      `changed the prefix before them; the clients' own history rewrites account for ${byClient} of them, the gateway's for ${dropped - byClient}.`,
  );
  if (times.length > 0) {
    out.push(`reduceRequest time per request: median ${percentile(times, 0.5).toFixed(2)} ms, p95 ${percentile(times, 0.95).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms.`);
  }
  return out.join('\n');
}
