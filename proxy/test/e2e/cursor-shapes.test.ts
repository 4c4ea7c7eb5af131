// The bodies Cursor sends to /chat/completions, as raw fetch calls: Anthropic-shaped pieces for Claude models,
// Responses-API agent bodies with a free-text ApplyPatch tool, and mixtures. Every shape is answered as Chat
// Completions, streamed and not, and reaches Anthropic as well-formed Messages.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FakePlan } from '../fake-anthropic/types.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { assembleChunks, type Assembled } from './assemble.ts';
import { postJson, postSse } from './raw-sse.ts';
import { byTurn, LONG_SYSTEM_PROMPT, messageCalls } from './scripted-model.ts';
import { expectedOpenAIUsage, tapUpstream, upstreamContent, upstreamUsage, type UpstreamTap } from './upstream-tap.ts';

let h: Harness;
let tap: UpstreamTap;
let origin: string;

before(async () => {
  h = await startHarness({ listen: true });
  tap = tapUpstream(h);
  origin = h.baseURL.replace(/\/v1$/, '');
});
after(() => h.close());

// Cursor is configured with or without /v1 in its base URL; both paths serve the same route.
const PATHS = ['/v1/chat/completions', '/chat/completions'];

interface BothAnswers {
  streamed: Assembled;
  streamedHeaders: Headers;
  json: any;
  /** Upstream bodies: [streamed request, JSON request]. */
  upstream: any[];
  /** What the fake answered to each. */
  answers: any[][];
}

/** Sends the body twice, as Cursor streams it and without streaming, and collects both sides. */
async function sendBoth(body: Record<string, unknown>, path = PATHS[0]!): Promise<BothAnswers> {
  const mark = h.fake.requests.length;
  const tapMark = tap.exchanges.length;
  const sse = await postSse(origin + path, h.auth, { ...body, stream: true, stream_options: { include_usage: true } });
  assert.equal(sse.status, 200, JSON.stringify(sse.json));
  assert.match(sse.headers.get('content-type') ?? '', /^text\/event-stream/);
  assert.ok(sse.done, 'the stream ends with [DONE]');
  const streamed = assembleChunks(sse.json);
  const nonStreamed = { ...body };
  delete nonStreamed.stream_options;
  const json = await postJson(origin + path, h.auth, { ...nonStreamed, stream: false });
  assert.equal(json.status, 200, JSON.stringify(json.json));
  assert.equal(json.json.object, 'chat.completion');

  const calls = messageCalls(h.fake.requests, mark);
  assert.equal(calls.length, 2);
  const exchanges = tap.since(tapMark);
  assert.deepEqual(streamed.usage, expectedOpenAIUsage(upstreamUsage(exchanges[0]!)));
  assert.deepEqual(json.json.usage, expectedOpenAIUsage(upstreamUsage(exchanges[1]!)));
  return {
    streamed,
    streamedHeaders: sse.headers,
    json: json.json,
    upstream: calls.map((c) => c.body),
    answers: exchanges.map(upstreamContent),
  };
}

/** Both requests went up identical but for `stream`. */
function assertSameUpstream(both: BothAnswers): void {
  const [s, j] = both.upstream;
  assert.equal(s.stream, true);
  assert.equal(j.stream, false);
  assert.deepEqual({ ...s, stream: null }, { ...j, stream: null });
}

describe('Anthropic-shaped pieces for a Claude model', () => {
  const tools = [
    {
      name: 'read_file',
      description: 'Read the contents of a file.',
      input_schema: { type: 'object', properties: { target_file: { type: 'string' } }, required: ['target_file'] },
    },
    {
      name: 'run_terminal_cmd',
      description: 'Propose a command to run.',
      input_schema: { type: 'object', properties: { command: { type: 'string' }, is_background: { type: 'boolean' } }, required: ['command'] },
    },
  ];
  const history = [
    { role: 'user', content: [{ type: 'text', text: 'The math test fails. Fix it.' }] },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Reading the test first.' },
        { type: 'tool_use', id: 'toolu_01Cursor', name: 'read_file', input: { target_file: 'math.test.ts' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_01Cursor', content: 'expect(add(1, 1)).toBe(3)' },
        { type: 'text', text: 'Continue.', cache_control: { type: 'ephemeral' } },
      ],
    },
  ];
  const system = [{ type: 'text', text: LONG_SYSTEM_PROMPT, cache_control: { type: 'ephemeral' } }];
  const plan: FakePlan = {
    content: [
      { type: 'text', text: 'The expectation is wrong; running the tests after fixing it.' },
      { type: 'tool_use', name: 'run_terminal_cmd', input: { command: 'npm test -- math', is_background: false } },
    ],
    stopReason: 'tool_use',
  };

  test('system as a top-level block list or as a system message with blocks: the same upstream request', async () => {
    h.fake.setResponder(() => plan);
    const topLevel = await sendBoth({ model: 'cg-claude-opus-5-5', system, tools, messages: history });
    const inMessages = await sendBoth({ model: 'cg-claude-opus-5-5', tools, messages: [{ role: 'system', content: system }, ...history] }, PATHS[1]);
    assertSameUpstream(topLevel);
    assertSameUpstream(inMessages);
    assert.deepEqual(inMessages.upstream[0], topLevel.upstream[0]);

    const up = topLevel.upstream[0];
    assert.equal(up.model, 'claude-opus-5-5');
    assert.deepEqual(up.system, system, 'system blocks and their breakpoint pass unchanged');
    assert.deepEqual(up.tools, tools, 'Anthropic-shaped tools pass unchanged');
    assert.deepEqual(up.messages, history, 'tool_use / tool_result blocks and cache_control pass unchanged');

    // The answers: a text and a tool call, in Chat Completions shape either way.
    for (const both of [topLevel, inMessages]) {
      const [streamedAnswer, jsonAnswer] = both.answers;
      const streamedId = streamedAnswer!.find((b) => b.type === 'tool_use').id;
      const jsonId = jsonAnswer!.find((b) => b.type === 'tool_use').id;
      assert.equal(both.streamed.content, 'The expectation is wrong; running the tests after fixing it.');
      assert.equal(both.streamed.finishReason, 'tool_calls');
      assert.deepEqual(both.streamed.toolCalls.map((c) => [c.id, c.function.name, JSON.parse(c.function.arguments)]), [
        [streamedId, 'run_terminal_cmd', { command: 'npm test -- math', is_background: false }],
      ]);
      const message = both.json.choices[0].message;
      assert.equal(message.content, 'The expectation is wrong; running the tests after fixing it.');
      assert.deepEqual(message.tool_calls, [
        { id: jsonId, type: 'function', function: { name: 'run_terminal_cmd', arguments: '{"command":"npm test -- math","is_background":false}' } },
      ]);
      assert.equal(both.json.choices[0].finish_reason, 'tool_calls');
    }
    // The same prefix four times: everything after the first write is read from the cache.
    assert.ok(inMessages.json.usage.prompt_tokens_details.cached_tokens > 0);
  });
});

describe('Responses-API agent bodies', () => {
  const PATCH = '*** Begin Patch\n*** Update File: README.md\n@@\n-# Helo world\n+# Hello world\n+A tiny demo.\n*** End Patch\n';
  const GRAMMAR = 'start: begin_patch hunk+ end_patch\nbegin_patch: "*** Begin Patch" LF\nend_patch: "*** End Patch" LF?\n%import common.LF';
  const tools = [
    {
      type: 'function',
      name: 'read_file',
      description: 'Read a file from the workspace.',
      parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'], additionalProperties: false },
      strict: true,
    },
    { type: 'custom', name: 'ApplyPatch', description: 'Edit files with a patch.', format: { type: 'grammar', syntax: 'lark', definition: GRAMMAR } },
  ];
  const body = (input: unknown[]) => ({
    model: 'cg-claude-opus-5-5',
    instructions: 'You are a coding agent running in Cursor.',
    reasoning: { effort: 'medium', summary: 'auto' },
    include: ['reasoning.encrypted_content'],
    store: false,
    previous_response_id: null,
    max_output_tokens: 16000,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    prompt_cache_key: 'cursor-session-1',
    tools,
    input,
  });
  const firstInput = [
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Fix the typo in README.md and describe the project.' }] },
    { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Read it first.' }], encrypted_content: 'gAAAAB-opaque' },
    { type: 'function_call', id: 'fc_1', call_id: 'call_read_1', name: 'read_file', arguments: '{"path":"README.md"}' },
    { type: 'function_call_output', call_id: 'call_read_1', output: '# Helo world\n' },
  ];
  // The model thinks, then calls the free-text tool with the whole patch as its input.
  const script = byTurn([
    { content: [{ type: 'text', text: 'Which file should I fix?' }], stopReason: 'end_turn' }, // a fresh conversation (not used here)
    { content: [{ type: 'thinking', thinking: 'The heading is misspelled.' }, { type: 'tool_use', name: 'ApplyPatch', input: { input: PATCH } }], stopReason: 'tool_use' },
    { content: [{ type: 'text', text: 'Fixed the typo and added a description.' }], stopReason: 'end_turn' },
  ]);

  test('a custom tool call comes back as an ordinary tool call with the raw text as arguments', async () => {
    h.fake.setResponder(script);
    const both = await sendBoth(body(firstInput));
    assertSameUpstream(both);

    const up = both.upstream[0];
    assert.equal(up.model, 'claude-opus-5-5');
    assert.deepEqual(up.system, [{ type: 'text', text: 'You are a coding agent running in Cursor.' }]);
    assert.equal(up.max_tokens, 16000);
    assert.deepEqual(up.thinking, { type: 'adaptive', display: 'summarized' });
    assert.deepEqual(up.output_config, { effort: 'medium' });
    for (const field of ['include', 'store', 'previous_response_id', 'prompt_cache_key', 'instructions', 'input', 'reasoning']) {
      assert.equal(field in up, false, `${field} is not sent to Anthropic`);
    }
    assert.deepEqual(up.tools[0], {
      name: 'read_file',
      description: 'Read a file from the workspace.',
      input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'], additionalProperties: false },
    });
    assert.equal(up.tools[1].name, 'ApplyPatch');
    assert.deepEqual(up.tools[1].input_schema.required, ['input']);
    assert.ok(up.tools[1].description.includes(GRAMMAR), 'the grammar is given to the model');
    assert.deepEqual(up.messages, [
      { role: 'user', content: [{ type: 'text', text: 'Fix the typo in README.md and describe the project.' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_read_1', name: 'read_file', input: { path: 'README.md' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_read_1', content: '# Helo world\n' }] },
    ]);

    // Streamed and not: one ordinary function tool call whose arguments are the raw patch.
    assert.equal(both.streamed.finishReason, 'tool_calls');
    assert.equal(both.streamed.reasoning, 'The heading is misspelled.');
    assert.deepEqual(both.streamed.toolCalls.map((c) => [c.type, c.function.name, c.function.arguments]), [['function', 'ApplyPatch', PATCH]]);
    const message = both.json.choices[0].message;
    assert.deepEqual(message.tool_calls.map((c: any) => [c.type, c.function.name, c.function.arguments]), [['function', 'ApplyPatch', PATCH]]);
    assert.equal(message.reasoning_content, 'The heading is misspelled.');
    assert.equal(both.json.choices[0].finish_reason, 'tool_calls');
  });

  test('the next turn sends the patch back as a custom_tool_call: raw text in, thinking restored', async () => {
    h.fake.setResponder(script);
    const mark = h.fake.requests.length;
    const tapMark = tap.exchanges.length;
    const first = await postSse(`${origin}/v1/chat/completions`, h.auth, { ...body(firstInput), stream: true, stream_options: { include_usage: true } });
    const [call] = assembleChunks(first.json).toolCalls;
    assert.equal(call!.function.arguments, PATCH);
    const issued = upstreamContent(tap.since(tapMark)[0]!);

    const secondInput = [
      ...firstInput,
      { type: 'reasoning', id: 'rs_2', summary: [], encrypted_content: 'gAAAAB-opaque-2' },
      { type: 'custom_tool_call', id: 'ctc_1', call_id: call!.id, name: 'ApplyPatch', input: call!.function.arguments },
      { type: 'custom_tool_call_output', call_id: call!.id, output: 'Done!' },
    ];
    const second = await postSse(`${origin}/v1/chat/completions`, h.auth, { ...body(secondInput), stream: true, stream_options: { include_usage: true } });
    const answer = assembleChunks(second.json);
    assert.equal(answer.content, 'Fixed the typo and added a description.');
    assert.equal(answer.finishReason, 'stop');

    const up = messageCalls(h.fake.requests, mark)[1]!.body;
    const thinking = issued.find((b) => b.type === 'thinking');
    assert.deepEqual(up.messages.slice(3), [
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'The heading is misspelled.', signature: thinking.signature },
          { type: 'tool_use', id: call!.id, name: 'ApplyPatch', input: { input: PATCH } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: call!.id, content: 'Done!' }] },
    ]);
  });
});

describe('mixtures of dialects in one request', () => {
  test('Chat, Responses and Anthropic pieces in one conversation and one tool list', async () => {
    h.fake.setResponder(undefined);
    const both = await sendBoth({
      model: 'cg-sonnet',
      tools: [
        { type: 'function', function: { name: 'list_dir', description: 'List a directory.', parameters: { type: 'object', properties: { path: { type: 'string' } } } } },
        { type: 'function', name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } } } },
        { name: 'grep', description: 'Search files.', input_schema: { type: 'object', properties: { pattern: { type: 'string' } } } },
        { type: 'custom', custom: { name: 'ApplyPatch', description: 'Edit files with a patch.' } },
      ],
      messages: [
        { role: 'system', content: 'You are Cursor.' },
        { role: 'user', content: [{ type: 'input_text', text: 'List files, read package.json, then look for TODOs.' }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_ls', type: 'function', function: { name: 'list_dir', arguments: '{"path":"."}' } }] },
        { role: 'tool', tool_call_id: 'call_ls', content: 'package.json\nsrc/' },
        { type: 'function_call', call_id: 'call_cat', name: 'read_file', arguments: '{"path":"package.json"}' },
        { type: 'function_call_output', call_id: 'call_cat', output: '{"name":"demo"}' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_grep', name: 'grep', input: { pattern: 'TODO' } }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_grep', content: [{ type: 'text', text: 'src/a.ts:3 TODO' }] },
            { type: 'text', text: 'Now summarize.' },
          ],
        },
      ],
    });
    assertSameUpstream(both);
    const up = both.upstream[0];
    assert.equal(up.model, h.config.defaultModel);
    assert.deepEqual(up.system, [{ type: 'text', text: 'You are Cursor.' }]);
    assert.deepEqual(up.tools.map((t: any) => t.name), ['list_dir', 'read_file', 'grep', 'ApplyPatch']);
    assert.ok(up.tools.every((t: any) => t.input_schema?.type === 'object'));
    assert.deepEqual(up.messages, [
      { role: 'user', content: [{ type: 'text', text: 'List files, read package.json, then look for TODOs.' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_ls', name: 'list_dir', input: { path: '.' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_ls', content: 'package.json\nsrc/' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_cat', name: 'read_file', input: { path: 'package.json' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_cat', content: '{"name":"demo"}' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_grep', name: 'grep', input: { pattern: 'TODO' } }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_grep', content: [{ type: 'text', text: 'src/a.ts:3 TODO' }] },
          { type: 'text', text: 'Now summarize.' },
        ],
      },
    ]);
    assert.equal(both.streamed.content, 'Tool results received: 1');
    assert.equal(both.json.choices[0].message.content, 'Tool results received: 1');
    assert.equal(both.streamed.finishReason, 'stop');
    assert.equal(both.json.choices[0].finish_reason, 'stop');
  });

  test('a Responses body carrying Anthropic blocks and Chat tool messages', async () => {
    h.fake.setResponder(undefined);
    const both = await sendBoth(
      {
        model: 'cg-claude-opus-5-5',
        instructions: 'You are a coding agent running in Cursor.',
        store: false,
        tools: [{ type: 'function', name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } } } }],
        input: [
          { role: 'user', content: 'Read a.ts' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_a', name: 'read_file', input: { path: 'a.ts' } }] },
          { role: 'tool', tool_call_id: 'toolu_a', content: 'export const a = 1;' },
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'CALL read_file {"path": "b.ts"}' }] },
        ],
      },
      PATHS[1],
    );
    assertSameUpstream(both);
    assert.deepEqual(both.upstream[0].messages, [
      { role: 'user', content: [{ type: 'text', text: 'Read a.ts' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_a', name: 'read_file', input: { path: 'a.ts' } }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_a', content: 'export const a = 1;' },
          { type: 'text', text: 'CALL read_file {"path": "b.ts"}' },
        ],
      },
    ]);
    // The last user turn holds a tool result, so the default model reports it rather than calling again.
    assert.equal(both.streamed.content, 'Tool results received: 1');
    assert.equal(both.json.choices[0].message.content, 'Tool results received: 1');
  });
});
