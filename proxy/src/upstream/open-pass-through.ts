// The pass-through's stream opening: the raw bytes up to the first content event are read (and kept) before the
// client gets its 200, so an error event that opens a 200 stream is still a retryable failure. The bytes then go
// to the client unchanged, followed by the rest of the stream.
import { Readable } from 'node:stream';
import { GatewayError } from '../errors.ts';
import { fromAnthropicErrorEvent } from '../translate/upstream-error.ts';
import { SseDecoder } from './sse-decoder.ts';
import { fromTransportError } from './transport-error.ts';

const PREAMBLE = new Set(['message_start', 'ping']);

export interface OpenedPassThrough {
  /** The whole stream as the upstream sent it: the bytes already read, then the rest. */
  body: Readable;
}

export async function openPassThrough(body: AsyncIterable<Uint8Array>, maxWaitMs: number): Promise<OpenedPassThrough> {
  const iterator = body[Symbol.asyncIterator]();
  const decoder = new SseDecoder();
  const read: Uint8Array[] = [];
  const deadline = Date.now() + maxWaitMs;
  let pending: Promise<IteratorResult<Uint8Array>> | undefined;
  for (;;) {
    const next = iterator.next();
    const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now()), 'timeout').unref());
    let result: IteratorResult<Uint8Array> | 'timeout';
    try {
      result = await Promise.race([next, timer]);
    } catch (error) {
      throw error instanceof GatewayError ? error : fromTransportError(error);
    }
    if (result === 'timeout') {
      pending = next;
      break;
    }
    if (result.done) break;
    read.push(result.value);
    const decided = decoder.push(result.value).some((event) => {
      if (event.event === 'error') throw fromAnthropicErrorEvent(errorOf(event.data));
      return !PREAMBLE.has(event.event);
    });
    if (decided) break;
  }
  async function* replay(): AsyncGenerator<Uint8Array> {
    yield* read;
    if (pending) {
      const first = await pending;
      if (first.done) return;
      yield first.value;
    }
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { body: Readable.from(replay(), { objectMode: false }) };
}

function errorOf(data: string): { type: string; message: string } {
  try {
    const parsed = JSON.parse(data) as { error?: { type?: string; message?: string } };
    return { type: parsed.error?.type ?? 'api_error', message: parsed.error?.message ?? 'The stream failed.' };
  } catch {
    return { type: 'api_error', message: 'The stream failed.' };
  }
}
