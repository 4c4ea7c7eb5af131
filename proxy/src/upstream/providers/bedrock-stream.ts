// Bedrock's InvokeModelWithResponseStream body → Anthropic's SSE bytes. Chunk events carry Anthropic's own
// stream events as base64 JSON; exception frames (a throttle, a model error mid-stream) become SSE `error`
// events in Anthropic's shape, so the gateway's stream handling is the same for every provider.
import { bedrockErrorType } from './cloud-errors.ts';
import { EventStreamDecoder, type EventStreamMessage } from './aws-event-stream.ts';

const encoder = new TextEncoder();

type Json = Record<string, unknown>;

function sse(data: Json): Uint8Array {
  return encoder.encode(`event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`);
}

function payloadJson(message: EventStreamMessage): Json | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(message.payload).toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** One event-stream message as SSE, or undefined for frames with nothing for the client (keep-alives). */
export function messageToSse(message: EventStreamMessage): Uint8Array | undefined {
  const kind = message.headers[':message-type'];
  if (kind === 'event') {
    if (message.headers[':event-type'] !== 'chunk') return undefined;
    const bytes = payloadJson(message)?.bytes;
    if (typeof bytes !== 'string') return undefined;
    const text = Buffer.from(bytes, 'base64').toString('utf8');
    let event: Json | null;
    try {
      event = JSON.parse(text) as Json | null;
    } catch {
      return sse({ type: 'error', error: { type: 'api_error', message: 'Amazon Bedrock sent a chunk that is not JSON.' } });
    }
    if (!event || typeof event.type !== 'string') return undefined;
    // Single-line JSON goes out as it came; anything else is re-serialised, as an SSE data line must be one line.
    return /[\r\n]/.test(text) ? sse(event) : encoder.encode(`event: ${event.type}\ndata: ${text}\n\n`);
  }
  const name = String(message.headers[':exception-type'] ?? message.headers[':error-code'] ?? 'internalServerException');
  const text = payloadJson(message)?.message ?? message.headers[':error-message'] ?? name;
  return sse({ type: 'error', error: { type: bedrockErrorType(name, 500), message: `Amazon Bedrock: ${String(text)}` } });
}

export async function* bedrockStreamToSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const decoder = new EventStreamDecoder();
  for await (const chunk of body) {
    for (const message of decoder.push(chunk)) {
      const out = messageToSse(message);
      if (out) yield out;
    }
  }
  decoder.end();
}
