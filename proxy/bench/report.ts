// Renders the results as plain-text tables: each figure next to its floor (the minimal translator, or the
// in-process parse + serialise cost), the ratio, the target and whether it was met.
import type { ClientResult, Pair, StreamPair, ThroughputResult } from './scenarios.ts';
import type { TrafficResult } from './traffic.ts';

export interface Report {
  mode: string;
  environment: string[];
  sizes: { small: [number, number]; large: [number, number] };
  idleRssMb: { gateway?: number; floor?: number };
  traffic: TrafficResult | undefined;
  small: Pair;
  throughput: ThroughputResult;
  stream: StreamPair;
  large: Pair;
  clients: ClientResult[];
}

/** The targets, all relative to a floor measured in the same run. */
export const TARGETS = {
  /** Added latency on small requests and time to first token: at most this much above the floor's. */
  addedOverFloorMs: 0.1,
  /** Throughput on one core: at least this share of the floor's. */
  oneCoreShare: 0.9,
  /** Real traffic: gateway CPU per MB at most this multiple of in-process parse + serialise. */
  cpuPerMbRatio: 3,
} as const;

const ms = (value: number) => `${value.toFixed(3)} ms`;
const added = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(3)} ms`;
const rate = (value: number | undefined) => (value === undefined ? 'n/a' : `${Math.round(value).toLocaleString('en-US')}/s`);
const us = (value: number | undefined) => (value === undefined ? 'n/a' : `${Math.round(value)} µs`);
const kb = (value: number) => `${(value / 1024).toFixed(1)} KB`;
const mb = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(1)} MB`);
export const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? 'n/a' : `${(a / b).toFixed(2)}x`);
const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? 'PASS' : 'MISS');

export function table(title: string, header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, col) => Math.max(...all.map((row) => (row[col] ?? '').length)));
  const line = (row: string[]) => row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ').trimEnd();
  const rule = '-'.repeat(widths.reduce((sum, w) => sum + w + 2, -2));
  return [title, line(header), rule, ...rows.map(line)].join('\n');
}

const PAIR_HEADER = ['', 'direct', 'via gateway', 'via floor', 'gateway added', 'floor added', 'ratio', 'target', ''];

/** Median and p90 rows; the median row carries the "within 0.1 ms of the floor" target when asked. */
function pairRows(label: string, pair: Pair, withTarget: boolean): string[][] {
  const row = (stat: 'median' | 'p90', target: boolean): string[] => {
    const gatewayAdded = pair.gateway[stat] - pair.direct[stat];
    const floorAdded = pair.floor[stat] - pair.direct[stat];
    const check = target ? [`<= floor + ${TARGETS.addedOverFloorMs} ms`, verdict(gatewayAdded <= floorAdded + TARGETS.addedOverFloorMs)] : ['', ''];
    return [`${label} ${stat}`, ms(pair.direct[stat]), ms(pair.gateway[stat]), ms(pair.floor[stat]), added(gatewayAdded), added(floorAdded), ratio(gatewayAdded, floorAdded), ...check];
  };
  return [row('median', withTarget), row('p90', false)];
}

function trafficTable(t: TrafficResult): string {
  const rows = t.buckets.map((b) => [
    `${b.label} (${b.turns} turns, mean ${kb(b.meanBytes)})`,
    added(b.gatewayAdded),
    added(b.floorAdded),
    ratio(b.gatewayAdded, b.floorAdded),
    '<= floor',
    b.turns ? verdict(b.gatewayAdded <= b.floorAdded) : 'n/a',
  ]);
  const cpu = t.cpuPerMb;
  rows.push(['CPU per MB of request: gateway', `${cpu.gateway?.toFixed(1) ?? 'n/a'} ms`, `${cpu.floor?.toFixed(1) ?? 'n/a'} ms`, '', '', '']);
  rows.push([
    'gateway CPU per MB / in-process parse + serialise',
    `${cpu.gateway?.toFixed(1) ?? 'n/a'} ms`,
    `${cpu.inProcess.toFixed(1)} ms`,
    ratio(cpu.gateway, cpu.inProcess),
    `<= ${TARGETS.cpuPerMbRatio}x`,
    verdict(cpu.gateway === undefined ? undefined : cpu.gateway <= TARGETS.cpuPerMbRatio * cpu.inProcess),
  ]);
  return table(
    `Real agent traffic: ${t.turns} turns of ${t.sessions} sessions in order, ${t.megabytes.toFixed(1)} MB of OpenAI requests, each sent direct, via gateway and via floor`,
    ['request size (median per turn)', 'gateway added', 'floor added', 'ratio', 'target', ''],
    rows,
  );
}

function smallTable(r: Report): string {
  const t = r.throughput;
  const cpu = t.cpuPerRequestUs;
  const oneCore = (usPerRequest: number | undefined) => (usPerRequest ? 1_000_000 / usPerRequest : undefined);
  const [gatewayCore, floorCore] = [oneCore(cpu.gateway), oneCore(cpu.floor)];
  return table(
    `Small chat request (OpenAI body ${r.sizes.small[0]} B, Anthropic body ${r.sizes.small[1]} B), non-streaming, ${r.small.direct.count} samples each way`,
    PAIR_HEADER,
    [
      ...pairRows('c=1 latency', r.small, true),
      [`c=${t.concurrency} throughput (measured)`, rate(t.direct), rate(t.gateway), rate(t.floor), '', '', ratio(t.gateway, t.floor), '', ''],
      [`c=${t.concurrency} CPU per request`, '', us(cpu.gateway), us(cpu.floor), '', '', ratio(cpu.gateway, cpu.floor), '', ''],
      [
        'capacity on one core',
        '',
        rate(gatewayCore),
        rate(floorCore),
        '',
        '',
        ratio(gatewayCore, floorCore),
        `>= ${TARGETS.oneCoreShare * 100}% of floor`,
        verdict(gatewayCore === undefined || floorCore === undefined ? undefined : gatewayCore >= TARGETS.oneCoreShare * floorCore),
      ],
    ],
  );
}

function clientsTable(r: Report): string {
  const clientRows = (pick: (c: ClientResult) => string) => r.clients.map(pick);
  const [first, second] = r.clients;
  const faster = first && second ? (first.cpuPerRequestUs <= second.cpuPerRequestUs ? first : second) : undefined;
  const choice = faster
    ? `Faster client by CPU per request: ${faster.label}${faster === first ? ' — the one the gateway uses.' : ' — consider switching the gateway to it.'}`
    : '';
  return [
    table('Upstream client: the same small request from the load-generator process straight to the fake', ['', ...r.clients.map((c) => c.label)], [
      ['non-streaming median', ...clientRows((c) => ms(c.message.median))],
      ['non-streaming p90', ...clientRows((c) => ms(c.message.p90))],
      ['streaming first token median', ...clientRows((c) => ms(c.firstToken.median))],
      ['streaming first token p90', ...clientRows((c) => ms(c.firstToken.p90))],
      ['c=32 throughput', ...clientRows((c) => rate(c.perSecond))],
      ['client CPU per request', ...clientRows((c) => us(c.cpuPerRequestUs))],
    ]),
    choice,
  ].join('\n');
}

export function renderReport(r: Report): string {
  const cpu = r.throughput.cpuPerRequestUs;
  const capacityNote = [
    'Capacity on one core = 1 s / CPU per request (user + system time of the server process, all threads, from /proc).',
    `The measured rate is lower because the fake (${us(cpu.fake)} per request) and this load generator (${us(cpu.loadGenerator)})`,
    'need the same cores; each server runs its JavaScript on one thread.',
  ].join('\n');
  const stream = table(
    `Streaming chat request (first token = first chunk with text), ${r.stream.firstToken.direct.count} samples each way`,
    PAIR_HEADER,
    [...pairRows('time to first token', r.stream.firstToken, true), ...pairRows('whole stream', r.stream.total, false)],
  );
  const large = table(
    `Long agent conversation with tool results (OpenAI body ${kb(r.sizes.large[0])}, Anthropic body ${kb(r.sizes.large[1])}), ${r.large.direct.count} samples each way`,
    PAIR_HEADER,
    pairRows('latency', r.large, false),
  );
  return [
    `Coding Gateway overhead benchmark (${r.mode} run)`,
    ...r.environment,
    '',
    r.traffic ? trafficTable(r.traffic) : 'Real agent traffic: skipped (no sessions found; pass --traces DIR).',
    '',
    smallTable(r),
    capacityNote,
    '',
    stream,
    '',
    large,
    '',
    `Idle RSS after start-up: gateway ${mb(r.idleRssMb.gateway)}, floor ${mb(r.idleRssMb.floor)}.`,
    '',
    clientsTable(r),
    '',
    `Targets: real traffic adds no more than the floor in every size bucket, and gateway CPU per MB <= ${TARGETS.cpuPerMbRatio}x in-process`,
    `parse + serialise; small requests: capacity on one core >= ${TARGETS.oneCoreShare * 100}% of the floor's, added latency (c=1) and added time to`,
    `first token within ${TARGETS.addedOverFloorMs} ms of the floor's; soak (--soak): RSS flat within 10%.`,
  ].join('\n');
}
