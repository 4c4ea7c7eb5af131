import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import { upstreamBody } from '../../src/translate/serialize-params.ts';

const serializeParams = (params: Parameters<typeof upstreamBody>[0]) => upstreamBody(params).toString('utf8');

const base = (): MessageCreateParams => ({
  model: 'claude-haiku-4-5',
  max_tokens: 100,
  system: [{ type: 'text', text: 'say "messages":-7.291e-300 \\" here' }],
  messages: [
    { role: 'user', content: 'hi \u2028 "quoted" \\ ✓' },
    { role: 'assistant', content: [{ type: 'text', text: 'hello' }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'x' }] },
  ],
  tools: [{ name: 'f', input_schema: { type: 'object', properties: { messages: { type: 'number' } } } }],
  stream: false,
});

test('the same bytes as JSON.stringify, in the request\'s own key order', () => {
  const params = base();
  assert.equal(serializeParams(params), JSON.stringify(params));
  const reordered = { messages: params.messages, model: params.model, max_tokens: 5 } as MessageCreateParams;
  assert.equal(serializeParams(reordered), JSON.stringify(reordered));
});

test('a later turn reuses the JSON of the messages it shares and serialises the new ones', () => {
  const first = base();
  serializeParams(first);
  const next = { ...first, messages: [...first.messages, { role: 'assistant' as const, content: 'more' }] };
  assert.equal(serializeParams(next), JSON.stringify(next));
});

test('a request carrying the stand-in value elsewhere is serialised the plain way', () => {
  const params = base();
  const odd = { ...params, metadata: { user_id: 'u' }, tools: [{ name: 'g', input_schema: { type: 'object' as const, messages: -7.291e-300 } }] };
  assert.equal(serializeParams(odd as MessageCreateParams), JSON.stringify(odd));
});

test('long string system prompts and tools are joined from memory, wherever their keys sit', () => {
  const system = `You are an agent. "quoted" \\ \u2028 ${'x'.repeat(3000)}`;
  const tools = [{ name: 'f', input_schema: { type: 'object' as const } }];
  // Past a first turn (more than two messages), so the bytes are joined from memory rather than made the plain way.
  const history = [
    { role: 'user' as const, content: 'hi' },
    { role: 'assistant' as const, content: 'hello' },
    { role: 'user' as const, content: 'go on' },
  ];
  const a = { tools, model: 'm', system, max_tokens: 1, messages: history } as MessageCreateParams;
  assert.equal(serializeParams(a), JSON.stringify(a));
  const b = { ...a, messages: [...a.messages, { role: 'assistant' as const, content: 'ok' }] };
  assert.equal(serializeParams(b), JSON.stringify(b));
  const c = { max_tokens: 1, messages: a.messages, system: `${system}!`, model: 'm' } as MessageCreateParams;
  assert.equal(serializeParams(c), JSON.stringify(c));
  const d = { ...a, system: null } as unknown as MessageCreateParams;
  assert.equal(serializeParams(d), JSON.stringify(d));
});

test('a system prompt or metadata carrying another field\'s stand-in keeps the plain bytes', () => {
  const params = base();
  const odd = { ...params, system: 'see "tools":-7.293e-300 and "system":-7.292e-300', metadata: { note: '"tools":-7.293e-300' } };
  assert.equal(serializeParams(odd as MessageCreateParams), JSON.stringify(odd));
  const shellDup = { ...params, metadata: { tools: -7.293e-300 } };
  assert.equal(serializeParams(shellDup as unknown as MessageCreateParams), JSON.stringify(shellDup));
});
