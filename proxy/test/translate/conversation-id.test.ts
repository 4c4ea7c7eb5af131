// One id per conversation for routing, memory, pacing and the prefix state: stable while an agent's history
// grows, different for another task, the client's own name preferred when given, the same from either API shape.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anthropicAnchor, chatAnchor, conversationIds } from '../../src/translate/conversation-id.ts';

const system = { role: 'system', content: `You are a coding agent. ${'Rules. '.repeat(5000)}` };
const task = { role: 'user', content: 'Fix the failing test in src/a.ts.' };
const history = [
  system,
  task,
  { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read', arguments: '{}' } }] },
  { role: 'tool', tool_call_id: 'c1', content: 'file text' },
  { role: 'assistant', content: 'Done.' },
  { role: 'user', content: 'Thanks, now run it.' },
];

test("a conversation keeps its id as its history grows, and another task gets another", () => {
  const id = conversationIds(chatAnchor(history.slice(0, 2))).content;
  assert.ok(id);
  for (let n = 3; n <= history.length; n++) assert.equal(conversationIds(chatAnchor(history.slice(0, n))).content, id);
  assert.notEqual(conversationIds(chatAnchor([system, { role: 'user', content: 'Another task.' }])).content, id);
  const longer = { role: 'system', content: `${system.content}!` };
  assert.notEqual(conversationIds(chatAnchor([longer, task])).content, id, 'the exact length of a long system prompt counts');
  const edited = { role: 'system', content: `${system.content.slice(0, -10)}0123456789` };
  assert.notEqual(conversationIds(chatAnchor([edited, task])).content, id, 'so does its tail');
});

test("the client's own name for the conversation is what routing and pacing follow", () => {
  const a = conversationIds(chatAnchor([system, task]), 'thread-1');
  const b = conversationIds(chatAnchor([system, { role: 'user', content: 'A compacted summary.' }]), 'thread-1');
  assert.equal(a.named, b.named);
  assert.notEqual(a.content, b.content, 'the content id still follows the content');
  assert.notEqual(conversationIds(chatAnchor([system, task]), 'thread-2').named, a.named);
  assert.equal(conversationIds(chatAnchor([system, task])).named, a.content);
});

test('the anchor is the first human message: tool results and a missing user turn anchor nothing', () => {
  assert.equal(chatAnchor([system]), undefined);
  assert.deepEqual(conversationIds(undefined), { content: undefined, named: undefined });
  const anthropic = {
    system: 'S',
    messages: [
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'x' }] },
      { role: 'user', content: 'the human question' },
    ],
  };
  assert.deepEqual(anthropicAnchor(anthropic), { system: 'S', firstHuman: 'the human question' });
  assert.equal(anthropicAnchor({ messages: 'not a list' }), undefined);
  assert.equal(anthropicAnchor({ system: 'S', messages: [{ role: 'assistant', content: 'hi' }] }), undefined);
});
