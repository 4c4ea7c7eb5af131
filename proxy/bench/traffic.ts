// The real-traffic case: every turn of the shared agent sessions, in order, sent straight to the fake (the
// gateway's own translation of it), through the gateway and through the minimal translator, back to back.
// Added latency is taken per turn (way - direct) and its median reported per request-size bucket; CPU per MB
// of request is each server process's CPU time over the OpenAI bytes it was sent.
import { timedRequest } from './load.ts';
import { anthropicTwin } from './payloads.ts';
import { targets, type Endpoints } from './scenarios.ts';
import { median } from './stats.ts';
import type { TraceTurn } from './traces.ts';

export const BUCKETS = [
  { label: 'under 50 KB', max: 50 * 1024 },
  { label: '50-200 KB', max: 200 * 1024 },
  { label: 'over 200 KB', max: Number.POSITIVE_INFINITY },
] as const;

export interface BucketResult {
  label: string;
  turns: number;
  meanBytes: number;
  /** Median over turns of (gateway - direct) and (floor - direct), ms. */
  gatewayAdded: number;
  floorAdded: number;
}

export interface TrafficResult {
  sessions: number;
  turns: number;
  megabytes: number;
  buckets: BucketResult[];
  /** CPU ms per MB of OpenAI request bytes, per process; undefined without /proc. */
  cpuPerMb: { gateway?: number; floor?: number; inProcess: number };
}

interface Sent {
  bytes: number;
  direct: number;
  gateway: number;
  floor: number;
}

/** CPU this process spends to JSON.parse and JSON.stringify the same bytes: the cost no translator avoids. */
export function parseSerialiseCpuMs(bodies: string[], rounds = 3): number {
  const runs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const before = process.cpuUsage();
    let sink = 0;
    for (const body of bodies) sink += JSON.stringify(JSON.parse(body) as unknown).length;
    const used = process.cpuUsage(before);
    if (sink < 0) throw new Error('unreachable');
    runs.push((used.user + used.system) / 1000);
  }
  return median(runs);
}

function bucketResults(sent: Sent[]): BucketResult[] {
  let lower = 0;
  return BUCKETS.map(({ label, max }) => {
    const inBucket = sent.filter((s) => s.bytes >= lower && s.bytes < max);
    lower = max;
    return {
      label,
      turns: inBucket.length,
      meanBytes: inBucket.reduce((sum, s) => sum + s.bytes, 0) / Math.max(1, inBucket.length),
      gatewayAdded: median(inBucket.map((s) => s.gateway - s.direct)),
      floorAdded: median(inBucket.map((s) => s.floor - s.direct)),
    };
  });
}

type Side = 'direct' | 'gateway' | 'floor';
const ORDERS: Side[][] = [
  ['direct', 'gateway', 'floor'],
  ['floor', 'direct', 'gateway'],
  ['gateway', 'floor', 'direct'],
];

/** Each turn's OpenAI body and its Anthropic twin (what the gateway itself would send), serialised once. */
export function traceBodies(turns: TraceTurn[]): { openai: string; anthropic: string }[] {
  return turns.map((turn) => ({ openai: JSON.stringify(turn.body), anthropic: JSON.stringify(anthropicTwin(turn.body)) }));
}

export async function realTraffic(ep: Endpoints, turns: TraceTurn[], passes = 1): Promise<TrafficResult> {
  const t = targets(ep, 1, false);
  const bodies = traceBodies(turns);
  const sent: Sent[] = [];
  const cpu = { gateway: 0 as number | undefined, floor: 0 as number | undefined };
  const cpuOf = { gateway: ep.gatewayCpuMs, floor: ep.floorCpuMs };
  try {
    for (let pass = 0; pass < passes; pass++) {
      for (const [i, body] of bodies.entries()) {
        const times: Partial<Record<Side, number>> = {};
        for (const side of ORDERS[i % ORDERS.length]!) {
          const before = side === 'direct' ? undefined : cpuOf[side]();
          times[side] = await timedRequest(t[side], side === 'direct' ? body.anthropic : body.openai);
          if (side === 'direct') continue;
          const after = cpuOf[side]();
          const sum = cpu[side];
          cpu[side] = before === undefined || after === undefined || sum === undefined ? undefined : sum + after - before;
        }
        sent.push({ bytes: Buffer.byteLength(body.openai), direct: times.direct!, gateway: times.gateway!, floor: times.floor! });
      }
    }
  } finally {
    await t.close();
  }
  const megabytes = sent.reduce((sum, s) => sum + s.bytes, 0) / (1024 * 1024);
  const perMb = (ms: number | undefined) => (ms === undefined ? undefined : ms / megabytes);
  const inProcess = parseSerialiseCpuMs(bodies.map((b) => b.openai)) / (megabytes / passes);
  return {
    sessions: new Set(turns.map((turn) => turn.session)).size,
    turns: turns.length,
    megabytes,
    buckets: bucketResults(sent),
    cpuPerMb: { gateway: perMb(cpu.gateway), floor: perMb(cpu.floor), inProcess },
  };
}
