// Rebuilds the content of one streamed Anthropic message from its events, as blocks that can be sent back
// upstream (thinking with its signature, tool calls with their parsed input). Pure state machine.
import type { ContentBlockParam, Message } from '@anthropic-ai/sdk/resources/messages';
import type { UpstreamStreamEvent } from '../translate/stream.ts';

type Open =
  | { type: 'text'; parts: string[] }
  | { type: 'thinking'; parts: string[]; signature: string }
  | { type: 'tool_use'; id: string; name: string; json: string[]; input: unknown }
  | { type: 'other'; block: ContentBlockParam };

export class MessageAssembler {
  private readonly open: Array<Open | undefined> = [];
  readonly blocks: ContentBlockParam[] = [];

  push(event: UpstreamStreamEvent): void {
    const e = event as { type: string; index?: number; content_block?: any; delta?: any };
    if (e.type === 'content_block_start' && typeof e.index === 'number') {
      const b = e.content_block;
      if (b?.type === 'text') this.open[e.index] = { type: 'text', parts: b.text ? [b.text] : [] };
      else if (b?.type === 'thinking') this.open[e.index] = { type: 'thinking', parts: b.thinking ? [b.thinking] : [], signature: b.signature ?? '' };
      else if (b?.type === 'tool_use') this.open[e.index] = { type: 'tool_use', id: b.id, name: b.name, json: [], input: b.input };
      else if (b) this.open[e.index] = { type: 'other', block: b as ContentBlockParam };
    } else if (e.type === 'content_block_delta' && typeof e.index === 'number') {
      const state = this.open[e.index];
      const d = e.delta;
      if (!state || !d) return;
      if (state.type === 'text' && d.type === 'text_delta') state.parts.push(d.text ?? '');
      else if (state.type === 'thinking' && d.type === 'thinking_delta') state.parts.push(d.thinking ?? '');
      else if (state.type === 'thinking' && d.type === 'signature_delta') state.signature += d.signature ?? '';
      else if (state.type === 'tool_use' && d.type === 'input_json_delta') state.json.push(d.partial_json ?? '');
    } else if (e.type === 'content_block_stop' && typeof e.index === 'number') {
      const state = this.open[e.index];
      this.open[e.index] = undefined;
      if (state) this.blocks.push(closeBlock(state));
    }
  }
}

function closeBlock(state: Open): ContentBlockParam {
  switch (state.type) {
    case 'text':
      return { type: 'text', text: state.parts.join('') };
    case 'thinking':
      return { type: 'thinking', thinking: state.parts.join(''), signature: state.signature };
    case 'tool_use': {
      const json = state.json.join('');
      let input: unknown = state.input ?? {};
      if (json !== '') {
        try {
          input = JSON.parse(json);
        } catch {
          input = {};
        }
      }
      return { type: 'tool_use', id: state.id, name: state.name, input: input as Record<string, unknown> };
    }
    case 'other':
      return state.block;
  }
}

/** A non-streamed message's content as blocks that can be sent back upstream. */
export function paramBlocks(content: Message['content']): ContentBlockParam[] {
  return content.map((block): ContentBlockParam => {
    switch (block.type) {
      case 'text':
        return { type: 'text', text: block.text };
      case 'thinking':
        return { type: 'thinking', thinking: block.thinking, signature: block.signature };
      case 'redacted_thinking':
        return { type: 'redacted_thinking', data: block.data };
      case 'tool_use':
        return { type: 'tool_use', id: block.id, name: block.name, input: block.input as Record<string, unknown> };
      default:
        return block as unknown as ContentBlockParam;
    }
  });
}
