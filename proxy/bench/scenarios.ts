// The measurements, each run direct to the fake and through the gateway in the same way, alternating.
import { ANTHROPIC_VERSION } from '../src/upstream/anthropic-http.ts';
import { alternate, closedLoop, makeTarget, timedRequest, timedStream, type Budget, type Target } from './load.ts';
import type { BenchPlan } from './options.ts';
import type { Payload } from './payloads.ts';
import { summarize, median, type Summary } from './stats.ts';
import { sdkClient, undiciClient, type UpstreamClient } from './upstream-clients.ts';

export interface Endpoints {
  fakeUrl: string;
  gatewayUrl: string;
  /** The minimal translator (bench/minimal-translator.ts): the floor every figure is compared with. */
  floorUrl: string;
  upstreamKey: string;
  gatewayKey: string;
  gatewayCpuMs(): number | undefined;
  floorCpuMs(): number | undefined;
  fakeCpuMs(): number | undefined;
}

export interface Pair {
  direct: Summary;
  gateway: Summary;
  floor: Summary;
}

interface Targets {
  direct: Target;
  gateway: Target;
  floor: Target;
  close(): Promise<void>;
}

export const openaiTarget = (label: string, url: string, key: string, connections: number): Target =>
  makeTarget(
    label,
    url,
    {
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      // The first delta carries the role and an empty content; the first token is the first non-empty one.
      firstContent: /"content":"[^"]/,
    },
    connections,
  );

/** Straight to the fake, with the Anthropic body the gateway itself would send. */
export const directTarget = (ep: Endpoints, connections: number, stream: boolean): Target =>
  makeTarget(
    'direct',
    ep.fakeUrl,
    {
      path: '/v1/messages',
      headers: {
        'content-type': 'application/json',
        'x-api-key': ep.upstreamKey,
        'anthropic-version': ANTHROPIC_VERSION,
        accept: stream ? 'text/event-stream' : 'application/json',
      },
      firstContent: /"text_delta"/,
    },
    connections,
  );

export function targets(ep: Endpoints, connections: number, stream: boolean): Targets {
  const direct = directTarget(ep, connections, stream);
  const gateway = openaiTarget('gateway', ep.gatewayUrl, ep.gatewayKey, connections);
  const floor = openaiTarget('floor', ep.floorUrl, ep.gatewayKey, connections);
  return { direct, gateway, floor, close: async () => void (await Promise.all([direct.pool.close(), gateway.pool.close(), floor.pool.close()])) };
}

/** Brings both processes' JIT to a steady state before anything is timed. */
export async function warmUp(plan: BenchPlan, ep: Endpoints, small: Payload, stream: Payload, large: Payload): Promise<void> {
  const t = targets(ep, 8, false);
  const s = targets(ep, 8, true);
  try {
    const loop = (count: number, send: () => Promise<unknown>) => closedLoop(8, 20_000, count, send);
    await loop(plan.warmup.small, () => timedRequest(t.gateway, small.openai));
    await loop(plan.warmup.small, () => timedRequest(t.direct, small.anthropic));
    await loop(plan.warmup.small, () => timedRequest(t.floor, small.openai));
    await loop(plan.warmup.stream, () => timedStream(s.floor, stream.openai));
    await loop(plan.warmup.large, () => timedRequest(t.floor, large.openai));
    await loop(plan.warmup.stream, () => timedStream(s.gateway, stream.openai));
    await loop(plan.warmup.stream, () => timedStream(s.direct, stream.anthropic));
    await loop(plan.warmup.large, () => timedRequest(t.gateway, large.openai));
    await loop(plan.warmup.large, () => timedRequest(t.direct, large.anthropic));
  } finally {
    await Promise.all([t.close(), s.close()]);
  }
}

/** Sequential requests (concurrency 1): latency of one request at a time, both ways. */
export async function latencyPair(budget: Budget, ep: Endpoints, payload: Payload): Promise<Pair> {
  const t = targets(ep, 1, false);
  try {
    const samples = await alternate(budget, {
      direct: () => timedRequest(t.direct, payload.anthropic),
      gateway: () => timedRequest(t.gateway, payload.openai),
      floor: () => timedRequest(t.floor, payload.openai),
    });
    return { direct: summarize(samples['direct']!), gateway: summarize(samples['gateway']!), floor: summarize(samples['floor']!) };
  } finally {
    await t.close();
  }
}

export interface StreamPair {
  firstToken: Pair;
  total: Pair;
}

export async function streamPair(budget: Budget, ep: Endpoints, payload: Payload): Promise<StreamPair> {
  const t = targets(ep, 1, true);
  try {
    const samples = await alternate(budget, {
      direct: () => timedStream(t.direct, payload.anthropic),
      gateway: () => timedStream(t.gateway, payload.openai),
      floor: () => timedStream(t.floor, payload.openai),
    });
    const pick = (key: 'firstToken' | 'total'): Pair => ({
      direct: summarize(samples['direct']!.map((s) => s[key])),
      gateway: summarize(samples['gateway']!.map((s) => s[key])),
      floor: summarize(samples['floor']!.map((s) => s[key])),
    });
    return { firstToken: pick('firstToken'), total: pick('total') };
  } finally {
    await t.close();
  }
}

export interface ThroughputResult {
  concurrency: number;
  /** Median over rounds, requests per second. */
  direct: number;
  gateway: number;
  floor: number;
  /** CPU time per request through the gateway, in microseconds, per process. */
  cpuPerRequestUs: { gateway?: number; floor?: number; fake?: number; loadGenerator: number };
}

export async function throughput(plan: BenchPlan['throughput'], ep: Endpoints, payload: Payload): Promise<ThroughputResult> {
  const t = targets(ep, plan.concurrency, false);
  const rates: { direct: number[]; gateway: number[]; floor: number[] } = { direct: [], gateway: [], floor: [] };
  let requests = 0;
  let floorRequests = 0;
  let floorCpu: number | undefined = 0;
  let gatewayCpu: number | undefined = 0;
  let fakeCpu: number | undefined = 0;
  let ownCpu = 0;
  const delta = (before: number | undefined, after: number | undefined, sum: number | undefined) =>
    before === undefined || after === undefined || sum === undefined ? undefined : sum + after - before;
  try {
    for (let round = 0; round < plan.rounds; round++) {
      const order: Array<'direct' | 'gateway' | 'floor'> = round % 2 === 0 ? ['direct', 'gateway', 'floor'] : ['floor', 'gateway', 'direct'];
      for (const side of order) {
        const body = side === 'direct' ? payload.anthropic : payload.openai;
        const [g0, f0, c0, m0] = [ep.gatewayCpuMs(), ep.fakeCpuMs(), process.cpuUsage(), ep.floorCpuMs()];
        const result = await closedLoop(plan.concurrency, plan.durationMs, plan.maxRequests, () => timedRequest(t[side], body));
        rates[side].push(result.perSecond);
        if (side === 'floor') {
          floorCpu = delta(m0, ep.floorCpuMs(), floorCpu);
          floorRequests += result.requests;
        }
        if (side === 'gateway') {
          const c1 = process.cpuUsage(c0);
          gatewayCpu = delta(g0, ep.gatewayCpuMs(), gatewayCpu);
          fakeCpu = delta(f0, ep.fakeCpuMs(), fakeCpu);
          ownCpu += (c1.user + c1.system) / 1000;
          requests += result.requests;
        }
      }
    }
  } finally {
    await t.close();
  }
  const perRequest = (ms: number | undefined, count = requests) => (ms === undefined || count === 0 ? undefined : (ms * 1000) / count);
  return {
    concurrency: plan.concurrency,
    direct: median(rates.direct),
    gateway: median(rates.gateway),
    floor: median(rates.floor),
    cpuPerRequestUs: { gateway: perRequest(gatewayCpu), floor: perRequest(floorCpu, floorRequests), fake: perRequest(fakeCpu), loadGenerator: perRequest(ownCpu)! },
  };
}

export interface ClientResult {
  label: string;
  message: Summary;
  firstToken: Summary;
  /** Requests per second at concurrency 32, non-streaming. */
  perSecond: number;
  /** CPU the client itself spent per non-streaming request, in microseconds. */
  cpuPerRequestUs: number;
}

/** Anthropic's SDK client against the gateway's undici upstream, both called from this process. */
export async function compareClients(plan: BenchPlan, ep: Endpoints, small: Payload, stream: Payload): Promise<ClientResult[]> {
  const clients: UpstreamClient[] = [undiciClient(ep.fakeUrl, ep.upstreamKey), sdkClient(ep.fakeUrl, ep.upstreamKey)];
  try {
    for (const client of clients) {
      await closedLoop(8, 20_000, plan.warmup.client, () => client.message(small.anthropicParams));
      await closedLoop(8, 20_000, plan.warmup.client, () => client.stream(stream.anthropicParams));
    }
    const runners = <T>(run: (c: UpstreamClient) => () => Promise<T>) => Object.fromEntries(clients.map((c) => [c.label, run(c)]));
    const messages = await alternate(plan.clients.message, runners((c) => () => c.message(small.anthropicParams)));
    const streams = await alternate(plan.clients.stream, runners((c) => () => c.stream(stream.anthropicParams)));
    const results: ClientResult[] = [];
    for (const client of clients) {
      const before = process.cpuUsage();
      const loop = await closedLoop(32, plan.clients.loopMs, 200_000, () => client.message(small.anthropicParams));
      const used = process.cpuUsage(before);
      results.push({
        label: client.label,
        message: summarize(messages[client.label]!),
        firstToken: summarize(streams[client.label]!.map((s) => s.firstToken)),
        perSecond: loop.perSecond,
        cpuPerRequestUs: (used.user + used.system) / loop.requests,
      });
    }
    return results;
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}
