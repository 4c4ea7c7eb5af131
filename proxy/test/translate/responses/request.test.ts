import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../../../src/errors.ts';
import { capabilitiesFor } from '../../../src/models/catalog.ts';
import { toAnthropicRequest } from '../../../src/translate/request.ts';
import { createReasoningSeal } from '../../../src/translate/responses/reasoning-seal.ts';
import { normalizeResponsesRequest } from '../../../src/translate/responses/request.ts';
import { normalizeChatRequest } from '../../../src/translate/normalize.ts';

const seal = createReasoningSeal(Buffer.alloc(32, 3));
const thought = { type: 'thinking' as const, thinking: 'Plan it.', signature: 'sig-1' };

// A trimmed real Codex request: developer + user messages with ids, a tool turn with reasoning, namespaces.
const CODEX_BODY = {
  model: 'claude-sonnet-4-5',
  stream: true,
  store: false,
  include: ['reasoning.encrypted_content'],
  reasoning: { summary: 'auto' },
  prompt_cache_key: 'thread-1',
  client_metadata: { 'x-codex-window-id': 'w' },
  tool_choice: 'auto',
  parallel_tool_calls: true,
  tools: [
    { type: 'function', name: 'exec_command', description: 'Run.', strict: false, parameters: { type: 'object', properties: { cmd: { type: 'string' } } } },
    { type: 'namespace', name: 'multi_agent_v1', description: 'Agents.', tools: [{ type: 'function', name: 'spawn_agent', parameters: { type: 'object' } }] },
    { type: 'web_search', external_web_access: false },
  ],
  input: [
    { type: 'message', id: 'msg_1', role: 'developer', content: [{ type: 'input_text', text: 'You are Codex.' }] },
    { type: 'message', id: 'msg_2', role: 'user', content: [{ type: 'input_text', text: 'List files.' }] },
    { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Plan it.' }], encrypted_content: seal.seal([thought]) },
    { type: 'function_call', id: 'fc_1', call_id: 'toolu_1', name: 'exec_command', arguments: '{"cmd":"ls"}' },
    { type: 'function_call', call_id: 'toolu_2', name: 'spawn_agent', namespace: 'multi_agent_v1', arguments: '{}' },
    { type: 'function_call_output', call_id: 'toolu_1', output: 'a.txt' },
    { type: 'function_call_output', call_id: 'toolu_2', output: [{ type: 'input_text', text: 'spawned' }] },
  ],
};

describe('Responses request → chat form → Anthropic', () => {
  test("Codex's request maps onto one Anthropic request", () => {
    const notes: string[] = [];
    const { chat, options, input } = normalizeResponsesRequest(CODEX_BODY, { seal, note: (n) => notes.push(n) });
    assert.deepEqual(notes, []);
    assert.equal(options.store, false);
    assert.equal(options.includeEncryptedReasoning, true);
    assert.equal(options.promptCacheKey, 'thread-1');
    assert.equal(input.length, 7);
    assert.deepEqual(chat.reasoning, { enabled: true });
    const { params, adjustments } = toAnthropicRequest(chat, { model: 'claude-sonnet-4-5', capabilities: capabilitiesFor('claude-sonnet-4-5') });
    const p = params as any;
    assert.deepEqual(p.system, [{ type: 'text', text: 'You are Codex.' }]);
    assert.deepEqual(p.tools.map((t: any) => t.name), ['exec_command', 'multi_agent_v1__spawn_agent']);
    assert.ok(adjustments.some((a) => a.includes('web_search dropped')));
    assert.equal(p.thinking.type, 'enabled');
    assert.deepEqual(p.messages.map((m: any) => m.role), ['user', 'assistant', 'user']);
    assert.deepEqual(p.messages[1].content, [
      { type: 'thinking', thinking: 'Plan it.', signature: 'sig-1' },
      { type: 'tool_use', id: 'toolu_1', name: 'exec_command', input: { cmd: 'ls' } },
      { type: 'tool_use', id: 'toolu_2', name: 'multi_agent_v1__spawn_agent', input: {} },
    ]);
    assert.deepEqual(p.messages[2].content.map((b: any) => b.tool_use_id), ['toolu_1', 'toolu_2']);
  });

  test('earlier stored items lead the conversation; instructions are not carried over', () => {
    const { chat } = normalizeResponsesRequest({ model: 'sonnet', input: 'And now?', instructions: 'Be brief.' }, {}, [
      { type: 'message', role: 'user', content: 'Hi' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello' }] },
    ]);
    assert.deepEqual(chat.messages.map((m) => [m.role, typeof m.content === 'string' ? m.content : (m.content as any)[0].text]), [
      ['system', 'Be brief.'], ['user', 'Hi'], ['assistant', 'Hello'], ['user', 'And now?'],
    ]);
  });

  test('reasoning effort none keeps Claude from thinking; safety_identifier becomes the user id', () => {
    const { chat, options } = normalizeResponsesRequest({ model: 'sonnet', input: 'x', reasoning: { effort: 'none', summary: 'auto' }, safety_identifier: 'u-1' }, {});
    assert.deepEqual(chat.reasoning, { effort: 'none' });
    assert.equal(chat.user, 'u-1');
    assert.equal(options.store, true);
  });

  test('unknown fields are ignored; chat-only fields are not read from a Responses body', () => {
    const { chat } = normalizeResponsesRequest({ model: 'sonnet', input: 'x', messages: [{ role: 'user', content: 'ignored' }], max_tokens: 5, frobnicate: 1 }, {});
    assert.equal(chat.messages.length, 1);
    assert.equal(chat.max_tokens, undefined);
  });

  test('invalid values are a 400 naming the field', () => {
    for (const [body, param] of [
      [{ model: 'sonnet' }, 'input'],
      [{ model: 'sonnet', input: 'x', store: 'yes' }, 'store'],
      [{ model: 'sonnet', input: 'x', include: 'all' }, 'include'],
      [{ model: 'sonnet', input: 'x', metadata: { n: 1 } }, 'metadata'],
      [{ model: 'sonnet', input: 'x', tools: {} }, 'tools'],
      [{ model: 'sonnet', input: 'x', instructions: 5 }, 'instructions'],
      [{ model: 'sonnet', input: 'x', conversation: 'conv_1' }, 'conversation'],
      [{ model: 'sonnet', input: [{ type: 'custom_tool_call', call_id: 'c', input: 'x' }] }, 'input[0].name'],
    ] as const) {
      assert.throws(() => normalizeResponsesRequest(body, {}), (e: unknown) => e instanceof GatewayError && e.status === 400 && e.param === param, JSON.stringify(body));
    }
  });

  test('the chat path reads Responses items with the same mapper (Cursor bodies), reasoning items skipped', () => {
    const chat = normalizeChatRequest({ model: 'sonnet', input: CODEX_BODY.input.slice(1) });
    assert.deepEqual(chat.messages.map((m) => m.role), ['user', 'assistant', 'assistant', 'tool', 'tool']);
    assert.equal(chat.messages[2]!.tool_calls![0]!.function!.name, 'multi_agent_v1__spawn_agent');
  });

  test('a tool_choice naming a namespaced tool is flattened like the tools; the echo keeps what the client sent', () => {
    const tools = [
      { type: 'function', name: 'exec_command', parameters: { type: 'object' } },
      { type: 'namespace', name: 'multi_agent_v1', tools: [{ type: 'function', name: 'spawn_agent', parameters: { type: 'object' } }] },
    ];
    const forced = (tool_choice: unknown) => {
      const { chat, options } = normalizeResponsesRequest({ model: 'claude-sonnet-4-5', input: 'go', tools, tool_choice }, { seal });
      const { params } = toAnthropicRequest(chat, { model: 'claude-sonnet-4-5', capabilities: capabilitiesFor('claude-sonnet-4-5') });
      return { sent: params.tool_choice, echoed: options.echo.tool_choice };
    };
    const explicit = { type: 'function', name: 'spawn_agent', namespace: 'multi_agent_v1' };
    assert.deepEqual(forced(explicit), { sent: { type: 'tool', name: 'multi_agent_v1__spawn_agent' }, echoed: explicit });
    // A bare member name that only one namespace has is unambiguous.
    assert.deepEqual(forced({ type: 'function', name: 'spawn_agent' }).sent, { type: 'tool', name: 'multi_agent_v1__spawn_agent' });
    assert.deepEqual(forced({ type: 'function', name: 'exec_command' }).sent, { type: 'tool', name: 'exec_command' });
    const allowed = { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'spawn_agent', namespace: 'multi_agent_v1' }] };
    assert.deepEqual(forced(allowed).sent, { type: 'any' });
    assert.throws(
      () => forced({ type: 'function', name: 'spawn_agent', namespace: 'other' }),
      (e: unknown) => e instanceof GatewayError && e.param === 'tool_choice',
    );
  });
});
