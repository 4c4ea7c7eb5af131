// Opens an upstream event stream: its first events are read before the client gets a status, so an error that
// arrives before any content (Anthropic can answer 200 and then fail at once) is still a real, retryable failure.
import { GatewayError } from '../errors.ts';
import { fromAnthropicErrorEvent } from '../translate/upstream-error.ts';
import type { AnthropicStreamEvent } from '../translate/message-fold.ts';
import { anthropicEvents } from './event-stream.ts';
import { fromTransportError } from './transport-error.ts';
import type { UpstreamResponse } from './upstream.ts';

export type UpstreamEvents = AsyncGenerator<AnthropicStreamEvent>;

export interface StreamOpening {
  events: AnthropicStreamEvent[];
  /** A read still under way when the wait ran out; the reader awaits it before reading on. */
  pendingNext?: Promise<IteratorResult<AnthropicStreamEvent>>;
}

export interface OpenedStream {
  events: UpstreamEvents;
  opening: StreamOpening;
}

const PREAMBLE = new Set(['message_start', 'ping']);

/** Starts reading an upstream stream: its opening events, or the error that came instead of content. */
export async function openStream(upstream: UpstreamResponse, maxWaitMs: number): Promise<OpenedStream> {
  const events = anthropicEvents(upstream.body);
  return { events, opening: await readOpening(events, maxWaitMs) };
}

/**
 * The wait stops at the first content event, or after `maxWaitMs`, so a silent model still gets keep-alives.
 */
async function readOpening(events: UpstreamEvents, maxWaitMs: number): Promise<StreamOpening> {
  const opening: AnthropicStreamEvent[] = [];
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const next = events.next().catch((error: unknown) => {
      throw error instanceof GatewayError ? error : fromTransportError(error);
    });
    const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now()), 'timeout').unref());
    const result = await Promise.race([next, timer]);
    if (result === 'timeout') return { events: opening, pendingNext: next };
    if (result.done) {
      if (opening.length === 0) {
        throw new GatewayError({ status: 502, type: 'server_error', code: 'upstream_empty', message: 'The Anthropic API closed the stream without sending anything.' });
      }
      return { events: opening };
    }
    const event = result.value;
    if (event.type === 'error') throw fromAnthropicErrorEvent(event.error);
    opening.push(event);
    if (!PREAMBLE.has(event.type)) return { events: opening };
  }
}
