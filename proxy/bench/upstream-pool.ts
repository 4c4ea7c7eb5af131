// `npx tsx proxy/bench/upstream-pool.ts`: what several upstreams add to one call. The same Anthropic request is
// sent to a fake Anthropic API through the single-upstream client and through a pool of two Anthropic upstreams
// (balancer, stickiness, body parse, provider adapter), small and large bodies; then Bedrock's event-stream
// decoding alone. Medians and p90s in milliseconds, and the ratio pool/single.
import { performance } from 'node:perf_hooks';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { CircuitBreaker } from '../src/reliability/circuit-breaker.ts';
import { createLocalCircuitStore } from '../src/reliability/circuit-store.ts';
import { createAnthropicUpstream, type AnthropicUpstream } from '../src/upstream/anthropic-http.ts';
import { bedrockStreamToSse } from '../src/upstream/providers/bedrock-stream.ts';
import { createUpstreamPool } from '../src/upstream/upstream-pool.ts';
import { startFakeAnthropic } from '../test/fake-anthropic/index.ts';
import { longConversation, smallChat } from './payloads.ts';
import { summarize } from './stats.ts';

const KEY = 'sk-ant-bench-upstream-key';
const ROUNDS = Number(process.env.ROUNDS ?? 100);

async function timeCalls(upstream: AnthropicUpstream, body: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS + 20; i++) {
    const started = performance.now();
    const response = await upstream.send({ path: '/v1/messages', body, headers: { accept: 'application/json' } });
    await response.body.text();
    if (i >= 20) samples.push(performance.now() - started);
  }
  return samples;
}

function line(label: string, single: number[], pooled: number[]): string {
  const a = summarize(single);
  const b = summarize(pooled);
  return `${label.padEnd(26)} single median ${a.median.toFixed(3)} p90 ${a.p90.toFixed(3)} | pool median ${b.median.toFixed(3)} p90 ${b.p90.toFixed(3)} | ratio ${(b.median / a.median).toFixed(3)}`;
}

async function decodeThroughput(): Promise<string> {
  const codec = new EventStreamCodec((b: Uint8Array) => Buffer.from(b).toString('utf8'), (s: string) => new Uint8Array(Buffer.from(s, 'utf8')));
  const delta = { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'some generated words '.repeat(3) } };
  const frame = codec.encode({
    headers: { ':event-type': { type: 'string', value: 'chunk' }, ':message-type': { type: 'string', value: 'event' } },
    body: new Uint8Array(Buffer.from(JSON.stringify({ bytes: Buffer.from(JSON.stringify(delta)).toString('base64') }))),
  });
  const frames = 20_000;
  const chunks = Array.from({ length: frames }, () => frame);
  const started = performance.now();
  let out = 0;
  for await (const sse of bedrockStreamToSse((async function* () { yield* chunks; })())) out += sse.length;
  const ms = performance.now() - started;
  return `bedrock event-stream → SSE   ${frames} frames (${((frame.length * frames) / 1e6).toFixed(1)} MB) in ${ms.toFixed(0)} ms: ${((frames / ms) * 1000).toFixed(0)} events/s, ${(out / 1e6).toFixed(1)} MB SSE out`;
}

async function main(): Promise<void> {
  const fakes = await Promise.all([startFakeAnthropic({ apiKey: KEY }), startFakeAnthropic({ apiKey: KEY })]);
  const timeouts = { headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000 };
  const single = createAnthropicUpstream({ baseUrl: fakes[0]!.url, apiKey: KEY, ...timeouts });
  const breaker = new CircuitBreaker({ enabled: true, threshold: 5, timeoutMs: 30_000, store: createLocalCircuitStore(), now: Date.now });
  const pool = createUpstreamPool({
    upstreams: fakes.map((f, i) => ({ name: `a${i}`, provider: 'anthropic' as const, weight: 1, models: undefined, baseUrl: f.url, priceMultiplier: 1, credentials: { apiKey: KEY } })),
    breaker,
    now: Date.now,
    ...timeouts,
  });
  try {
    const bodies: Array<[string, string]> = [
      ['small chat (~1 KB)', smallChat(false).anthropic],
      ['long conversation (~200 KB)', longConversation().anthropic],
    ];
    console.log(`upstream pool overhead, ${ROUNDS * 4} sequential calls each way (ms)`);
    for (const [label, body] of bodies) {
      // Interleaved in blocks, so drift in the machine's load falls on both alike.
      const a: number[] = [];
      const b: number[] = [];
      for (let block = 0; block < 4; block++) {
        b.push(...(await timeCalls(pool, body)));
        a.push(...(await timeCalls(single, body)));
      }
      console.log(line(label, a, b));
    }
    console.log(await decodeThroughput());
  } finally {
    await Promise.all([single.close(), pool.close(), ...fakes.map((f) => f.close())]);
  }
}

void main();
