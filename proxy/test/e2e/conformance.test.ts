// Conformance over the wire: a varied set of requests goes through the listening gateway, streamed and not;
// every completion and every chunk must validate against OpenAI's published schemas, and the streamed answer
// must agree with the non-streamed one (content, reasoning, tool calls, finish reason, usage).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { defaultResponder } from '../fake-anthropic/responder.ts';
import type { FakePlan, RecordedRequest } from '../fake-anthropic/types.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { loadOpenAISchemas, OPENAI_SPEC_PATH } from '../helpers/openai-schema.ts';
import { assembleChunks } from './assemble.ts';
import { postJson, postSse } from './raw-sse.ts';
import { messageCalls } from './scripted-model.ts';

let h: Harness;
before(async () => {
  h = await startHarness({ listen: true });
  h.fake.setResponder(respond);
});
after(() => h.close());

const STRUCTURED_ANSWER = '{"answer":"42","confidence":0.9}';

/** The default model, except that a request for structured output gets JSON back. */
function respond(req: RecordedRequest): FakePlan {
  if (req.body?.output_config?.format) return { content: [{ type: 'text', text: STRUCTURED_ANSWER }], stopReason: 'end_turn' };
  return defaultResponder(req);
}

const lookup = { type: 'function', function: { name: 'lookup', description: 'Look a term up.', parameters: { type: 'object', properties: { term: { type: 'string' } } } } };
const readFile = { type: 'function', function: { name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } } };
const applyPatch = { type: 'custom', custom: { name: 'ApplyPatch', description: 'Edit files with a patch.' } };

interface Case {
  name: string;
  body: Record<string, unknown>;
  includeUsage: boolean;
  finish: string;
  /** What the Messages request must carry for this case. */
  upstream?: (body: any) => void;
}

const CASES: Case[] = [
  { name: 'plain text', includeUsage: true, finish: 'stop', body: { model: 'sonnet', messages: [{ role: 'user', content: 'Hello there' }] } },
  {
    name: 'plain text without usage, with a system prompt',
    includeUsage: false,
    finish: 'stop',
    body: { model: 'opus', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] },
  },
  {
    name: 'one tool call',
    includeUsage: true,
    finish: 'tool_calls',
    body: { model: 'sonnet', tools: [lookup], messages: [{ role: 'user', content: 'CALL lookup {"term": "prefix cache"}' }] },
    upstream: (b) => assert.deepEqual(b.tools.map((t: any) => t.name), ['lookup']),
  },
  {
    name: 'parallel tool calls',
    includeUsage: true,
    finish: 'tool_calls',
    body: {
      model: 'sonnet',
      tools: [lookup, readFile],
      parallel_tool_calls: true,
      messages: [{ role: 'user', content: 'CALL read_file {"path": "a.ts"}\nCALL read_file {"path": "b.ts"}\nCALL lookup {"term": "x"}' }],
    },
    upstream: (b) => assert.equal(b.tool_choice, undefined, 'parallel use stays allowed'),
  },
  {
    name: 'a forced tool call without arguments',
    includeUsage: true,
    finish: 'tool_calls',
    body: { model: 'claude-haiku-4-5', tools: [lookup], tool_choice: 'required', messages: [{ role: 'user', content: 'Look something up.' }] },
    upstream: (b) => assert.deepEqual(b.tool_choice, { type: 'any' }),
  },
  {
    name: 'a custom (free-text) tool call',
    includeUsage: true,
    finish: 'tool_calls',
    body: { model: 'sonnet', tools: [applyPatch], messages: [{ role: 'user', content: 'CALL ApplyPatch {"input": "*** Begin Patch\\n*** End Patch\\n"}' }] },
  },
  {
    name: 'thinking with a tool call',
    includeUsage: true,
    finish: 'tool_calls',
    body: { model: 'claude-haiku-4-5', reasoning_effort: 'high', tools: [lookup], messages: [{ role: 'user', content: 'CALL lookup {"term": "thinking"}' }] },
    upstream: (b) => assert.deepEqual(b.thinking, { type: 'enabled', budget_tokens: 16384 }),
  },
  {
    name: 'adaptive thinking with text',
    includeUsage: true,
    finish: 'stop',
    body: { model: 'opus', reasoning_effort: 'low', messages: [{ role: 'user', content: 'Think about caching.' }] },
    upstream: (b) => {
      assert.deepEqual(b.thinking, { type: 'adaptive', display: 'summarized' });
      assert.deepEqual(b.output_config, { effort: 'low' });
    },
  },
  {
    name: 'tool results in the history',
    includeUsage: true,
    finish: 'stop',
    body: {
      model: 'sonnet',
      tools: [readFile],
      messages: [
        { role: 'user', content: 'Read both.' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_a', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } },
            { id: 'call_b', type: 'function', function: { name: 'read_file', arguments: '{"path":"b.ts"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_a', content: 'A' },
        { role: 'tool', tool_call_id: 'call_b', content: 'B' },
      ],
    },
  },
  {
    name: 'json_schema response format',
    includeUsage: true,
    finish: 'stop',
    body: {
      model: 'sonnet',
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'answer',
          strict: true,
          schema: { type: 'object', properties: { answer: { type: 'string' }, confidence: { type: 'number' } }, required: ['answer', 'confidence'], additionalProperties: false },
        },
      },
      messages: [{ role: 'user', content: 'What is the answer?' }],
    },
    upstream: (b) => assert.equal(b.output_config.format.type, 'json_schema'),
  },
  {
    name: 'max_tokens cuts the answer',
    includeUsage: true,
    finish: 'length',
    body: { model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'Repeat a long sentence about prompt caching and tokens.' }] },
    upstream: (b) => assert.equal(b.max_tokens, 5),
  },
  {
    name: 'a stop sequence ends the answer',
    includeUsage: false,
    finish: 'stop',
    body: { model: 'claude-haiku-4-5', stop: ['HALT'], messages: [{ role: 'user', content: 'Say one, two HALT three' }] },
    upstream: (b) => assert.deepEqual(b.stop_sequences, ['HALT']),
  },
];

const schemas = loadOpenAISchemas();
const SKIP_REASON = `OpenAI spec not found at ${OPENAI_SPEC_PATH}: conformance not checked`;

/** The same request answered twice from the same fake state, so ids and usage are comparable. */
async function answerBoth(c: Case) {
  h.fake.reset();
  const json = await postJson(`${h.baseURL}/chat/completions`, h.auth, { ...c.body, stream: false });
  const jsonCall = messageCalls(h.fake.requests)[0]!;
  h.fake.reset();
  const sse = await postSse(`${h.baseURL}/chat/completions`, h.auth, { ...c.body, stream: true, stream_options: { include_usage: c.includeUsage } });
  const streamedCall = messageCalls(h.fake.requests)[0]!;
  return { json, sse, upstreamStreamed: streamedCall.body, upstreamWhole: jsonCall.body };
}

function sameArguments(name: string, streamed: string, whole: string): void {
  if (name === 'ApplyPatch') assert.equal(streamed, whole, 'custom tool text is identical');
  else assert.deepEqual(JSON.parse(streamed), JSON.parse(whole), `${name} arguments`);
}

describe('OpenAI schema conformance and stream agreement over the wire', () => {
  for (const c of CASES) {
    test(c.name, async (t) => {
      if (!schemas) return t.skip(SKIP_REASON);
      const { json, sse, upstreamStreamed, upstreamWhole } = await answerBoth(c);
      assert.equal(json.status, 200, JSON.stringify(json.json));
      assert.equal(sse.status, 200, JSON.stringify(sse.json));
      assert.ok(sse.done, 'the stream ends with [DONE]');
      // Upstream got the same request both times, streaming aside, so the answers are comparable.
      assert.equal(upstreamStreamed.stream, true);
      assert.equal(upstreamWhole.stream, false);
      assert.deepEqual({ ...upstreamStreamed, stream: null }, { ...upstreamWhole, stream: null });
      c.upstream?.(upstreamWhole);

      const completion = json.json;
      assert.deepEqual(schemas.validateCompletion(completion), [], JSON.stringify(completion));
      for (const chunk of sse.json) assert.deepEqual(schemas.validateChunk(chunk), [], JSON.stringify(chunk));
      assert.ok(sse.json.every((chunk) => chunk.id === sse.json[0].id && chunk.object === 'chat.completion.chunk'), 'one id for the whole stream');
      assert.equal(sse.json[0].model, completion.model);

      // Streamed and non-streamed agree.
      const streamed = assembleChunks(sse.json);
      const message = completion.choices[0].message;
      assert.equal(completion.choices[0].finish_reason, c.finish);
      assert.equal(streamed.finishReason, c.finish);
      assert.equal(streamed.content, message.content ?? '');
      assert.equal(streamed.reasoning, message.reasoning_content ?? '');
      const calls = message.tool_calls ?? [];
      assert.equal(streamed.toolCalls.length, calls.length);
      streamed.toolCalls.forEach((call, i) => {
        assert.equal(call.id, calls[i].id);
        assert.equal(call.type, calls[i].type);
        assert.equal(call.function.name, calls[i].function.name);
        sameArguments(call.function.name, call.function.arguments, calls[i].function.arguments);
      });
      if (c.includeUsage) assert.deepEqual(streamed.usage, completion.usage);
      else assert.equal(streamed.usage, undefined, 'no usage chunk unless asked');
      assert.equal(completion.usage.total_tokens, completion.usage.prompt_tokens + completion.usage.completion_tokens);
    });
  }

  test('the cases cover what they claim', async (t) => {
    if (!schemas) return t.skip(SKIP_REASON);
    const seen = { reasoning: false, parallel: false, custom: false, structured: false };
    for (const c of CASES) {
      const { json, upstreamStreamed } = await answerBoth(c);
      const message = json.json.choices[0].message;
      if (message.reasoning_content) seen.reasoning = true;
      if ((message.tool_calls ?? []).length > 1) seen.parallel = true;
      if ((message.tool_calls ?? []).some((call: any) => call.function.name === 'ApplyPatch' && call.function.arguments === '*** Begin Patch\n*** End Patch\n')) seen.custom = true;
      if (upstreamStreamed.output_config?.format && message.content === STRUCTURED_ANSWER) seen.structured = true;
    }
    assert.deepEqual(seen, { reasoning: true, parallel: true, custom: true, structured: true });
  });
});
