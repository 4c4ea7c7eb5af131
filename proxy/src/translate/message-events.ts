// A complete Anthropic Message and its stream of events, both ways: a cached answer replays as a proper stream,
// and a streamed answer is kept as one Message. Pure; text and JSON arrive in single deltas on replay.
import type { ContentBlock, Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { emptySnapshot, foldEvent, snapshotMessage, type AnthropicStreamEvent } from './message-fold.ts';

export function messageToEvents(message: Message): RawMessageStreamEvent[] {
  const events: RawMessageStreamEvent[] = [
    { type: 'message_start', message: { ...message, content: [], stop_reason: null, stop_sequence: null } } as RawMessageStreamEvent,
  ];
  message.content.forEach((block, index) => {
    events.push({ type: 'content_block_start', index, content_block: emptyBlock(block) } as RawMessageStreamEvent);
    for (const delta of blockDeltas(block)) events.push({ type: 'content_block_delta', index, delta } as RawMessageStreamEvent);
    events.push({ type: 'content_block_stop', index });
  });
  events.push({
    type: 'message_delta',
    delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence ?? null },
    usage: message.usage,
  } as unknown as RawMessageStreamEvent);
  events.push({ type: 'message_stop' });
  return events;
}

function emptyBlock(block: ContentBlock): unknown {
  switch (block.type) {
    case 'text':
      return { ...block, text: '' };
    case 'tool_use':
      return { ...block, input: {} };
    case 'thinking':
      return { ...block, thinking: '', signature: '' };
    default:
      return block;
  }
}

function blockDeltas(block: ContentBlock): unknown[] {
  switch (block.type) {
    case 'text':
      return block.text ? [{ type: 'text_delta', text: block.text }] : [];
    case 'tool_use':
      return [{ type: 'input_json_delta', partial_json: JSON.stringify(block.input ?? {}) }];
    case 'thinking':
      return [
        ...(block.thinking ? [{ type: 'thinking_delta', thinking: block.thinking }] : []),
        { type: 'signature_delta', signature: block.signature },
      ];
    default:
      return [];
  }
}

/**
 * Rebuilds the Message a stream describes (the response cache keeps it); `message()` is undefined until
 * message_stop arrived, and for a stream whose tool JSON did not parse (such an answer is not kept).
 */
export class MessageAccumulator {
  private readonly snapshot = emptySnapshot();

  push(event: AnthropicStreamEvent): void {
    foldEvent(this.snapshot, event);
  }

  message(): Message | undefined {
    return snapshotMessage(this.snapshot);
  }
}
