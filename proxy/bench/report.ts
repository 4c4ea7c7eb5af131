// Renders the results as plain-text tables: figures, what was added, the target and whether it was met.
import type { ClientResult, Pair, StreamPair, ThroughputResult } from './scenarios.ts';

export interface Report {
  mode: string;
  environment: string[];
  sizes: { small: [number, number]; large: [number, number] };
  small: Pair;
  throughput: ThroughputResult;
  stream: StreamPair;
  large: Pair;
  clients: ClientResult[];
}

export const TARGETS = { addedLatencyMs: 1, gatewayRequestsPerSecond: 5000, addedFirstTokenMs: 1 } as const;

const ms = (value: number) => `${value.toFixed(3)} ms`;
const added = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(3)} ms`;
const rate = (value: number) => `${Math.round(value).toLocaleString('en-US')}/s`;
const us = (value: number | undefined) => (value === undefined ? 'n/a' : `${Math.round(value)} µs`);
const bytes = (value: number) => `${(value / 1024).toFixed(1)} KB`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

function table(title: string, header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, col) => Math.max(...all.map((row) => (row[col] ?? '').length)));
  const line = (row: string[]) => row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ').trimEnd();
  const rule = '-'.repeat(widths.reduce((sum, w) => sum + w + 2, -2));
  return [title, line(header), rule, ...rows.map(line)].join('\n');
}

function pairRows(label: string, pair: Pair, target?: number): string[][] {
  const extra = (value: number) => (target === undefined ? ['', ''] : [`< ${target} ms`, verdict(value < target)]);
  const addedMedian = pair.gateway.median - pair.direct.median;
  return [
    [`${label} median`, ms(pair.direct.median), ms(pair.gateway.median), added(addedMedian), ...extra(addedMedian)],
    [`${label} p90`, ms(pair.direct.p90), ms(pair.gateway.p90), added(pair.gateway.p90 - pair.direct.p90), '', ''],
  ];
}

export function renderReport(r: Report): string {
  const header = ['', 'direct to fake', 'via gateway', 'added / ratio', 'target', ''];
  const t = r.throughput;
  const cpu = t.cpuPerRequestUs;
  const oneCore = cpu.gateway ? 1_000_000 / cpu.gateway : undefined;

  const small = table(
    `Small chat request (OpenAI body ${r.sizes.small[0]} B, Anthropic body ${r.sizes.small[1]} B), non-streaming, ${r.small.direct.count} samples each way`,
    header,
    [
      ...pairRows('c=1 latency', r.small, TARGETS.addedLatencyMs),
      [`c=${t.concurrency} throughput (measured)`, rate(t.direct), rate(t.gateway), `${(t.gateway / t.direct).toFixed(2)}x`, '', ''],
      [`c=${t.concurrency} gateway CPU per request`, '', us(cpu.gateway), '', '', ''],
      [
        'gateway capacity on one core',
        '',
        oneCore ? rate(oneCore) : 'n/a',
        '',
        `> ${TARGETS.gatewayRequestsPerSecond.toLocaleString('en-US')}/s`,
        oneCore ? verdict(oneCore > TARGETS.gatewayRequestsPerSecond) : 'n/a',
      ],
    ],
  );
  const capacityNote = [
    `Capacity on one core = 1 s / gateway CPU per request (user + system time of the gateway process, all threads,`,
    `from /proc). The measured rate is lower because the fake (${us(cpu.fake)} per request) and this load generator`,
    `(${us(cpu.loadGenerator)}) need the same two cores; the gateway process itself runs JavaScript on one thread.`,
  ].join('\n');

  const stream = table(
    `Streaming chat request (first token = first chunk with text), ${r.stream.firstToken.direct.count} samples each way`,
    header,
    [...pairRows('time to first token', r.stream.firstToken, TARGETS.addedFirstTokenMs), ...pairRows('whole stream', r.stream.total)],
  );

  const large = table(
    `Long agent conversation with tool results (OpenAI body ${bytes(r.sizes.large[0])}, Anthropic body ${bytes(r.sizes.large[1])}), ${r.large.direct.count} samples each way`,
    header,
    pairRows('latency', r.large),
  );

  const [first, second] = r.clients;
  const clientRows = (pick: (c: ClientResult) => string) => r.clients.map(pick);
  const clients = table(
    'Upstream client: the same small request from the load-generator process straight to the fake',
    ['', ...r.clients.map((c) => c.label)],
    [
      ['non-streaming median', ...clientRows((c) => ms(c.message.median))],
      ['non-streaming p90', ...clientRows((c) => ms(c.message.p90))],
      ['streaming first token median', ...clientRows((c) => ms(c.firstToken.median))],
      ['streaming first token p90', ...clientRows((c) => ms(c.firstToken.p90))],
      ['c=32 throughput', ...clientRows((c) => rate(c.perSecond))],
      ['client CPU per request', ...clientRows((c) => us(c.cpuPerRequestUs))],
    ],
  );
  const faster = first && second ? (first.cpuPerRequestUs <= second.cpuPerRequestUs ? first : second) : undefined;
  const choice = faster
    ? `Faster client by CPU per request: ${faster.label}${faster === first ? ' — the one the gateway uses.' : ' — consider switching the gateway to it.'}`
    : '';

  return [
    `Coding Gateway overhead benchmark (${r.mode} run)`,
    ...r.environment,
    '',
    small,
    capacityNote,
    '',
    stream,
    '',
    large,
    '',
    clients,
    choice,
    '',
    `Targets: added median latency < ${TARGETS.addedLatencyMs} ms (small requests); > ${TARGETS.gatewayRequestsPerSecond.toLocaleString('en-US')} small requests/s through the\nsingle-threaded gateway on one core; added time to first token < ${TARGETS.addedFirstTokenMs} ms.`,
  ].join('\n');
}
