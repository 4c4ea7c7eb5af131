import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { KeptExchange } from '../../src/tools/exchange-store.ts';
import { reinsertExchanges } from '../../src/tools/reinsert.ts';

const isPlugin = (name: string) => name.startsWith('plug_');
const kept: KeptExchange = {
  before: [
    { role: 'assistant', content: [{ type: 'tool_use', id: 'p1', name: 'plug_a', input: {} }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'p1', content: 'A' }] },
  ],
  assistant: [
    { type: 'text', text: 'both' },
    { type: 'tool_use', id: 'p2', name: 'plug_b', input: {} },
    { type: 'tool_use', id: 'c1', name: 'edit', input: { x: 1 } },
  ],
  results: [{ type: 'tool_result', tool_use_id: 'p2', content: 'B' }],
};

const history = (ids: string[]): MessageParam[] => [
  { role: 'user', content: 'go' },
  { role: 'assistant', content: [{ type: 'text', text: 'both' }, ...ids.map((id) => ({ type: 'tool_use' as const, id, name: 'edit', input: { x: 1 } }))] },
  { role: 'user', content: ids.map((id) => ({ type: 'tool_result' as const, tool_use_id: id, content: 'done' })) },
];

test('kept rounds go before the turn, kept calls into it, their results first in the next user turn', () => {
  const out = reinsertExchanges(history(['c1']), (id) => (id === 'c1' ? kept : undefined), isPlugin);
  assert.deepEqual(out, [
    { role: 'user', content: 'go' },
    ...kept.before,
    { role: 'assistant', content: kept.assistant },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'p2', content: 'B' },
        { type: 'tool_result', tool_use_id: 'c1', content: 'done' },
      ],
    },
  ]);
  // Deterministic: the same input gives the same output.
  assert.deepEqual(reinsertExchanges(history(['c1']), (id) => (id === 'c1' ? kept : undefined), isPlugin), out);
});

test('a turn whose calls differ from what was kept is left as the client sent it', () => {
  const changed = history(['c1', 'c9']);
  assert.deepEqual(reinsertExchanges(changed, () => kept, isPlugin), changed);
  const unknown = history(['zz']);
  assert.deepEqual(reinsertExchanges(unknown, () => undefined, isPlugin), unknown);
});
