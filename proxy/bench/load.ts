// The load generator: keep-alive undici pools aimed at the fake (direct) or at the gateway, a timed request,
// a timed stream, alternating latency rounds and a closed-loop throughput run. Every loop is bounded by a
// request count and by a time budget.
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface Target {
  label: string;
  pool: Pool;
  path: string;
  headers: Record<string, string>;
  /** Marks the first content in a streamed answer (a text delta), to time the first token. */
  firstContent: RegExp;
}

export function makeTarget(label: string, baseUrl: string, options: Omit<Target, 'label' | 'pool'>, connections: number): Target {
  const pool = new Pool(new URL(baseUrl).origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  return { label, pool, ...options };
}

async function post(target: Target, body: string) {
  const response = await target.pool.request({ method: 'POST', path: target.path, headers: target.headers, body });
  if (response.statusCode !== 200) {
    const text = await response.body.text();
    throw new Error(`${target.label}: HTTP ${response.statusCode}: ${text.slice(0, 300)}`);
  }
  return response;
}

/** Milliseconds from sending the request to the last byte of the answer. */
export async function timedRequest(target: Target, body: string): Promise<number> {
  const started = performance.now();
  const response = await post(target, body);
  await response.body.text();
  return performance.now() - started;
}

export interface StreamTiming {
  /** Milliseconds to the first chunk carrying model text. */
  firstToken: number;
  total: number;
}

export async function timedStream(target: Target, body: string): Promise<StreamTiming> {
  const started = performance.now();
  const response = await post(target, body);
  let firstToken = Number.NaN;
  let seen = '';
  for await (const chunk of response.body) {
    if (!Number.isNaN(firstToken)) continue;
    seen += (chunk as Buffer).toString('latin1');
    if (target.firstContent.test(seen)) firstToken = performance.now() - started;
  }
  const total = performance.now() - started;
  if (Number.isNaN(firstToken)) throw new Error(`${target.label}: the stream carried no content`);
  return { firstToken, total };
}

export interface Budget {
  rounds: number;
  perRound: number;
  /** Stop starting new rounds after this long. */
  maxMs: number;
}

/**
 * Runs each measurement `perRound` times per round, swapping the order every round, so drift on a shared
 * machine (thermal, other processes) lands on both sides alike.
 */
export async function alternate<T>(budget: Budget, runners: Record<string, () => Promise<T>>): Promise<Record<string, T[]>> {
  const names = Object.keys(runners);
  const samples: Record<string, T[]> = Object.fromEntries(names.map((n) => [n, []]));
  const started = performance.now();
  for (let round = 0; round < budget.rounds; round++) {
    if (round > 0 && performance.now() - started > budget.maxMs) break;
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      for (let i = 0; i < budget.perRound; i++) samples[name]!.push(await runners[name]!());
    }
  }
  return samples;
}

export interface LoopResult {
  requests: number;
  seconds: number;
  perSecond: number;
}

/** `concurrency` workers send back to back until `durationMs` has passed or `maxRequests` were sent. */
export async function closedLoop(concurrency: number, durationMs: number, maxRequests: number, send: () => Promise<unknown>): Promise<LoopResult> {
  let sent = 0;
  let done = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async () => {
    while (sent < maxRequests && performance.now() < deadline) {
      sent++;
      await send();
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { requests: done, seconds, perSecond: done / seconds };
}
