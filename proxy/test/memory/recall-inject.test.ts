import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import { injectMemoryBlock } from '../../src/memory/inject.ts';
import type { Memory } from '../../src/memory/memory-types.ts';
import { renderMemoryBlock, withinBudget } from '../../src/memory/recall.ts';

function memory(id: string, text: string, kind: Memory['kind'] = 'requirement'): Memory {
  return { id, projectId: 'p', kind, source: 'user', text, seenCount: 1, recalledCount: 0, createdAt: '', updatedAt: '' };
}

describe('recall', () => {
  test('renders a fixed block, best match first', () => {
    assert.equal(
      renderMemoryBlock([memory('a', 'Use pnpm.', 'decision'), memory('b', 'Tests  must\npass.')]),
      '<gateway_memory>\nContext remembered from earlier conversations in this project (it may be out of date; ' +
        "the user's instructions in this conversation take precedence):\n- (decision) Use pnpm.\n- (requirement) Tests must pass.\n</gateway_memory>",
    );
    assert.equal(renderMemoryBlock([]), '');
  });

  test('keeps to the token budget and the count limit, skipping what does not fit', () => {
    const long = memory('long', 'x'.repeat(400));
    const hits = [{ memory: memory('a', 'first one') }, { memory: long }, { memory: memory('b', 'second one') }, { memory: memory('c', 'third one') }];
    assert.deepEqual(withinBudget(hits, { budgetTokens: 80, maxCount: 2 }).map((h) => h.memory.id), ['a', 'b']);
    assert.deepEqual(withinBudget(hits, { budgetTokens: 10, maxCount: 5 }), []);
  });
});

describe('injectMemoryBlock', () => {
  const params = {
    model: 'm',
    max_tokens: 10,
    system: [{ type: 'text', text: 'sys' }],
    messages: [
      { role: 'user', content: 'hello' },
      { role: 'assistant', content: [{ type: 'text', text: 'hi' }] },
    ],
  } as MessageCreateParams;

  test('puts the block first in the first user message and leaves the rest alone', () => {
    const out = injectMemoryBlock(params, 'MEM');
    assert.deepEqual(out.messages[0], { role: 'user', content: [{ type: 'text', text: 'MEM' }, { type: 'text', text: 'hello' }] });
    assert.equal(out.messages[1], params.messages[1]);
    assert.equal(out.system, params.system);
    assert.equal(params.messages[0]!.content, 'hello', 'input not mutated');
    assert.equal(injectMemoryBlock(params, ''), params);
  });

  test('a conversation that starts with the assistant gets a user turn before it', () => {
    const out = injectMemoryBlock({ ...params, messages: [params.messages[1]!] }, 'MEM');
    assert.deepEqual(out.messages.map((m) => m.role), ['user', 'assistant']);
  });
});

