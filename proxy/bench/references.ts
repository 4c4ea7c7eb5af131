// `npm run bench -- --references`: how much of the targets' room a few fixed pieces of any gateway use up on
// this machine, measured side by side with the floor and the gateway in one run. The reference servers
// (reference-server.ts) are the transport alone, one parse and serialise, the floor on Fastify, and that plus
// the gateway's own usage journal. A target a reference already misses cannot be met by a gateway that has it.
import { startChild, type ChildServer } from './children.ts';
import { alternate, closedLoop, makeTarget, timedRequest, type Target } from './load.ts';
import type { BenchPlan } from './options.ts';
import { BENCH_MODEL, anthropicTwin, smallChat } from './payloads.ts';
import { TARGETS, table } from './report.ts';
import { UPSTREAM_KEY, type Servers } from './servers.ts';
import { median } from './stats.ts';
import { loadTraceTurns, pickTurns } from './traces.ts';
import { parseSerialiseCpuMs } from './traffic.ts';

const LISTENING = /listening on (http:\/\/[^\s]+)/;

interface Side {
  label: string;
  target: Target;
  cpuMs(): number | undefined;
  /** The forwarders take the Anthropic body (they do not translate); everything else the OpenAI one. */
  anthropic: boolean;
}

const sideTarget = (label: string, url: string, anthropic: boolean, key: string, connections: number): Target =>
  makeTarget(
    label,
    url,
    {
      path: anthropic ? '/v1/messages' : '/v1/chat/completions',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      firstContent: /"content":"[^"]/,
    },
    connections,
  );

async function startReferences(fakeUrl: string, started: ChildServer[]): Promise<Record<string, ChildServer>> {
  const servers: Record<string, ChildServer> = {};
  for (const name of ['forward', 'parse-forward', 'fastify', 'fastify-journal']) {
    const child = await startChild({ name: `reference ${name}`, entry: 'proxy/bench/reference-server.ts', env: { REFERENCE: name, UPSTREAM_URL: fakeUrl, UPSTREAM_KEY }, ready: LISTENING });
    started.push(child);
    servers[name] = child;
  }
  return servers;
}

/** CPU per MB of request over every trace turn, each turn sent to every side in a rotating order. */
async function trafficCpuPerMb(sides: Side[], bodies: { openai: string; anthropic: string }[]): Promise<number[]> {
  const cpu = sides.map(() => 0);
  const bytes = sides.map(() => 0);
  for (const [i, body] of bodies.entries()) {
    for (let k = 0; k < sides.length; k++) {
      const index = (i + k) % sides.length;
      const side = sides[index]!;
      const sent = side.anthropic ? body.anthropic : body.openai;
      const before = side.cpuMs() ?? 0;
      await timedRequest(side.target, sent);
      cpu[index]! += (side.cpuMs() ?? 0) - before;
      bytes[index]! += Buffer.byteLength(sent);
    }
  }
  return cpu.map((ms, i) => ms / (bytes[i]! / (1024 * 1024)));
}

/** CPU per small request at concurrency 32, and the median added latency at concurrency 1 (over direct). */
async function smallRequests(plan: BenchPlan, sides: Side[], direct: Target, body: string, anthropicBody: string) {
  const cpu: number[][] = sides.map(() => []);
  for (let round = 0; round < plan.throughput.rounds; round++) {
    for (const [i, side] of (round % 2 ? [...sides.entries()].reverse() : [...sides.entries()])) {
      const before = side.cpuMs() ?? 0;
      const result = await closedLoop(plan.throughput.concurrency, plan.throughput.durationMs, plan.throughput.maxRequests, () => timedRequest(side.target, body));
      cpu[i]!.push((((side.cpuMs() ?? 0) - before) * 1000) / result.requests);
    }
  }
  const runners: Record<string, () => Promise<number>> = { direct: () => timedRequest(direct, anthropicBody) };
  for (const side of sides) runners[side.label] = () => timedRequest(side.target, body);
  const latency = await alternate(plan.small, runners);
  const directMedian = median(latency['direct']!);
  return sides.map((side, i) => ({ cpuUs: median(cpu[i]!), addedMs: median(latency[side.label]!) - directMedian }));
}

export async function runReferences(plan: BenchPlan, servers: Servers, started: ChildServer[], progress: (what: string) => void): Promise<string> {
  const ep = servers.endpoints;
  const refs = await startReferences(ep.fakeUrl, started);
  const key = ep.gatewayKey;
  const side = (label: string, url: string, cpuMs: () => number | undefined, anthropic: boolean, connections: number): Side => ({
    label,
    target: sideTarget(label, url, anthropic, key, connections),
    cpuMs,
    anthropic,
  });
  const ref = (name: string, connections: number, anthropic = false) => side(name, refs[name]!.url, refs[name]!.cpuMs, anthropic, connections);
  const small = smallChat(false);
  const smallTwin = JSON.stringify(anthropicTwin(JSON.parse(small.openai) as Record<string, unknown>));

  progress('references: warming up');
  const warm = [ref('forward', 8, true), ref('parse-forward', 8, true), ref('fastify', 8), ref('fastify-journal', 8), side('floor', ep.floorUrl, ep.floorCpuMs, false, 8), side('gateway', ep.gatewayUrl, ep.gatewayCpuMs, false, 8)];
  for (const s of warm) await closedLoop(8, 1000 * Math.min(1, plan.scale), plan.warmup.small, () => timedRequest(s.target, s.anthropic ? smallTwin : small.openai));
  await Promise.all(warm.map((s) => s.target.pool.close()));

  const turns = pickTurns(loadTraceTurns(plan.tracesDir, BENCH_MODEL), plan);
  const bodies = turns.map((turn) => ({ openai: JSON.stringify(turn.body), anthropic: JSON.stringify(anthropicTwin(turn.body)) }));
  const trafficSides = [ref('forward', 1, true), ref('parse-forward', 1, true), side('floor', ep.floorUrl, ep.floorCpuMs, false, 1), side('gateway', ep.gatewayUrl, ep.gatewayCpuMs, false, 1)];
  progress(`references: ${bodies.length} trace turns through ${trafficSides.length} servers`);
  const perMb = bodies.length ? await trafficCpuPerMb(trafficSides, bodies) : [];
  const inProcess = bodies.length ? parseSerialiseCpuMs(bodies.map((b) => b.openai)) / (bodies.reduce((sum, b) => sum + Buffer.byteLength(b.openai), 0) / (1024 * 1024)) : undefined;

  progress('references: small requests');
  const smallSides = [side('floor', ep.floorUrl, ep.floorCpuMs, false, plan.throughput.concurrency), ref('fastify', plan.throughput.concurrency), ref('fastify-journal', plan.throughput.concurrency), side('gateway', ep.gatewayUrl, ep.gatewayCpuMs, false, plan.throughput.concurrency)];
  const direct = makeTarget('direct', ep.fakeUrl, { path: '/v1/messages', headers: { 'content-type': 'application/json', 'x-api-key': ep.upstreamKey, 'anthropic-version': '2023-06-01' }, firstContent: /text_delta/ }, plan.throughput.concurrency);
  const smallResults = await smallRequests(plan, smallSides, direct, small.openai, smallTwin);
  await Promise.all([...trafficSides, ...smallSides, { target: direct }].map((s) => s.target.pool.close()));

  const fixed = (n: number | undefined, digits = 1) => (n === undefined || !Number.isFinite(n) ? 'n/a' : n.toFixed(digits));
  const times = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? 'n/a' : `${(a / b).toFixed(2)}x`);
  const describe: Record<string, string> = {
    forward: 'byte forwarder: body sent on unparsed',
    'parse-forward': 'forwarder with one JSON.parse + JSON.stringify',
    floor: 'the floor: translator on node:http',
    fastify: 'the floor on Fastify',
    'fastify-journal': 'the floor on Fastify + usage journal',
    gateway: 'the gateway',
  };
  const floorSmall = smallResults[0]!;
  return [
    `Coding Gateway reference servers (${plan.scale === 1 ? plan.mode : `${plan.mode}, scale ${plan.scale}`} run): what fixed pieces of any gateway cost on this machine`,
    '',
    table(
      `Real agent traffic, ${bodies.length} turns at concurrency 1: CPU per MB of request (target: gateway <= ${TARGETS.cpuPerMbRatio}x in-process)`,
      ['', 'CPU per MB', 'x in-process'],
      [['in-process JSON.parse + JSON.stringify', `${fixed(inProcess)} ms`, '1.00x'], ...trafficSides.map((s, i) => [describe[s.label]!, `${fixed(perMb[i])} ms`, times(perMb[i], inProcess)])],
    ),
    '',
    table(
      `Small chat request: CPU per request at concurrency ${plan.throughput.concurrency}, added latency at concurrency 1 (targets: capacity >= ${TARGETS.oneCoreShare * 100}% of the floor's, added <= floor + ${TARGETS.addedOverFloorMs} ms)`,
      ['', 'CPU per request', 'capacity vs floor', 'added c=1', 'vs floor'],
      smallSides.map((s, i) => {
        const r = smallResults[i]!;
        return [describe[s.label]!, `${fixed(r.cpuUs, 0)} µs`, `${fixed((100 * floorSmall.cpuUs) / r.cpuUs, 0)}%`, `+${fixed(r.addedMs, 3)} ms`, `${r.addedMs - floorSmall.addedMs >= 0 ? '+' : ''}${fixed(r.addedMs - floorSmall.addedMs, 3)} ms`];
      }),
    ),
  ].join('\n');
}
