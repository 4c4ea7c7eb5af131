// The official `openai` SDK drives /v1/responses on a listening gateway in front of the fake Anthropic:
// responses.create and responses.stream, a multi-turn agent loop with function, free-text (apply_patch) and
// namespaced tools, Claude's thinking carried across turns inside `encrypted_content`, every response and
// streamed event validated against OpenAI's published schemas.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI, { BadRequestError } from 'openai';
import type { ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { Agent } from 'undici';
import type { FakePlan } from '../fake-anthropic/types.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { assertValidEvents, assertValidResponse, CODEX_LIKE_TOOLS, responsesClient, stripSdkExtras, type Response } from './responses-helpers.ts';
import { byTurn, eventually, messageCalls } from './scripted-model.ts';

let h: Harness;
let client: OpenAI;
const pool = new Agent();
before(async () => {
  h = await startHarness({ listen: true });
  client = responsesClient(h, pool);
});
after(async () => {
  await pool.destroy();
  await h.close();
});

const PATCH = '*** Begin Patch\n*** Update File: notes.txt\n@@\n-old\n+new\n*** End Patch';

// Think, run a shell command; think, patch a file; call a namespaced tool; answer.
const LOOP: FakePlan[] = [
  { content: [{ type: 'thinking', thinking: 'I should read the notes first.' }, { type: 'text', text: 'Reading.' }, { type: 'tool_use', name: 'exec_command', input: { cmd: 'cat notes.txt' } }], stopReason: 'tool_use' },
  { content: [{ type: 'thinking', thinking: 'Now patch it.' }, { type: 'tool_use', name: 'apply_patch', input: { input: PATCH } }], stopReason: 'tool_use' },
  { content: [{ type: 'tool_use', name: 'agents__spawn_agent', input: { task: 'review' } }], stopReason: 'tool_use' },
  { content: [{ type: 'text', text: 'All done: notes.txt now says new.' }], stopReason: 'end_turn' },
];

async function turn(streaming: boolean, body: OpenAI.Responses.ResponseCreateParamsNonStreaming): Promise<{ response: Response; events: ResponseStreamEvent[] }> {
  if (!streaming) {
    const response = await client.responses.create(body);
    assertValidResponse(response);
    return { response, events: [] };
  }
  const stream = client.responses.stream(body as Parameters<OpenAI['responses']['stream']>[0]);
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  const response = await stream.finalResponse();
  assertValidEvents(events);
  assertValidResponse(response);
  return { response, events };
}

function toolOutput(item: Response['output'][number]): ResponseInputItem {
  if (item.type === 'function_call') return { type: 'function_call_output', call_id: item.call_id, output: `ran ${item.name}` };
  if (item.type === 'custom_tool_call') return { type: 'custom_tool_call_output', call_id: item.call_id, output: 'patched' };
  throw new Error(`no output for ${item.type}`);
}

describe('agent loop over /v1/responses (store: false, reasoning in encrypted_content)', () => {
  for (const streaming of [false, true]) {
    test(streaming ? 'responses.stream' : 'responses.create', async () => {
      h.fake.setResponder(byTurn(LOOP));
      const mark = h.fake.requests.length;
      const input: ResponseInputItem[] = [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'You are a coding agent.' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Update notes.txt.' }] },
      ];
      const outputs: Response[] = [];
      for (let i = 0; i < 6; i++) {
        const { response, events } = await turn(streaming, {
          model: 'sonnet', input, tools: CODEX_LIKE_TOOLS, store: false, include: ['reasoning.encrypted_content'],
          reasoning: { summary: 'auto' }, parallel_tool_calls: true, tool_choice: 'auto', prompt_cache_key: 'session-1',
        } as OpenAI.Responses.ResponseCreateParamsNonStreaming);
        outputs.push(response);
        if (streaming) assertStreamAgrees(events, response);
        input.push(...(response.output as ResponseInputItem[]));
        const calls = response.output.filter((o) => o.type === 'function_call' || o.type === 'custom_tool_call');
        if (calls.length === 0) break;
        input.push(...calls.map(toolOutput));
      }
      assert.equal(outputs.length, 4);
      assert.deepEqual(outputs.map((r) => r.status), ['completed', 'completed', 'completed', 'completed']);

      const [first, second, third, last] = outputs;
      assert.deepEqual(first!.output.map((o) => o.type), ['reasoning', 'message', 'function_call']);
      const reasoning = first!.output[0] as OpenAI.Responses.ResponseReasoningItem;
      assert.deepEqual(reasoning.summary, [{ type: 'summary_text', text: 'I should read the notes first.' }]);
      assert.match(reasoning.encrypted_content ?? '', /^cgr1\./);
      assert.ok(!(reasoning.encrypted_content ?? '').includes('notes'), 'the thinking is not readable in encrypted_content');
      const call = first!.output[2] as OpenAI.Responses.ResponseFunctionToolCall;
      assert.equal(call.name, 'exec_command');
      assert.deepEqual(JSON.parse(call.arguments), { cmd: 'cat notes.txt' });
      const patch = second!.output[1] as OpenAI.Responses.ResponseCustomToolCall;
      assert.equal(patch.type, 'custom_tool_call');
      assert.equal(patch.input, PATCH, 'a free-text tool call carries the raw text');
      const spawn = third!.output[0] as OpenAI.Responses.ResponseFunctionToolCall & { namespace?: string };
      assert.deepEqual([spawn.name, spawn.namespace], ['spawn_agent', 'agents'], 'a namespaced tool goes back under its namespace');
      assert.equal(last!.output_text, 'All done: notes.txt now says new.');
      assert.ok(last!.usage!.input_tokens > 0);

      // Upstream: the signed thinking came back from encrypted_content, the custom call as {input}, names flattened.
      const calls = messageCalls(h.fake.requests, mark);
      assert.equal(calls.length, 4);
      const sent = calls[3]!.body;
      assert.deepEqual(sent.tools.map((t: any) => t.name), ['exec_command', 'apply_patch', 'agents__spawn_agent']);
      const assistants = sent.messages.filter((m: any) => m.role === 'assistant');
      assert.deepEqual(assistants[0].content.map((b: any) => b.type), ['thinking', 'text', 'tool_use']);
      assert.equal(assistants[0].content[0].thinking, 'I should read the notes first.');
      assert.ok(assistants[0].content[0].signature.length > 0);
      assert.deepEqual(assistants[1].content[1], { type: 'tool_use', id: patch.call_id, name: 'apply_patch', input: { input: PATCH } });
      assert.equal(assistants[2].content[0].name, 'agents__spawn_agent');
      assert.equal(sent.system[0].text, 'You are a coding agent.');
    });
  }
});

/** Deltas add up to the finished items, and the final event carries the response the SDK returns. */
function assertStreamAgrees(events: ResponseStreamEvent[], response: Response): void {
  assert.deepEqual(events.slice(0, 2).map((e) => e.type), ['response.created', 'response.in_progress']);
  const final = events[events.length - 1]!;
  assert.equal(final.type, 'response.completed');
  const done = events.filter((e) => e.type === 'response.output_item.done').map((e) => (e as { item: unknown }).item);
  assert.deepEqual(done, stripSdkExtras(response.output), 'output_item.done items are the final output');
  for (const item of response.output) {
    if (item.type === 'message') {
      const text = events.filter((e) => e.type === 'response.output_text.delta' && e.item_id === item.id).map((e) => (e as { delta: string }).delta).join('');
      assert.equal(text, (item.content[0] as { text: string }).text);
    }
    if (item.type === 'custom_tool_call') {
      const text = events.filter((e) => e.type === 'response.custom_tool_call_input.delta' && e.item_id === item.id).map((e) => (e as { delta: string }).delta).join('');
      assert.equal(text, item.input);
    }
    if (item.type === 'reasoning' && item.summary.length > 0) {
      const text = events.filter((e) => e.type === 'response.reasoning_summary_text.delta' && e.item_id === item.id).map((e) => (e as { delta: string }).delta).join('');
      assert.equal(text, item.summary[0]!.text);
    }
  }
}

describe('requests and errors', () => {
  test('a string input, instructions and structured output', async () => {
    h.fake.setResponder(() => ({ content: [{ type: 'text', text: '{"answer":"42"}' }], stopReason: 'end_turn' }));
    const mark = h.fake.requests.length;
    const response = await client.responses.create({
      model: 'sonnet',
      instructions: 'Answer in JSON.',
      input: 'What is six times seven?',
      max_output_tokens: 500,
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false }, strict: true } },
      metadata: { ticket: 'T-1' },
    });
    assertValidResponse(response);
    assert.equal(response.output_text, '{"answer":"42"}');
    assert.equal(response.instructions, 'Answer in JSON.');
    assert.deepEqual(response.metadata, { ticket: 'T-1' });
    assert.equal(response.max_output_tokens, 500);
    assert.match(response.id, /^resp_/);
    const sent = messageCalls(h.fake.requests, mark)[0]!.body;
    assert.equal(sent.system[0].text, 'Answer in JSON.');
    assert.equal(sent.output_config.format.type, 'json_schema');
  });

  test('max_output_tokens reached: status incomplete with its reason, streamed as response.incomplete', async () => {
    h.fake.setResponder(() => ({ content: [{ type: 'text', text: 'Once upon a' }], stopReason: 'max_tokens' }));
    const plain = await client.responses.create({ model: 'sonnet', input: 'Tell a story' });
    assertValidResponse(plain);
    assert.equal(plain.status, 'incomplete');
    assert.deepEqual(plain.incomplete_details, { reason: 'max_output_tokens' });
    const stream = client.responses.stream({ model: 'sonnet', input: 'Tell a story' });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    assertValidEvents(events);
    assert.equal(events[events.length - 1]!.type, 'response.incomplete');
  });

  test('invalid fields are a 400 in the OpenAI error shape naming the field', async () => {
    for (const [body, param] of [
      [{ model: 'sonnet', input: 'hi', temperature: 7 }, 'temperature'],
      [{ model: 'sonnet', input: 42 }, 'input'],
      [{ model: 'sonnet', input: 'hi', reasoning: { summary: 'loud' } }, 'reasoning.summary'],
      [{ model: 'sonnet', input: [{ type: 'function_call_output', output: 'x' }] }, 'input[0].call_id'],
      [{ model: 'sonnet', input: 'hi', background: true }, 'background'],
    ] as const) {
      await assert.rejects(client.responses.create(body as never), (error: unknown) => {
        assert.ok(error instanceof BadRequestError, String(error));
        assert.equal((error.error as { param?: string }).param, param);
        return true;
      });
    }
  });

  test('an upstream error mid-stream ends the stream with response.failed', async () => {
    h.fake.setResponder(() => ({ content: [{ type: 'text', text: 'Partial answer that goes on' }], stopReason: 'end_turn', errorEventAfter: 2, errorEvent: { type: 'overloaded_error', message: 'Overloaded' } }));
    const stream = client.responses.stream({ model: 'sonnet', input: 'hi' });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    assertValidEvents(events);
    const last = events[events.length - 1]!;
    assert.equal(last.type, 'response.failed');
    const failed = (last as OpenAI.Responses.ResponseFailedEvent).response;
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error?.code, 'server_error');
    // The usage record says what failed, and counts what the upstream billed before it did.
    const row = () => h.app.gatewayContext.store.db.prepare("SELECT * FROM usage_records WHERE endpoint = 'responses' AND error_type LIKE '%overloaded%'").get() as any;
    await eventually(() => row() !== undefined, 5000, 'the failed stream to be recorded');
    assert.ok(row().input_tokens > 0);
  });
});
