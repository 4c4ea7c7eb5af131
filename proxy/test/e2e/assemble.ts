// Rebuilds the assistant message a client ends up with from streamed chunks, strictly: a tool call's first
// delta must bring its id, type and name, and later deltas may only add argument text.
import assert from 'node:assert/strict';

export interface AssembledCall {
  id: string;
  type: string;
  function: { name: string; arguments: string };
}

export interface Assembled {
  role: string | undefined;
  content: string;
  reasoning: string;
  toolCalls: AssembledCall[];
  finishReason: string | null;
  usage: any;
  /** Chunks that carried a choice. */
  choiceChunks: number;
}

export function assembleChunks(chunks: readonly any[]): Assembled {
  const out: Assembled = { role: undefined, content: '', reasoning: '', toolCalls: [], finishReason: null, usage: undefined, choiceChunks: 0 };
  chunks.forEach((chunk, n) => {
    if (chunk.usage) {
      assert.equal(out.usage, undefined, 'usage is sent once');
      assert.deepEqual(chunk.choices, [], 'the usage chunk has no choices');
      out.usage = chunk.usage;
    }
    for (const choice of chunk.choices ?? []) {
      out.choiceChunks++;
      const delta = choice.delta ?? {};
      if (n === 0) assert.equal(delta.role, 'assistant', 'the first delta carries the role');
      if (delta.role) out.role = delta.role;
      out.content += delta.content ?? '';
      out.reasoning += delta.reasoning_content ?? '';
      for (const call of delta.tool_calls ?? []) {
        const existing = out.toolCalls[call.index];
        if (!existing) {
          assert.equal(call.index, out.toolCalls.length, 'tool call indexes count up from 0');
          assert.equal(typeof call.id, 'string');
          assert.equal(call.type, 'function');
          assert.equal(typeof call.function?.name, 'string');
          assert.equal(call.function?.arguments, '', 'the first delta of a call has empty arguments');
          out.toolCalls[call.index] = { id: call.id, type: call.type, function: { name: call.function.name, arguments: '' } };
        } else {
          assert.equal(call.id, undefined, 'the id comes once');
          assert.equal(call.function?.name, undefined, 'the name comes once');
          existing.function.arguments += call.function?.arguments ?? '';
        }
      }
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
        assert.equal(out.finishReason, null, 'one finish_reason per stream');
        out.finishReason = choice.finish_reason;
      }
    }
  });
  return out;
}
