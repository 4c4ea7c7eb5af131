// `npm run bench -- --references`: how much of the targets' room a few fixed pieces of any gateway use up on
// this machine, measured side by side with the floor and the gateway in one run. The reference servers
// (reference-server.ts) are the transport alone, one parse and serialise, the floor on Fastify, and that plus
// the gateway's own usage journal. A target a reference already misses cannot be met by a gateway that has it.
import { startChild, type ChildServer } from './children.ts';
import { alternate, closedLoop, timedRequest, type Target } from './load.ts';
import type { BenchPlan } from './options.ts';
import { BENCH_MODEL, smallChat } from './payloads.ts';
import { TARGETS, ratio, table } from './report.ts';
import { directTarget, openaiTarget } from './scenarios.ts';
import { UPSTREAM_KEY, type Servers } from './servers.ts';
import { median } from './stats.ts';
import { loadTraceTurns, pickTurns } from './traces.ts';
import { parseSerialiseCpuMs, traceBodies } from './traffic.ts';

const LISTENING = /listening on (http:\/\/[^\s]+)/;
const REFERENCES = ['forward', 'parse-forward', 'fastify', 'fastify-journal'] as const;
type Name = (typeof REFERENCES)[number] | 'floor' | 'gateway';

const DESCRIBE: Record<Name, string> = {
  forward: 'byte forwarder: body sent on unparsed',
  'parse-forward': 'forwarder with one JSON.parse + JSON.stringify',
  floor: 'the floor: translator on node:http',
  fastify: 'the floor on Fastify',
  'fastify-journal': 'the floor on Fastify + usage journal',
  gateway: 'the gateway',
};

interface Side {
  name: Name;
  target: Target;
  cpuMs(): number | undefined;
  /** The forwarders are sent the Anthropic body (they do not translate; any path is forwarded to /v1/messages). */
  anthropic: boolean;
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
    for (const [i, side] of round % 2 ? [...sides.entries()].reverse() : [...sides.entries()]) {
      const before = side.cpuMs() ?? 0;
      const result = await closedLoop(plan.throughput.concurrency, plan.throughput.durationMs, plan.throughput.maxRequests, () => timedRequest(side.target, body));
      cpu[i]!.push((((side.cpuMs() ?? 0) - before) * 1000) / result.requests);
    }
  }
  const runners: Record<string, () => Promise<number>> = { direct: () => timedRequest(direct, anthropicBody) };
  for (const side of sides) runners[side.name] = () => timedRequest(side.target, body);
  const latency = await alternate(plan.small, runners);
  const directMedian = median(latency['direct']!);
  return sides.map((side, i) => ({ cpuUs: median(cpu[i]!), addedMs: median(latency[side.name]!) - directMedian }));
}

export async function runReferences(plan: BenchPlan, servers: Servers, started: ChildServer[], progress: (what: string) => void): Promise<string> {
  const ep = servers.endpoints;
  const urls: Partial<Record<Name, string>> = { floor: ep.floorUrl, gateway: ep.gatewayUrl };
  const cpuOf: Partial<Record<Name, () => number | undefined>> = { floor: ep.floorCpuMs, gateway: ep.gatewayCpuMs };
  for (const name of REFERENCES) {
    const child = await startChild({ name: `reference ${name}`, entry: 'proxy/bench/reference-server.ts', env: { REFERENCE: name, UPSTREAM_URL: ep.fakeUrl, UPSTREAM_KEY }, ready: LISTENING });
    started.push(child);
    urls[name] = child.url;
    cpuOf[name] = child.cpuMs;
  }
  const side = (name: Name, connections: number): Side => ({
    name,
    target: openaiTarget(name, urls[name]!, ep.gatewayKey, connections),
    cpuMs: cpuOf[name]!,
    anthropic: name === 'forward' || name === 'parse-forward',
  });
  const small = smallChat(false);
  const close = (sides: Array<{ target: Target }>) => Promise.all(sides.map((s) => s.target.pool.close()));

  progress('references: warming up');
  const warm = (['forward', 'parse-forward', 'fastify', 'fastify-journal', 'floor', 'gateway'] as const).map((name) => side(name, 8));
  for (const s of warm) await closedLoop(8, 1000 * Math.min(1, plan.scale), plan.warmup.small, () => timedRequest(s.target, s.anthropic ? small.anthropic : small.openai));
  await close(warm);

  const bodies = traceBodies(pickTurns(loadTraceTurns(plan.tracesDir, BENCH_MODEL), plan));
  const trafficSides = (['forward', 'parse-forward', 'floor', 'gateway'] as const).map((name) => side(name, 1));
  progress(`references: ${bodies.length} trace turns through ${trafficSides.length} servers`);
  const perMb = bodies.length ? await trafficCpuPerMb(trafficSides, bodies) : [];
  const megabytes = bodies.reduce((sum, b) => sum + Buffer.byteLength(b.openai), 0) / (1024 * 1024);
  const inProcess = bodies.length ? parseSerialiseCpuMs(bodies.map((b) => b.openai)) / megabytes : undefined;

  progress('references: small requests');
  const concurrency = plan.throughput.concurrency;
  const smallSides = (['floor', 'fastify', 'fastify-journal', 'gateway'] as const).map((name) => side(name, concurrency));
  const direct = directTarget(ep, concurrency, false);
  const smallResults = await smallRequests(plan, smallSides, direct, small.openai, small.anthropic);
  await close([...trafficSides, ...smallSides, { target: direct }]);

  const fixed = (n: number | undefined, digits = 1) => (n === undefined || !Number.isFinite(n) ? 'n/a' : n.toFixed(digits));
  const signed = (n: number) => `${n >= 0 ? '+' : ''}${fixed(n, 3)} ms`;
  const floorSmall = smallResults[0]!;
  return [
    `Coding Gateway reference servers (${plan.scale === 1 ? plan.mode : `${plan.mode}, scale ${plan.scale}`} run): what fixed pieces of any gateway cost on this machine`,
    '',
    table(
      `Real agent traffic, ${bodies.length} turns at concurrency 1: CPU per MB of request (target: gateway <= ${TARGETS.cpuPerMbRatio}x in-process)`,
      ['', 'CPU per MB', 'x in-process'],
      [['in-process JSON.parse + JSON.stringify', `${fixed(inProcess)} ms`, '1.00x'], ...trafficSides.map((s, i) => [DESCRIBE[s.name], `${fixed(perMb[i])} ms`, ratio(perMb[i], inProcess)])],
    ),
    '',
    table(
      `Small chat request: CPU per request at concurrency ${concurrency}, added latency at concurrency 1 (targets: capacity >= ${TARGETS.oneCoreShare * 100}% of the floor's, added <= floor + ${TARGETS.addedOverFloorMs} ms)`,
      ['', 'CPU per request', 'capacity vs floor', 'added c=1', 'vs floor'],
      smallSides.map((s, i) => {
        const r = smallResults[i]!;
        return [DESCRIBE[s.name], `${fixed(r.cpuUs, 0)} µs`, `${fixed((100 * floorSmall.cpuUs) / r.cpuUs, 0)}%`, signed(r.addedMs), signed(r.addedMs - floorSmall.addedMs)];
      }),
    ),
  ].join('\n');
}
