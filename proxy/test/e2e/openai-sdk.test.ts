// The official `openai` SDK drives a listening gateway in front of the fake Anthropic: a multi-turn agent loop
// with parallel tool calls, thinking carried across tool turns, errors as the SDK's typed exceptions,
// cancellation and keep-alives.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI, { APIConnectionError, APIError, APIUserAbortError, AuthenticationError, BadRequestError, NotFoundError, RateLimitError } from 'openai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessage,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { Agent } from 'undici';
import { GATEWAY_KEY, startHarness, type Harness } from '../helpers/harness.ts';
import { openaiClient } from '../helpers/openai-client.ts';
import { postSse } from './raw-sse.ts';
import { byTurn, eventually, LONG_SYSTEM_PROMPT, messageCalls } from './scripted-model.ts';
import { expectedOpenAIUsage, tapUpstream, upstreamContent, upstreamUsage, type UpstreamTap } from './upstream-tap.ts';

let h: Harness;
let tap: UpstreamTap;
let client: OpenAI;
// The SDK's own connection pool, so the client can go away before the gateway closes: after an aborted
// request undici opens a fresh connection that never sends a request, which a closing server waits for
// (see shutdown.test.ts).
const clientPool = new Agent();

before(async () => {
  h = await startHarness({ listen: true });
  tap = tapUpstream(h);
  client = sdkClient(GATEWAY_KEY);
});
after(async () => {
  await clientPool.destroy();
  await h.close();
});

function sdkClient(apiKey: string): OpenAI {
  return openaiClient(h, clientPool, apiKey);
}

const TOOLS: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'read_file',
      description: 'Read a file of the workspace.',
      parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    },
  },
  {
    type: 'function',
    function: {
      name: 'run_tests',
      description: 'Run the test suite, optionally filtered.',
      parameters: { type: 'object', properties: { filter: { type: 'string' }, verbose: { type: 'boolean' } } },
    },
  },
];

// The model reads two files at once, then runs the tests, then answers.
const AGENT_SCRIPT = byTurn([
  {
    content: [
      { type: 'text', text: 'I will read both files.' },
      { type: 'tool_use', name: 'read_file', input: { path: 'src/a.ts' } },
      { type: 'tool_use', name: 'read_file', input: { path: 'src/b.ts' } },
    ],
    stopReason: 'tool_use',
  },
  { content: [{ type: 'tool_use', name: 'run_tests', input: { filter: 'math', verbose: true } }], stopReason: 'tool_use' },
  { content: [{ type: 'text', text: 'Both files are fine and 2 tests pass.' }], stopReason: 'end_turn' },
]);

/** The local tools the agent runs. */
function runTool(name: string, args: Record<string, unknown>): string {
  if (name === 'read_file') return `contents of ${String(args.path)}`;
  if (name === 'run_tests') return `2 passed (filter ${String(args.filter)})`;
  throw new Error(`unknown tool ${name}`);
}

function functionCalls(message: ChatCompletionMessage) {
  return (message.tool_calls ?? []).map((call) => {
    assert.equal(call.type, 'function');
    if (call.type !== 'function') throw new Error('unreachable');
    return call;
  });
}

/** Tool result content as text, whether it went up as a string or as text blocks. */
function resultText(block: any): string {
  return typeof block.content === 'string' ? block.content : block.content.map((b: any) => b.text).join('');
}

function openingMessages(): ChatCompletionMessageParam[] {
  // Roo and Cline mark the system prompt for caching with Anthropic's cache_control on the part.
  const system = { role: 'system', content: [{ type: 'text', text: LONG_SYSTEM_PROMPT, cache_control: { type: 'ephemeral' } }] };
  return [system as ChatCompletionMessageParam, { role: 'user', content: 'Check src/a.ts and src/b.ts, then run the math tests.' }];
}

interface AgentRun {
  completions: ChatCompletion[];
  /** Chunks of each streamed turn. */
  chunks: ChatCompletionChunk[][];
  /** Tool call ids the client saw, per turn. */
  ids: string[][];
}

/** The agent loop as an IDE agent writes it: call, run the requested tools locally, send results, repeat. */
async function runAgent(streaming: boolean, afterResults?: ChatCompletionMessageParam): Promise<AgentRun> {
  const messages = openingMessages();
  const run: AgentRun = { completions: [], chunks: [], ids: [] };
  for (let turn = 0; turn < 5; turn++) {
    const params = { model: 'sonnet', messages, tools: TOOLS, parallel_tool_calls: true };
    let completion: ChatCompletion;
    if (streaming) {
      const stream = client.chat.completions.stream({ ...params, stream_options: { include_usage: true } });
      const chunks: ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      completion = await stream.finalChatCompletion();
      run.chunks.push(chunks);
    } else {
      completion = await client.chat.completions.create(params);
    }
    run.completions.push(completion);
    const message = completion.choices[0]!.message;
    messages.push(message);
    if (completion.choices[0]!.finish_reason !== 'tool_calls') break;
    const calls = functionCalls(message);
    run.ids.push(calls.map((c) => c.id));
    for (const call of calls) {
      messages.push({ role: 'tool', tool_call_id: call.id, content: runTool(call.function.name, JSON.parse(call.function.arguments)) });
    }
    if (afterResults) messages.push(afterResults);
  }
  return run;
}

describe('agent loop with parallel tool calls', () => {
  for (const streaming of [false, true]) {
    test(`${streaming ? 'streaming' : 'non-streaming'}: ids survive the round trip, results go up grouped and first`, async () => {
      h.fake.setResponder(AGENT_SCRIPT);
      const mark = h.fake.requests.length;
      const tapMark = tap.exchanges.length;
      // Cline appends environment details after the tool results; the streaming run does the same.
      const extra: ChatCompletionMessageParam | undefined = streaming ? { role: 'user', content: '<environment_details>cwd: /repo</environment_details>' } : undefined;
      const run = await runAgent(streaming, extra);

      // What the client saw: two parallel calls, then one, then the answer.
      assert.deepEqual(run.completions.map((c) => c.choices[0]!.finish_reason), ['tool_calls', 'tool_calls', 'stop']);
      const [first, second, last] = run.completions.map((c) => c.choices[0]!.message);
      assert.equal(first!.content, 'I will read both files.');
      assert.deepEqual(functionCalls(first!).map((c) => [c.function.name, JSON.parse(c.function.arguments)]), [
        ['read_file', { path: 'src/a.ts' }],
        ['read_file', { path: 'src/b.ts' }],
      ]);
      assert.deepEqual(functionCalls(second!).map((c) => [c.function.name, JSON.parse(c.function.arguments)]), [['run_tests', { filter: 'math', verbose: true }]]);
      assert.equal(last!.content, 'Both files are fine and 2 tests pass.');
      assert.equal(last!.tool_calls, undefined);

      // The ids are Anthropic's own, unchanged, and unique.
      const calls = messageCalls(h.fake.requests, mark);
      assert.equal(calls.length, 3);
      const exchanges = tap.since(tapMark);
      const issued = exchanges.slice(0, 2).map((x) => upstreamContent(x).filter((b) => b.type === 'tool_use').map((b) => b.id));
      assert.deepEqual(run.ids, issued);
      assert.equal(new Set(run.ids.flat()).size, 3);

      // Turn 2 upstream: the assistant turn with both tool_use blocks, then one user turn led by both results.
      const turn2 = calls[1]!.body.messages;
      assert.deepEqual(turn2.map((m: any) => m.role), ['user', 'assistant', 'user']);
      assert.deepEqual(turn2[1].content, [
        { type: 'text', text: 'I will read both files.' },
        { type: 'tool_use', id: run.ids[0]![0], name: 'read_file', input: { path: 'src/a.ts' } },
        { type: 'tool_use', id: run.ids[0]![1], name: 'read_file', input: { path: 'src/b.ts' } },
      ]);
      const results = turn2[2].content;
      assert.deepEqual(results.slice(0, 2).map((b: any) => [b.type, b.tool_use_id, resultText(b)]), [
        ['tool_result', run.ids[0]![0], 'contents of src/a.ts'],
        ['tool_result', run.ids[0]![1], 'contents of src/b.ts'],
      ]);
      if (streaming) assert.deepEqual(results[2], { type: 'text', text: '<environment_details>cwd: /repo</environment_details>' });
      assert.equal(results.length, streaming ? 3 : 2);

      // Turn 3 upstream: the whole history again, ids still the same, and the newest result first in its turn.
      const turn3 = calls[2]!.body.messages;
      assert.deepEqual(turn3.map((m: any) => m.role), ['user', 'assistant', 'user', 'assistant', 'user']);
      assert.deepEqual(turn3.slice(0, 3), turn2, 'the earlier turns are resent byte for byte');
      assert.deepEqual(turn3[3].content, [{ type: 'tool_use', id: run.ids[1]![0], name: 'run_tests', input: { filter: 'math', verbose: true } }]);
      assert.equal(turn3[4].content[0].type, 'tool_result');
      assert.equal(turn3[4].content[0].tool_use_id, run.ids[1]![0]);
      assert.equal(resultText(turn3[4].content[0]), '2 passed (filter math)');

      // The system prompt keeps its breakpoint, so the later turns read the cache.
      assert.deepEqual(calls[0]!.body.system, [{ type: 'text', text: LONG_SYSTEM_PROMPT, cache_control: { type: 'ephemeral' } }]);
      assert.deepEqual(calls[0]!.body.tools.map((t: any) => t.name), ['read_file', 'run_tests']);
      for (const call of calls) assert.equal(call.body.stream, streaming);

      // Usage: exactly what the upstream reported, with cached prompt tokens counted into prompt_tokens.
      run.completions.forEach((completion, i) => {
        assert.deepEqual(completion.usage, expectedOpenAIUsage(upstreamUsage(exchanges[i]!)), `turn ${i + 1}`);
      });
      const [u1, u2] = exchanges.map(upstreamUsage);
      // (An earlier run may already have written the system prefix, so the first turn writes or reads it.)
      assert.ok(u1!.cache_creation_input_tokens! + u1!.cache_read_input_tokens! > 0, 'the first turn caches the system prompt');
      assert.ok(u2!.cache_read_input_tokens! > 0, 'the second turn reads the cache');
      assert.equal(run.completions[1]!.usage!.prompt_tokens_details!.cached_tokens, u2!.cache_read_input_tokens);

      if (streaming) assertStreamShape(run);
    });
  }
});

/** The wire contract of each streamed turn, beyond what the SDK helper reassembles. */
function assertStreamShape(run: AgentRun): void {
  run.chunks.forEach((chunks, turn) => {
    const withChoices = chunks.filter((c) => c.choices.length > 0);
    assert.equal(withChoices[0]!.choices[0]!.delta.role, 'assistant', `turn ${turn + 1}: the first delta carries the role`);
    const usageChunk = chunks.at(-1)!;
    assert.deepEqual(usageChunk.choices, [], 'the usage chunk has no choices');
    assert.deepEqual(usageChunk.usage, run.completions[turn]!.usage);
    assert.equal(chunks.filter((c) => c.usage).length, 1, 'usage is sent once');
    const finishes = withChoices.map((c) => c.choices[0]!.finish_reason).filter((f) => f !== null);
    assert.deepEqual(finishes, [run.completions[turn]!.choices[0]!.finish_reason]);

    // Each tool call: its own index; its first delta has id, type, name and empty arguments; then fragments.
    const deltas = withChoices.flatMap((c) => c.choices[0]!.delta.tool_calls ?? []);
    const byIndex = new Map<number, typeof deltas>();
    for (const d of deltas) byIndex.set(d.index, [...(byIndex.get(d.index) ?? []), d]);
    const expectedIds = run.ids[turn] ?? [];
    assert.deepEqual([...byIndex.keys()], expectedIds.map((_, i) => i));
    for (const [index, parts] of byIndex) {
      const head = parts[0]!;
      assert.equal(head.id, expectedIds[index]);
      assert.equal(head.type, 'function');
      assert.equal(head.function?.arguments, '');
      assert.ok(head.function?.name);
      assert.ok(parts.slice(1).every((p) => p.id === undefined && p.function?.name === undefined));
      const args = parts.map((p) => p.function?.arguments ?? '').join('');
      assert.doesNotThrow(() => JSON.parse(args), `turn ${turn + 1} call ${index}: ${args}`);
      assert.ok(parts.length > 2, 'arguments arrive in fragments');
    }
  });
}

interface ThinkingCase {
  model: string;
  effort?: 'high';
  /** What the gateway asks Anthropic for. */
  thinking: unknown;
  /** Whether the model shows its thinking text (newer models omit it unless asked). */
  visible: boolean;
}

const THINKING_CASES: ThinkingCase[] = [
  // Budget thinking: the fake refuses a tool turn whose assistant message does not start with its thinking.
  { model: 'claude-haiku-4-5', effort: 'high', thinking: { type: 'enabled', budget_tokens: 16384 }, visible: true },
  { model: 'claude-opus-5-5', effort: 'high', thinking: { type: 'adaptive', display: 'summarized' }, visible: true },
  // Thinks without being asked and shows nothing: the empty block and its signature must still go back.
  { model: 'sonnet', thinking: undefined, visible: false },
];

describe('thinking across tool turns', () => {
  for (const c of THINKING_CASES) {
    for (const streaming of [false, true]) {
      test(`${c.model}, ${streaming ? 'streaming' : 'non-streaming'}: the signed thinking block goes back first in its turn`, async () => {
        h.fake.setResponder(undefined);
        const mark = h.fake.requests.length;
        const tapMark = tap.exchanges.length;
        const user = `CALL lookup {"term": "prefix-${c.model}-${streaming}"}`;
        const tools: ChatCompletionTool[] = [
          { type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { term: { type: 'string' } } } } },
        ];
        const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: user }];
        const ask = async () => {
          const params = { model: c.model, messages, tools, ...(c.effort ? { reasoning_effort: c.effort } : {}) };
          if (!streaming) {
            const completion = await client.chat.completions.create(params);
            return { completion, reasoning: (completion.choices[0]!.message as { reasoning_content?: string }).reasoning_content };
          }
          const stream = client.chat.completions.stream({ ...params, stream_options: { include_usage: true } });
          let reasoning: string | undefined;
          for await (const chunk of stream) {
            const piece = (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content;
            if (piece !== undefined) reasoning = (reasoning ?? '') + piece;
          }
          return { completion: await stream.finalChatCompletion(), reasoning };
        };

        const first = await ask();
        const message = first.completion.choices[0]!.message;
        assert.equal(first.completion.choices[0]!.finish_reason, 'tool_calls');
        const expectedReasoning = `Considering: ${user}`;
        assert.equal(first.reasoning, c.visible ? expectedReasoning : undefined, 'reasoning_content carries the thinking text when there is one');
        const [call] = functionCalls(message);

        // The client sends back only what OpenAI's API shows: content and tool_calls, no thinking.
        messages.push({ role: 'assistant', content: message.content, tool_calls: message.tool_calls });
        messages.push({ role: 'tool', tool_call_id: call!.id, content: 'found 3 matches' });
        const second = await ask();
        assert.equal(second.completion.choices[0]!.message.content, 'Tool results received: 1');
        assert.equal(second.completion.choices[0]!.finish_reason, 'stop');

        const calls = messageCalls(h.fake.requests, mark);
        assert.equal(calls.length, 2);
        const issued = upstreamContent(tap.since(tapMark)[0]!);
        const thinking = issued.find((b) => b.type === 'thinking');
        assert.equal(thinking.thinking, c.visible ? expectedReasoning : '');
        assert.ok(thinking.signature.length > 0);
        const assistant = calls[1]!.body.messages[1];
        assert.equal(assistant.role, 'assistant');
        assert.deepEqual(assistant.content, [
          { type: 'thinking', thinking: thinking.thinking, signature: thinking.signature },
          { type: 'tool_use', id: call!.id, name: 'lookup', input: { term: `prefix-${c.model}-${streaming}` } },
        ]);
        // The thinking configuration is the same on both turns.
        assert.deepEqual(calls[0]!.body.thinking, c.thinking);
        assert.deepEqual(calls[1]!.body.thinking, c.thinking);
      });
    }
  }
});

describe('errors as the SDK sees them', () => {
  test('a wrong gateway key is an AuthenticationError and never reaches upstream', async () => {
    const mark = h.fake.requests.length;
    const bad = sdkClient('not-the-gateway-key-000');
    const error = await bad.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    assert.ok(error instanceof AuthenticationError, String(error));
    assert.equal(error.status, 401);
    assert.equal(error.type, 'authentication_error');
    assert.equal(error.code, 'invalid_api_key');
    assert.equal(h.fake.requests.length, mark);
  });

  test('an unknown model is a NotFoundError naming the model', async () => {
    const mark = h.fake.requests.length;
    const error = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    assert.ok(error instanceof NotFoundError, String(error));
    assert.equal(error.code, 'model_not_found');
    assert.equal(error.param, 'model');
    assert.match(error.message, /gpt-4o/);
    assert.equal(h.fake.requests.length, mark, 'not a Claude model: never sent upstream');
  });

  test('a bad body is a BadRequestError naming the parameter', async () => {
    const mark = h.fake.requests.length;
    const error = await client.chat.completions
      .create({ model: 'sonnet', messages: [{ role: 'user', content: 'hi' }], temperature: 7 })
      .catch((e: unknown) => e);
    assert.ok(error instanceof BadRequestError, String(error));
    assert.equal(error.param, 'temperature');
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(h.fake.requests.length, mark, 'rejected before any upstream call');
  });

  for (const streaming of [false, true]) {
    test(`upstream 429 is a RateLimitError with retry-after (${streaming ? 'streaming' : 'non-streaming'})`, async () => {
      h.fake.setResponder(() => ({ error: { status: 429, type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit', headers: { 'retry-after': '17' } } }));
      const mark = h.fake.requests.length;
      const error = await client.chat.completions
        .create({ model: 'sonnet', messages: [{ role: 'user', content: 'hi' }], stream: streaming })
        .catch((e: unknown) => e);
      assert.ok(error instanceof RateLimitError, String(error));
      assert.equal(error.status, 429);
      assert.equal(error.headers?.get('retry-after'), '17');
      assert.match(error.message, /rate limit/);
      // 17 s is beyond the gateway's longest retry wait, so the limit goes straight to the client to decide.
      assert.equal(messageCalls(h.fake.requests, mark).length, 1, 'one upstream attempt');
    });
  }

  test('an upstream error event mid-stream: the frames before it arrive, then the SDK throws an APIError', async () => {
    const text = 'one two three four five six seven eight nine ten eleven twelve';
    h.fake.setResponder(() => ({ content: [{ type: 'text', text }], errorEventAfter: 4, errorEvent: { type: 'overloaded_error', message: 'Overloaded' } }));
    const stream = await client.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'count' }], stream: true });
    const chunks: ChatCompletionChunk[] = [];
    const error = await (async () => {
      for await (const chunk of stream) chunks.push(chunk);
    })().catch((e: unknown) => e);
    assert.ok(error instanceof APIError, String(error));
    assert.match(error.message, /Overloaded/);
    assert.equal(error.type, 'overloaded_error');
    const seen = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    assert.ok(seen.length > 0 && text.startsWith(seen) && seen !== text, `partial content delivered: ${JSON.stringify(seen)}`);
    assert.ok(chunks.every((c) => (c.choices[0]?.finish_reason ?? null) === null), 'no finish_reason was faked');
  });

  test('a connection dropped mid-stream is an error for the client, not a finish', async () => {
    h.fake.setResponder(() => ({ content: [{ type: 'text', text: 'one two three four five six seven eight nine ten' }], dropAfter: 5 }));
    const stream = await client.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'count' }], stream: true, stream_options: { include_usage: true } });
    const chunks: ChatCompletionChunk[] = [];
    const error = await (async () => {
      for await (const chunk of stream) chunks.push(chunk);
    })().catch((e: unknown) => e);
    assert.ok(error instanceof APIError, `expected an APIError, got ${String(error)}`);
    assert.ok(!(error instanceof APIConnectionError), 'the gateway reported it in-band as an error frame');
    assert.equal(error.type, 'server_error');
    assert.equal(error.code, 'upstream_stream_interrupted');
    assert.ok(chunks.length > 0, 'the frames before the drop were delivered');
    assert.ok(chunks.every((c) => (c.choices[0]?.finish_reason ?? null) === null && c.usage == null), 'no finish and no usage');
  });
});

describe('cancellation', () => {
  test('a client that aborts mid-stream cancels the upstream request', async () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    h.fake.setResponder(() => ({ content: [{ type: 'text', text: words }], eventDelayMs: 150 }));
    const mark = h.fake.requests.length;
    const stream = await client.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'talk slowly' }], stream: true });
    let received = '';
    for await (const chunk of stream) {
      received += chunk.choices[0]?.delta.content ?? '';
      if (received.length > 0) {
        stream.controller.abort();
        break;
      }
    }
    const upstream = messageCalls(h.fake.requests, mark)[0]!;
    // The whole answer would take seconds more; `aborted` means the fake's response was cut short.
    await eventually(() => upstream.aborted, 2000, 'the upstream request to be aborted');
    assert.ok(words.startsWith(received) && received !== words);
    // The gateway keeps serving.
    h.fake.setResponder(undefined);
    const after = await client.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'still there?' }] });
    assert.equal(after.choices[0]!.message.content, 'Echo: still there?');
  });

  test('a client that gives up on a non-streaming request cancels it upstream too', async () => {
    h.fake.setResponder(() => ({ content: [{ type: 'text', text: 'too late' }], delayMs: 3000 }));
    const mark = h.fake.requests.length;
    const controller = new AbortController();
    const pending = client.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'slow' }] }, { signal: controller.signal });
    await eventually(() => messageCalls(h.fake.requests, mark).length === 1, 2000, 'the upstream call');
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    assert.ok(error instanceof APIUserAbortError, String(error));
    const upstream = messageCalls(h.fake.requests, mark)[0]!;
    await eventually(() => upstream.aborted, 1500, 'the upstream request to be aborted');
  });
});

describe('keep-alive', () => {
  test('comment frames flow while the model is silent, and the answer still arrives', async () => {
    const slow = await startHarness({ listen: true, config: { keepAliveMs: 100 } });
    try {
      slow.fake.setResponder(() => ({ content: [{ type: 'text', text: 'Finally.' }], eventDelayMs: 400 }));
      const res = await postSse(`${slow.baseURL}/chat/completions`, slow.auth, {
        model: 'sonnet',
        messages: [{ role: 'user', content: 'take your time' }],
        stream: true,
      });
      assert.equal(res.status, 200);
      assert.ok(res.done, 'the stream ends with [DONE]');
      const comments = res.frames.filter((f) => f.kind === 'comment');
      assert.ok(comments.length >= 3, `keep-alives sent: ${comments.length}`);
      assert.ok(comments.every((c) => c.text === 'keep-alive'));
      const firstContent = res.frames.findIndex((f) => f.kind === 'data' && f.text.includes('Finally'));
      assert.ok(firstContent > 0);
      assert.ok(res.frames.slice(0, firstContent).some((f) => f.kind === 'comment'), 'a keep-alive came before the content');
      assert.equal(res.json.map((c) => c.choices[0]?.delta?.content ?? '').join(''), 'Finally.');
      assert.equal(res.json.at(-1).choices[0].finish_reason, 'stop');
    } finally {
      await slow.close();
    }
  });
});
