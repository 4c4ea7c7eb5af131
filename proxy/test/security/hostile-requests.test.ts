// Property-based: thousands of generated hostile requests against a built gateway and the strict fake Anthropic.
// Every answer is below 500, arrives in time, and has the right error shape; on the OpenAI routes nothing reaches
// the fake that its validation refuses (the gateway answers those itself, naming the client's own field). Most
// requests go through inject(); a share goes over real sockets as raw bytes (invalid UTF-8, huge headers, odd
// methods and request lines). The counts are printed at the end. FC_SEED reproduces a run.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { ADMIN_KEY, GATEWAY_KEY, startHarness, type Harness } from '../helpers/harness.ts';
import { hostileRequest, type HostileRequest } from './hostile-arbitraries.ts';
import { errorShapeProblem, newStats, note, summary, type HostileStats } from './hostile-check.ts';
import { rawRequests, sendRaw } from './raw-requests.ts';

const INJECTED = Number(process.env.HOSTILE_RUNS ?? 8_500);
const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const TIMEOUT_MS = 10_000;

// Two gateways, each with its own strict fake: the OpenAI routes' upstream sees nothing else, so every request
// its fake refuses was sent by the OpenAI path; the pass-through (which relays Anthropic's refusals) has its own.
let h: Harness;
let passthrough: Harness;
const stats = newStats();
before(async () => {
  h = await startHarness({ listen: true, config: { enableMultiProject: true } });
  passthrough = await startHarness({ config: { enableMultiProject: true } });
});
after(async () => {
  console.log(`${summary(stats)}\nseed: ${SEED}${stats.failures.length ? `\nfirst failures:\n  ${stats.failures.join('\n  ')}` : ''}`);
  await h.close();
  await passthrough.close();
});

function withTimeout<T>(promise: Promise<T>): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS)))]).finally(() => clearTimeout(timer));
}

const isPassthrough = (url: string) => url.startsWith('/v1/messages');

async function check(stats: HostileStats, req: HostileRequest): Promise<void> {
  stats.generated++;
  const gateway = isPassthrough(req.url) ? passthrough : h;
  const res = await withTimeout(gateway.app.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, ...(req.payload !== undefined && { payload: req.payload }) }));
  const example = `${req.method} ${req.url.slice(0, 80)} ${req.payload?.slice(0, 300) ?? ''}`;
  if (res === 'timeout') {
    stats.hangs++;
    return note(stats, 'hang', example);
  }
  stats.byStatus[res.statusCode] = (stats.byStatus[res.statusCode] ?? 0) + 1;
  if (res.statusCode >= 500) {
    stats.serverErrors++;
    note(stats, `${res.statusCode}`, `${example} -> ${res.body.slice(0, 200)}`);
  }
  const shape = req.method === 'HEAD' ? undefined : errorShapeProblem(req.url, res.statusCode, res.headers['content-type'] as string | undefined, res.body);
  if (shape) {
    stats.badShapes++;
    note(stats, shape, `${example} -> ${res.statusCode} ${res.body.slice(0, 200)}`);
  }
}

/** Refusals by the OpenAI routes' fake: each one is a request the gateway should have answered itself. */
function countFakeRejections(stats: HostileStats): void {
  for (const upstream of h.fake.requests) {
    if (!upstream.rejected || upstream.rejected.status === 429) continue;
    stats.fakeRejections++;
    note(stats, 'fake rejected', `${upstream.rejected.message} <- ${JSON.stringify(upstream.body).slice(0, 300)}`);
  }
  // Memory stays flat over thousands of runs.
  h.fake.requests.length = 0;
  passthrough.fake.requests.length = 0;
}

/** Runs the checks a few at a time: the gateway and both fakes share this process, so waits overlap. */
async function inPool(items: HostileRequest[], width: number, each: (item: HostileRequest) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await each(item);
      if (next % 500 === 0) countFakeRejections(stats);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  countFakeRejections(stats);
}

test(`${INJECTED} generated hostile requests through inject()`, { timeout: 240_000 }, async () => {
  const samples = fc.sample(hostileRequest({ gateway: GATEWAY_KEY, admin: ADMIN_KEY }), { numRuns: INJECTED, seed: SEED });
  const started = performance.now();
  await inPool(samples, Number(process.env.HOSTILE_WIDTH ?? 4), (req) => check(stats, req));
  console.log(`inject: ${samples.length} in ${Math.round(performance.now() - started)} ms`);
  assert.equal(stats.serverErrors, 0, summary(stats));
  assert.equal(stats.hangs, 0, summary(stats));
  assert.equal(stats.badShapes, 0, summary(stats));
  assert.equal(stats.fakeRejections, 0, summary(stats));
});

test('raw bytes over real sockets', { timeout: 120_000 }, async () => {
  const port = Number(new URL(h.baseURL).port);
  const samples = fc.sample(rawRequests(GATEWAY_KEY), { numRuns: Number(process.env.HOSTILE_RAW_RUNS ?? 1_500), seed: SEED });
  for (const raw of samples) {
    stats.generated++;
    stats.overSockets++;
    const answer = await sendRaw(port, raw.bytes, TIMEOUT_MS);
    if (answer === 'timeout') {
      stats.hangs++;
      note(stats, 'raw hang', raw.label);
      continue;
    }
    stats.byStatus[answer.status] = (stats.byStatus[answer.status] ?? 0) + 1;
    if (answer.status >= 500) {
      stats.serverErrors++;
      note(stats, `raw ${answer.status}`, raw.label);
    }
    const shape = raw.head || answer.body === '' ? undefined : errorShapeProblem(raw.path, answer.status, answer.contentType, answer.body);
    if (shape) {
      stats.badShapes++;
      note(stats, `raw ${shape}`, `${raw.label} -> ${answer.status} ${answer.body.slice(0, 200)}`);
    }
  }
  assert.ok(stats.generated >= 10_000 || process.env.HOSTILE_RUNS !== undefined, `only ${stats.generated} requests`);
  assert.equal(stats.serverErrors, 0, summary(stats));
  assert.equal(stats.hangs, 0, summary(stats));
  assert.equal(stats.badShapes, 0, summary(stats));
});
