import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { MessageAccumulator, messageToEvents } from '../../src/translate/message-events.ts';
import { toChatCompletion } from '../../src/translate/response.ts';
import { StreamTransducer } from '../../src/translate/stream.ts';

const message = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-5-5',
  content: [
    { type: 'thinking', thinking: 'Look first.', signature: 'sig-abc' },
    { type: 'text', text: 'Reading both files.' },
    { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a.ts' } },
    { type: 'tool_use', id: 'toolu_2', name: 'read_file', input: { path: 'b.ts', lines: [1, 2] } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: { input_tokens: 12, output_tokens: 40, cache_creation_input_tokens: 100, cache_read_input_tokens: 900 },
} as unknown as Message;

test('a message replayed as events accumulates back to the same message', () => {
  const acc = new MessageAccumulator();
  for (const event of messageToEvents(message)) acc.push(event as never);
  assert.deepEqual(acc.message(), message);
});

test('an unfinished stream yields no message', () => {
  const acc = new MessageAccumulator();
  const events = messageToEvents(message);
  for (const event of events.slice(0, -1)) acc.push(event as never);
  assert.equal(acc.message(), undefined);
});

test('replayed events translate to the same answer as the message itself', () => {
  const ctx = { id: 'chatcmpl-x', created: 1, model: 'claude-sonnet-5-5', systemFingerprint: 'fp' };
  const direct = toChatCompletion(message, ctx).completion;
  const transducer = new StreamTransducer({ ...ctx, includeUsage: true });
  const chunks = messageToEvents(message).flatMap((e) => transducer.push(e as never)).concat(transducer.end());
  const calls = new Map<number, { id?: string; name?: string; args: string }>();
  let text = '';
  for (const out of chunks) {
    assert.equal(out.kind, 'chunk');
    if (out.kind !== 'chunk') continue;
    const delta = out.chunk.choices[0]?.delta;
    text += delta?.content ?? '';
    for (const call of delta?.tool_calls ?? []) {
      const entry = calls.get(call.index) ?? { args: '' };
      entry.id ??= call.id;
      entry.name ??= call.function?.name;
      entry.args += call.function?.arguments ?? '';
      calls.set(call.index, entry);
    }
  }
  assert.equal(text, direct.choices[0]!.message.content);
  assert.deepEqual(
    [...calls.values()].map((c) => ({ id: c.id, name: c.name, args: JSON.parse(c.args) })),
    direct.choices[0]!.message.tool_calls!.map((c) => ({ id: c.id, name: (c as any).function.name, args: JSON.parse((c as any).function.arguments) })),
  );
  assert.deepEqual(transducer.usage(), direct.usage);
});
