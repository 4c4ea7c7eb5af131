// How the benchmark sends a turn "through the gateway", and the two baselines it is compared with.
//
// SWITCH POINT: `openGateway` (and its `sendThroughGateway`) is the one place that decides what "with the gateway" means.
// - 'pipeline': translate exactly as the gateway does (normalize + toAnthropicRequest), run
//   reduceRequest, and send the result to the fake Anthropic over HTTP.
// - 'gateway' (default): send the OpenAI body to a listening gateway (buildGateway, same simulated clock, the
//   benchmark's reduction settings) and read what it sent upstream from the fake's record: the real path.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageCreateParams, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { FastifyInstance } from 'fastify';
import { makeConfig } from '../../src/config/config.ts';
import { buildGateway } from '../../src/http/app.ts';
import { capabilitiesFor } from '../../src/models/catalog.ts';
import { blocksOf, systemBlocks } from '../../src/reduce/content.ts';
import { CachePacing } from '../../src/reduce/pacing.ts';
import { anthropicAnchor, conversationIds } from '../../src/translate/conversation-id.ts';
import { reduceRequest, type ReductionReport, type ReductionSettings } from '../../src/reduce/pipeline.ts';
import type { RepoMapStore } from '../../src/reduce/repo-map/store.ts';
import { MemorySummaryCache } from '../../src/reduce/summary.ts';
import { normalizeChatRequest } from '../../src/translate/normalize.ts';
import { toAnthropicRequest } from '../../src/translate/request.ts';
import type { FakeAnthropic } from '../../test/fake-anthropic/server.ts';
import type { UpstreamUsage } from './billing.ts';

export const BENCH_MODEL = 'claude-sonnet-5-5';
const GATEWAY_KEY = 'bench-gateway-key-0123456789';

export interface ChatBody {
  model: string;
  messages: unknown[];
  tools?: unknown[];
}

export interface Sent {
  usage: UpstreamUsage;
  /** What the upstream received. */
  upstream: MessageCreateParams;
  /** The same request as translated, before any reduction. */
  original: MessageCreateParams;
  report?: ReductionReport;
  /** Time spent in reduceRequest. */
  reduceMs?: number;
}

export function translate(body: ChatBody): MessageCreateParams {
  const caps = capabilitiesFor(BENCH_MODEL);
  const params = toAnthropicRequest(normalizeChatRequest(body), { model: BENCH_MODEL, capabilities: caps }).params;
  return { ...params, stream: false } as MessageCreateParams;
}

async function postMessages(fake: FakeAnthropic, scope: string, params: MessageCreateParams): Promise<UpstreamUsage> {
  const res = await fetch(`${fake.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': scope, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(params),
  });
  const json = (await res.json()) as { usage?: UpstreamUsage; error?: { message: string } };
  if (!res.ok || !json.usage) throw new Error(`upstream ${res.status}: ${json.error?.message ?? 'no usage'}`);
  return json.usage;
}

/** Straight through: the translated request, no caching, no reduction. */
export async function sendStraight(fake: FakeAnthropic, body: ChatBody): Promise<Sent> {
  const params = translate(body);
  return { usage: await postMessages(fake, 'straight', params), upstream: params, original: params };
}

/** Caching only, as other gateways do it: a breakpoint on the last system block and on the last message. */
export async function sendCachingOnly(fake: FakeAnthropic, body: ChatBody): Promise<Sent> {
  const original = translate(body);
  const system = systemBlocks(original);
  const marked: TextBlockParam[] = system.map((b, i) => (i === system.length - 1 ? { ...b, cache_control: { type: 'ephemeral' } } : b));
  const messages = [...original.messages];
  const last = messages[messages.length - 1]!;
  const blocks = blocksOf(last.content);
  blocks[blocks.length - 1] = { ...blocks[blocks.length - 1]!, cache_control: { type: 'ephemeral' } } as (typeof blocks)[number];
  messages[messages.length - 1] = { ...last, content: blocks } as typeof last;
  const params = { ...original, ...(system.length > 0 ? { system: marked } : {}), messages };
  return { usage: await postMessages(fake, 'caching-only', params), upstream: params, original };
}

export interface GatewayOptions {
  via: 'pipeline' | 'gateway';
  settings: ReductionSettings;
  fake: FakeAnthropic;
  now: () => number;
  repoMap?: RepoMapStore;
}

export interface BenchGateway {
  sendThroughGateway(body: ChatBody): Promise<Sent>;
  close(): Promise<void>;
}

class PipelineGateway implements BenchGateway {
  private readonly pacing = new CachePacing();
  private readonly summaries = new MemorySummaryCache();
  constructor(private readonly options: GatewayOptions) {}

  async sendThroughGateway(body: ChatBody): Promise<Sent> {
    const { settings, fake, now, repoMap } = this.options;
    const original = translate(body);
    const started = performance.now();
    const cacheTtl = settings.promptCacheTtl === 'auto' ? this.pacing.observe(conversationIds(anthropicAnchor(original)).named ?? '', now()) : settings.promptCacheTtl;
    const { params, report } = reduceRequest(original, {
      settings,
      minCacheableTokens: capabilitiesFor(BENCH_MODEL).minCacheableTokens,
      cacheTtl,
      repoMap,
      summaries: this.summaries,
    });
    const reduceMs = performance.now() - started;
    return { usage: await postMessages(fake, 'gateway', params), upstream: params, original, report, reduceMs };
  }

  async close(): Promise<void> {}
}

class ListeningGateway implements BenchGateway {
  private constructor(
    private readonly app: FastifyInstance,
    private readonly baseURL: string,
    private readonly fake: FakeAnthropic,
    private readonly dataDir: string,
  ) {}

  static async start(options: GatewayOptions): Promise<ListeningGateway> {
    const dataDir = mkdtempSync(join(tmpdir(), 'cg-bench-tokens-'));
    const config = makeConfig({
      gatewayApiKey: GATEWAY_KEY,
      anthropicApiKey: 'gateway',
      anthropicBaseUrl: options.fake.url,
      port: 0,
      dataDir,
      reduction: options.settings,
      // Every turn is new: the response cache would only hide what the prompt cache does.
      cacheTtlSeconds: 0,
    });
    const app = buildGateway(config, { logger: false, now: options.now });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const port = address && typeof address === 'object' ? address.port : 0;
    return new ListeningGateway(app, `http://127.0.0.1:${port}/v1`, options.fake, dataDir);
  }

  async sendThroughGateway(body: ChatBody): Promise<Sent> {
    const original = translate(body);
    const res = await fetch(`${this.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${GATEWAY_KEY}` },
      body: JSON.stringify({ ...body, model: BENCH_MODEL }),
    });
    if (!res.ok) throw new Error(`gateway ${res.status}: ${await res.text()}`);
    const upstream = this.fake.requests[this.fake.requests.length - 1]!.body as MessageCreateParams;
    const usage = (await res.json()) as { usage: { prompt_tokens: number; cache_creation_input_tokens?: number; cache_read_input_tokens?: number } };
    const write = usage.usage.cache_creation_input_tokens ?? 0;
    const read = usage.usage.cache_read_input_tokens ?? 0;
    // The OpenAI usage does not split writes by lifetime: take it from the breakpoints that were sent.
    const oneHour = JSON.stringify(upstream).includes('"ttl":"1h"');
    return {
      usage: {
        input_tokens: usage.usage.prompt_tokens - write - read,
        cache_creation_input_tokens: write,
        cache_read_input_tokens: read,
        cache_creation: { ephemeral_5m_input_tokens: oneHour ? 0 : write, ephemeral_1h_input_tokens: oneHour ? write : 0 },
      },
      upstream,
      original,
    };
  }

  async close(): Promise<void> {
    await this.app.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export async function openGateway(options: GatewayOptions): Promise<BenchGateway> {
  return options.via === 'gateway' ? ListeningGateway.start(options) : new PipelineGateway(options);
}
