// A complete Anthropic Message and its stream of events, both ways: a cached answer replays as a proper stream,
// and a streamed answer is kept as one Message. Pure; text and JSON arrive in single deltas on replay.
import type { ContentBlock, Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';

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

/** Rebuilds the Message a stream describes; `message()` is undefined until message_stop arrived. */
export class MessageAccumulator {
  private base: Message | undefined;
  private readonly blocks: Array<Record<string, any>> = [];
  private readonly json = new Map<number, string>();
  private stopped = false;

  push(event: { type: string; [key: string]: any }): void {
    switch (event.type) {
      case 'message_start':
        this.base = { ...event.message, content: [] };
        return;
      case 'content_block_start':
        this.blocks[event.index] = { ...event.content_block };
        return;
      case 'content_block_delta': {
        const block = this.blocks[event.index];
        const delta = event.delta;
        if (!block) return;
        if (delta.type === 'text_delta') block.text = (block.text ?? '') + delta.text;
        else if (delta.type === 'thinking_delta') block.thinking = (block.thinking ?? '') + delta.thinking;
        else if (delta.type === 'signature_delta') block.signature = delta.signature;
        else if (delta.type === 'input_json_delta') this.json.set(event.index, (this.json.get(event.index) ?? '') + delta.partial_json);
        return;
      }
      case 'content_block_stop': {
        const text = this.json.get(event.index);
        const block = this.blocks[event.index];
        if (block && text !== undefined) block.input = text === '' ? {} : JSON.parse(text);
        return;
      }
      case 'message_delta':
        if (!this.base) return;
        this.base.stop_reason = event.delta?.stop_reason ?? this.base.stop_reason;
        this.base.stop_sequence = event.delta?.stop_sequence ?? this.base.stop_sequence;
        this.base.usage = { ...this.base.usage, ...withoutNulls(event.usage ?? {}) };
        return;
      case 'message_stop':
        this.stopped = true;
        return;
    }
  }

  message(): Message | undefined {
    if (!this.base || !this.stopped) return undefined;
    return { ...this.base, content: this.blocks.filter(Boolean) as unknown as Message['content'] };
  }
}

function withoutNulls(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
}
