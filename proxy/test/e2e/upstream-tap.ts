// Records what the fake Anthropic answered on every upstream call the gateway made (status and raw body), so
// an end-to-end test can compare what the client saw with what the upstream really reported.
import { Readable } from 'node:stream';
import type { Message, Usage } from '@anthropic-ai/sdk/resources/messages';
import type { AnthropicUpstream, UpstreamRequest, UpstreamResponse } from '../../src/upstream/anthropic-http.ts';
import type { Harness } from '../helpers/harness.ts';

export interface UpstreamExchange {
  path: string;
  /** The JSON body the gateway sent. */
  sent: any;
  status: number;
  /** Raw response bytes as text; complete once the gateway has read the whole body. */
  received(): string;
}

export interface UpstreamTap {
  exchanges: UpstreamExchange[];
  /** Exchanges made after `mark` (a value of `exchanges.length`). */
  since(mark: number): UpstreamExchange[];
}

type UsageNumbers = Pick<Usage, 'input_tokens' | 'output_tokens' | 'cache_creation_input_tokens' | 'cache_read_input_tokens'>;

/**
 * Wraps the gateway's upstream client in place (routes read `gatewayContext.upstream` on every call); the gateway
 * still closes it on shutdown. Tests assert on the exchanges, so a tap that sees nothing fails loudly.
 */
export function tapUpstream(h: Harness): UpstreamTap {
  const ctx = h.app.gatewayContext;
  const inner: AnthropicUpstream = ctx.upstream;
  const exchanges: UpstreamExchange[] = [];
  ctx.upstream = {
    baseUrl: inner.baseUrl,
    close: () => inner.close(),
    async send(request: UpstreamRequest): Promise<UpstreamResponse> {
      const response = await inner.send(request);
      const chunks: Buffer[] = [];
      exchanges.push({
        path: request.path,
        sent: request.body === undefined ? undefined : JSON.parse(request.body.toString()),
        status: response.statusCode,
        received: () => Buffer.concat(chunks).toString('utf8'),
      });
      async function* relay() {
        for await (const chunk of response.body) {
          chunks.push(Buffer.from(chunk as Uint8Array));
          yield chunk as Buffer;
        }
      }
      const copy = Readable.from(relay(), { objectMode: false });
      Object.assign(copy, {
        text: async () => {
          const parts: Buffer[] = [];
          for await (const chunk of copy) parts.push(Buffer.from(chunk as Uint8Array));
          return Buffer.concat(parts).toString('utf8');
        },
      });
      return { ...response, body: copy as unknown as UpstreamResponse['body'] };
    },
  };
  return { exchanges, since: (mark) => exchanges.slice(mark) };
}

/** The data payloads of an SSE text, parsed. */
export function sseEvents(text: string): any[] {
  return text
    .split(/\r?\n\r?\n/)
    .map((frame) => frame.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n'))
    .filter((data) => data !== '')
    .map((data) => JSON.parse(data));
}

/** The final usage the upstream reported: a message's usage, or message_start merged with the last message_delta. */
export function upstreamUsage(exchange: UpstreamExchange): UsageNumbers {
  const text = exchange.received();
  if (exchange.sent?.stream !== true) return (JSON.parse(text) as Message).usage;
  let usage: Partial<UsageNumbers> = {};
  for (const event of sseEvents(text)) {
    if (event.type === 'message_start') usage = { ...usage, ...event.message.usage };
    if (event.type === 'message_delta') usage = { ...usage, ...event.usage };
  }
  return usage as UsageNumbers;
}

/** The content blocks the upstream answered with, rebuilt from the stream when it streamed. */
export function upstreamContent(exchange: UpstreamExchange): any[] {
  const text = exchange.received();
  if (exchange.sent?.stream !== true) return (JSON.parse(text) as Message).content;
  const blocks: any[] = [];
  const json: string[] = [];
  for (const event of sseEvents(text)) {
    if (event.type === 'content_block_start') {
      blocks[event.index] = { ...event.content_block };
      json[event.index] = '';
    } else if (event.type === 'content_block_delta') {
      const block = blocks[event.index];
      const d = event.delta;
      if (d.type === 'text_delta') block.text += d.text;
      if (d.type === 'thinking_delta') block.thinking += d.thinking;
      if (d.type === 'signature_delta') block.signature += d.signature;
      if (d.type === 'input_json_delta') json[event.index] += d.partial_json;
    } else if (event.type === 'content_block_stop' && blocks[event.index]?.type === 'tool_use') {
      blocks[event.index].input = json[event.index] ? JSON.parse(json[event.index]!) : {};
    }
  }
  return blocks;
}

/** What OpenAI usage must say for an upstream usage: prompt = input + cache read + cache write. */
export function expectedOpenAIUsage(u: UsageNumbers) {
  const read = u.cache_read_input_tokens ?? 0;
  const write = u.cache_creation_input_tokens ?? 0;
  const prompt = u.input_tokens + read + write;
  return {
    prompt_tokens: prompt,
    completion_tokens: u.output_tokens,
    total_tokens: prompt + u.output_tokens,
    prompt_tokens_details: { cached_tokens: read },
    cache_creation_input_tokens: write,
    cache_read_input_tokens: read,
  };
}
