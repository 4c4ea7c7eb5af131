// Shared by the stream tests: loads .sse transcripts with their expected output and replays them
// through SseDecoder → StreamTransducer, the same path the HTTP layer takes.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AnthropicStreamEvent } from '../../src/translate/message-fold.ts';
import { StreamTransducer, type StreamOutput } from '../../src/translate/stream.ts';
import type { ThinkingCarry } from '../../src/translate/thinking.ts';
import type { OpenAIUsage } from '../../src/translate/usage.ts';
import { SseDecoder, type SseEvent } from '../../src/upstream/sse-decoder.ts';

export const STREAM_FIXTURES = fileURLToPath(new URL('../fixtures/stream/', import.meta.url));

export const TEST_CONTEXT = {
  id: 'chatcmpl-cg7Hq2LrX9vNwT4yZa1B',
  created: 1767225600,
  model: 'claude-sonnet-5-5',
  systemFingerprint: 'fp_cg_0_1_0',
} as const;

export interface StreamOptions {
  includeUsage: boolean;
  customToolNames?: string[];
}

export interface ExpectedStream {
  options: StreamOptions;
  outputs: StreamOutput[];
  finishReason: string | null;
  usage: OpenAIUsage | null;
  thinking: ThinkingCarry | null;
}

export interface StreamRun {
  events: SseEvent[];
  outputs: StreamOutput[];
  transducer: StreamTransducer;
}

export function streamFixtureNames(): string[] {
  return readdirSync(STREAM_FIXTURES)
    .filter((name) => name.endsWith('.sse'))
    .map((name) => name.slice(0, -'.sse'.length))
    .sort();
}

export function loadStreamFixture(name: string): { bytes: Uint8Array; expected: ExpectedStream } {
  const bytes = new Uint8Array(readFileSync(`${STREAM_FIXTURES}${name}.sse`));
  const expected = JSON.parse(readFileSync(`${STREAM_FIXTURES}${name}.expected.json`, 'utf8')) as ExpectedStream;
  return { bytes, expected };
}

export function decodePieces(pieces: Iterable<Uint8Array | string>): SseEvent[] {
  const decoder = new SseDecoder();
  const events: SseEvent[] = [];
  for (const piece of pieces) events.push(...decoder.push(piece));
  events.push(...decoder.end());
  return events;
}

export function transduce(events: readonly SseEvent[], options: StreamOptions): Omit<StreamRun, 'events'> {
  const transducer = new StreamTransducer({ ...TEST_CONTEXT, ...options });
  const outputs: StreamOutput[] = [];
  for (const event of events) {
    if (event.data === '') continue;
    outputs.push(...transducer.push(JSON.parse(event.data) as AnthropicStreamEvent));
  }
  outputs.push(...transducer.end());
  return { outputs, transducer };
}

export function runPieces(pieces: Iterable<Uint8Array | string>, options: StreamOptions): StreamRun {
  const events = decodePieces(pieces);
  return { events, ...transduce(events, options) };
}

/** The chunks only, failing loudly if the stream ended in an error frame. */
export function chunksOf(outputs: readonly StreamOutput[]) {
  return outputs.map((output) => {
    if (output.kind !== 'chunk') throw new Error(`unexpected error frame: ${JSON.stringify(output.error)}`);
    return output.chunk;
  });
}
