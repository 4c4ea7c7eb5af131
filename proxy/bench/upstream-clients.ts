// The two ways the gateway could call Anthropic, side by side against the fake: Anthropic's SDK client (on
// fetch) and the undici Pool the gateway uses (its own upstream module and SSE decoder). Both parse what they
// receive, as the gateway must.
import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParams, MessageCreateParamsNonStreaming, MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages';
import { performance } from 'node:perf_hooks';
import { createAnthropicUpstream } from '../src/upstream/anthropic-http.ts';
import { anthropicEvents } from '../src/upstream/event-stream.ts';
import type { StreamTiming } from './load.ts';

export interface UpstreamClient {
  label: string;
  /** Milliseconds to a parsed Message. */
  message(params: MessageCreateParams): Promise<number>;
  /** Times to the first text delta and to the end of a parsed event stream. */
  stream(params: MessageCreateParams): Promise<StreamTiming>;
  close(): Promise<void>;
}

export function undiciClient(baseUrl: string, apiKey: string): UpstreamClient {
  const upstream = createAnthropicUpstream({ baseUrl, apiKey, headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000 });
  return {
    label: 'undici Pool (gateway)',
    async message(params) {
      const started = performance.now();
      const response = await upstream.send({ path: '/v1/messages', body: JSON.stringify({ ...params, stream: false }) });
      const message = JSON.parse(await response.body.text()) as { type?: string };
      if (response.statusCode !== 200 || message.type !== 'message') throw new Error(`undici: HTTP ${response.statusCode}`);
      return performance.now() - started;
    },
    async stream(params) {
      const started = performance.now();
      const response = await upstream.send({
        path: '/v1/messages',
        body: JSON.stringify({ ...params, stream: true }),
        headers: { accept: 'text/event-stream' },
      });
      if (response.statusCode !== 200) throw new Error(`undici: HTTP ${response.statusCode}`);
      let firstToken = Number.NaN;
      for await (const event of anthropicEvents(response.body)) {
        if (Number.isNaN(firstToken) && event.type === 'content_block_delta') firstToken = performance.now() - started;
      }
      return { firstToken, total: performance.now() - started };
    },
    close: () => upstream.close(),
  };
}

export function sdkClient(baseUrl: string, apiKey: string): UpstreamClient {
  const client = new Anthropic({ apiKey, baseURL: baseUrl, maxRetries: 0 });
  return {
    label: 'Anthropic SDK (fetch)',
    async message(params) {
      const started = performance.now();
      const message = await client.messages.create({ ...params, stream: false } as MessageCreateParamsNonStreaming);
      if (message.type !== 'message') throw new Error('sdk: not a message');
      return performance.now() - started;
    },
    async stream(params) {
      const started = performance.now();
      const stream = await client.messages.create({ ...params, stream: true } as MessageCreateParamsStreaming);
      let firstToken = Number.NaN;
      for await (const event of stream) {
        if (Number.isNaN(firstToken) && event.type === 'content_block_delta') firstToken = performance.now() - started;
      }
      return { firstToken, total: performance.now() - started };
    },
    close: async () => {},
  };
}
