// Soak mode (`npm run bench -- --soak`, 10 minutes unless `--soak-minutes`): the real trace turns and small
// requests through the gateway, two at a time, for the whole duration, while the gateway's RSS and event-loop
// delay are sampled (bench/loop-probe.mjs runs inside it). Prints one row per sample and whether RSS stayed flat.
import { existsSync, readFileSync } from 'node:fs';
import { closedLoop, timedRequest } from './load.ts';
import type { BenchPlan } from './options.ts';
import { BENCH_MODEL, smallChat } from './payloads.ts';
import { targets } from './scenarios.ts';
import type { Servers } from './servers.ts';
import { median } from './stats.ts';
import { loadTraceTurns } from './traces.ts';

interface ProbeSample {
  at: number;
  rssMb: number;
  heapMb: number;
  p50: number;
  p99: number;
  max: number;
}

export const PROBE_FILE_ENV = 'LOOP_PROBE_FILE';

function readSamples(file: string): ProbeSample[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as ProbeSample);
}

export async function runSoak(plan: BenchPlan, servers: Servers, progress: (what: string) => void): Promise<string> {
  const minutes = plan.soakMinutes ?? 10;
  const file = plan.gatewayEnv[PROBE_FILE_ENV]!;
  const bodies = [...loadTraceTurns(plan.tracesDir, BENCH_MODEL).map((t) => JSON.stringify(t.body)), smallChat(false).openai];
  const t = targets(servers.endpoints, 2, false);
  let next = 0;
  progress(`soak: ${minutes} min, ${bodies.length} distinct bodies in a loop, concurrency 2`);
  const started = Date.now();
  try {
    await closedLoop(2, minutes * 60_000, Number.MAX_SAFE_INTEGER, () => timedRequest(t.gateway, bodies[next++ % bodies.length]!));
  } finally {
    await t.close();
  }
  await new Promise((resolve) => setTimeout(resolve, Number(plan.gatewayEnv['LOOP_PROBE_MS'] ?? 5000) + 200));
  const samples = readSamples(file);
  const rows = samples.map((s) =>
    [`${((s.at - started) / 60_000).toFixed(2)} min`, `${s.rssMb.toFixed(1)} MB`, `${s.heapMb.toFixed(1)} MB`, `${s.p50} ms`, `${s.p99} ms`, `${s.max} ms`].join('  '),
  );
  // Flat = the median RSS of the last quarter within 10% of the median of the second (once warm). Medians,
  // because garbage collection makes RSS a sawtooth: one sample at a trough or a peak says nothing of a trend.
  const quarter = (q: number) => samples.slice(Math.floor((samples.length * q) / 4), Math.floor((samples.length * (q + 1)) / 4)).map((s) => s.rssMb);
  const [warm, late] = [median(quarter(1)), median(quarter(3))];
  const drift = (late - warm) / warm;
  const all = samples.map((s) => s.rssMb);
  return [
    `Coding Gateway soak (${minutes} min, ${next} requests, ${bodies.length} distinct bodies, concurrency 2)`,
    'elapsed  gateway RSS  heap used  loop delay p50  p99  max',
    ...rows,
    `RSS median once warm (second quarter) ${warm.toFixed(1)} MB, last quarter ${late.toFixed(1)} MB: ${(drift * 100).toFixed(1)}% (target within 10%: ${Math.abs(drift) <= 0.1 ? 'PASS' : 'MISS'}); range ${Math.min(...all).toFixed(1)}-${Math.max(...all).toFixed(1)} MB`,
  ].join('\n');
}
