// Anthropic's SSE body as parsed events. Each event's JSON carries its own `type`, so the SSE event name is
// only a fallback.
import { GatewayError } from '../errors.ts';
import type { AnthropicStreamEvent } from '../translate/message-fold.ts';
import { SseDecoder, type SseEvent } from './sse-decoder.ts';

function parseEvent(event: SseEvent): AnthropicStreamEvent | undefined {
  if (event.data === '') return undefined;
  try {
    const parsed = JSON.parse(event.data) as AnthropicStreamEvent;
    if (typeof parsed?.type !== 'string') (parsed as { type: string }).type = event.event;
    return parsed;
  } catch {
    throw new GatewayError({ status: 502, type: 'server_error', code: 'upstream_malformed', message: `The Anthropic API sent a malformed '${event.event}' event.` });
  }
}

export async function* anthropicEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<AnthropicStreamEvent> {
  const decoder = new SseDecoder();
  for await (const chunk of body) {
    for (const event of decoder.push(chunk)) {
      const parsed = parseEvent(event);
      if (parsed) yield parsed;
    }
  }
  for (const event of decoder.end()) {
    const parsed = parseEvent(event);
    if (parsed) yield parsed;
  }
}
