// Vercel's `ai` SDK with its OpenAI-compatible provider drives a listening gateway: multi-step tool loops with
// zod tools and parallel calls (generateText and streamText), usage per step, and reasoning with thinking kept
// across the tool turn.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, stepCountIs, streamText, tool, type LanguageModelUsage } from 'ai';
import { z } from 'zod';
import { GATEWAY_KEY, startHarness, type Harness } from '../helpers/harness.ts';
import { byTurn, messageCalls } from './scripted-model.ts';
import { expectedOpenAIUsage, tapUpstream, upstreamContent, upstreamUsage, type UpstreamExchange, type UpstreamTap } from './upstream-tap.ts';

let h: Harness;
let tap: UpstreamTap;
let gateway: ReturnType<typeof createOpenAICompatible>;

before(async () => {
  h = await startHarness({ listen: true });
  tap = tapUpstream(h);
  gateway = createOpenAICompatible({ name: 'gateway', baseURL: h.baseURL, apiKey: GATEWAY_KEY, includeUsage: true });
});
after(() => h.close());

const WEATHER: Record<string, number> = { Paris: 18, Oslo: 7 };

const tools = {
  get_weather: tool({
    description: 'Current temperature of a city in Celsius.',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, celsius: WEATHER[city] ?? 0 }),
  }),
  to_fahrenheit: tool({
    description: 'Convert Celsius to Fahrenheit.',
    inputSchema: z.object({ celsius: z.number() }),
    execute: async ({ celsius }) => ({ fahrenheit: (celsius * 9) / 5 + 32 }),
  }),
};

const FINAL = 'Paris is warmer: 18 °C (64.4 °F); Oslo has 7 °C.';

// Two lookups at once, one conversion, then the answer.
const SCRIPT = byTurn([
  {
    content: [
      { type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', name: 'get_weather', input: { city: 'Oslo' } },
    ],
    stopReason: 'tool_use',
  },
  { content: [{ type: 'text', text: 'Converting.' }, { type: 'tool_use', name: 'to_fahrenheit', input: { celsius: 18 } }], stopReason: 'tool_use' },
  { content: [{ type: 'text', text: FINAL }], stopReason: 'end_turn' },
]);

interface StepView {
  finishReason: string;
  toolCalls: Array<{ toolCallId: string; toolName: string; input: unknown }>;
  toolResults: Array<{ toolCallId: string; output: unknown }>;
  usage: LanguageModelUsage;
}

/** The SDK's usage for one step, from what the upstream reported for that call. */
function assertStepUsage(usage: LanguageModelUsage, exchange: UpstreamExchange, label: string): void {
  const expected = expectedOpenAIUsage(upstreamUsage(exchange));
  assert.equal(usage.inputTokens, expected.prompt_tokens, `${label}: input tokens`);
  assert.equal(usage.outputTokens, expected.completion_tokens, `${label}: output tokens`);
  assert.equal(usage.totalTokens, expected.total_tokens, `${label}: total tokens`);
  assert.equal(usage.inputTokenDetails.cacheReadTokens, expected.prompt_tokens_details.cached_tokens, `${label}: cache read`);
}

function assertAgentRun(steps: readonly StepView[], text: string, totalUsage: LanguageModelUsage, mark: number, tapMark: number): void {
  assert.equal(text, FINAL);
  assert.deepEqual(steps.map((s) => s.finishReason), ['tool-calls', 'tool-calls', 'stop']);
  const exchanges = tap.since(tapMark);
  assert.equal(exchanges.length, 3);
  const issued = exchanges.slice(0, 2).map((x) => upstreamContent(x).filter((b) => b.type === 'tool_use').map((b) => b.id as string));

  // Step 1: both parallel calls with the upstream's ids, both executed.
  assert.deepEqual(
    steps[0]!.toolCalls.map((c) => [c.toolCallId, c.toolName, c.input]),
    [
      [issued[0]![0], 'get_weather', { city: 'Paris' }],
      [issued[0]![1], 'get_weather', { city: 'Oslo' }],
    ],
  );
  assert.deepEqual(
    steps[0]!.toolResults.map((r) => [r.toolCallId, r.output]),
    [
      [issued[0]![0], { city: 'Paris', celsius: 18 }],
      [issued[0]![1], { city: 'Oslo', celsius: 7 }],
    ],
  );
  assert.deepEqual(steps[1]!.toolCalls.map((c) => [c.toolCallId, c.toolName, c.input]), [[issued[1]![0], 'to_fahrenheit', { celsius: 18 }]]);
  assert.deepEqual(steps[1]!.toolResults.map((r) => r.output), [{ fahrenheit: 64.4 }]);

  // Upstream: the results of step 1 went up together, first in one user turn, under the same ids.
  const calls = messageCalls(h.fake.requests, mark);
  assert.equal(calls.length, 3);
  const second = calls[1]!.body.messages;
  assert.deepEqual(second.map((m: any) => m.role), ['user', 'assistant', 'user']);
  assert.deepEqual(second[1].content.map((b: any) => [b.type, b.id, b.input]), [
    ['tool_use', issued[0]![0], { city: 'Paris' }],
    ['tool_use', issued[0]![1], { city: 'Oslo' }],
  ]);
  assert.deepEqual(
    second[2].content.map((b: any) => [b.type, b.tool_use_id, JSON.parse(b.content)]),
    [
      ['tool_result', issued[0]![0], { city: 'Paris', celsius: 18 }],
      ['tool_result', issued[0]![1], { city: 'Oslo', celsius: 7 }],
    ],
  );
  const third = calls[2]!.body.messages;
  assert.deepEqual(third.slice(0, 3), second, 'history resent unchanged');
  assert.deepEqual(third[3].content, [
    { type: 'text', text: 'Converting.' },
    { type: 'tool_use', id: issued[1]![0], name: 'to_fahrenheit', input: { celsius: 18 } },
  ]);
  assert.equal(third[4].content[0].tool_use_id, issued[1]![0]);
  assert.deepEqual(calls[0]!.body.tools.map((t: any) => [t.name, t.input_schema.properties]), [
    ['get_weather', { city: { type: 'string' } }],
    ['to_fahrenheit', { celsius: { type: 'number' } }],
  ]);

  // Usage per step is the upstream's, and the total adds up.
  steps.forEach((step, i) => assertStepUsage(step.usage, exchanges[i]!, `step ${i + 1}`));
  const sum = (pick: (u: LanguageModelUsage) => number | undefined) => steps.reduce((n, s) => n + (pick(s.usage) ?? 0), 0);
  assert.equal(totalUsage.inputTokens, sum((u) => u.inputTokens));
  assert.equal(totalUsage.outputTokens, sum((u) => u.outputTokens));
  assert.ok((totalUsage.inputTokens ?? 0) > 0 && (totalUsage.outputTokens ?? 0) > 0);
}

describe('multi-step tool loop', () => {
  test('generateText runs parallel zod tools until the model answers', async () => {
    h.fake.setResponder(SCRIPT);
    const mark = h.fake.requests.length;
    const tapMark = tap.exchanges.length;
    const result = await generateText({
      model: gateway.chatModel('sonnet'),
      tools,
      stopWhen: stepCountIs(5),
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(20_000),
      prompt: 'Which is warmer, Paris or Oslo? Give Fahrenheit for the warmer one.',
    });
    assertAgentRun(result.steps, result.text, result.totalUsage, mark, tapMark);
    for (const call of messageCalls(h.fake.requests, mark)) assert.equal(call.body.stream, false);
  });

  test('streamText runs the same loop over SSE with usage on every step', async () => {
    h.fake.setResponder(SCRIPT);
    const mark = h.fake.requests.length;
    const tapMark = tap.exchanges.length;
    const result = streamText({
      model: gateway.chatModel('sonnet'),
      tools,
      stopWhen: stepCountIs(5),
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(20_000),
      prompt: 'Which is warmer, Paris or Oslo? Give Fahrenheit for the warmer one.',
    });
    const parts: string[] = [];
    for await (const part of result.fullStream) {
      parts.push(part.type);
      if (part.type === 'error') throw part.error;
    }
    assertAgentRun(await result.steps, await result.text, await result.totalUsage, mark, tapMark);
    assert.equal(parts.filter((p) => p === 'tool-call').length, 3);
    assert.equal(parts.filter((p) => p === 'tool-result').length, 3);
    for (const call of messageCalls(h.fake.requests, mark)) assert.equal(call.body.stream, true);
  });
});

describe('reasoning', () => {
  for (const streaming of [false, true]) {
    test(`${streaming ? 'streamText' : 'generateText'}: reasoning_content becomes reasoning text and thinking survives the tool turn`, async () => {
      h.fake.setResponder(undefined);
      const mark = h.fake.requests.length;
      const tapMark = tap.exchanges.length;
      const prompt = `CALL get_weather {"city": "Paris"}\n(${streaming ? 'stream' : 'generate'})`;
      const options = {
        model: gateway.chatModel('claude-haiku-4-5'),
        tools,
        stopWhen: stepCountIs(3),
        maxRetries: 0,
        abortSignal: AbortSignal.timeout(20_000),
        prompt,
        providerOptions: { gateway: { reasoningEffort: 'high' } },
      };
      let steps;
      if (streaming) {
        const result = streamText(options);
        await result.consumeStream({ onError: (error) => assert.fail(String(error)) });
        steps = await result.steps;
      } else {
        steps = (await generateText(options)).steps;
      }
      assert.equal(steps.length, 2);
      assert.equal(steps[0]!.reasoningText, `Considering: ${prompt}`);
      assert.deepEqual(steps[0]!.toolResults.map((r) => r.output), [{ city: 'Paris', celsius: 18 }]);
      assert.equal(steps[1]!.text, 'Tool results received: 1');

      const calls = messageCalls(h.fake.requests, mark);
      assert.equal(calls.length, 2);
      assert.deepEqual(calls[0]!.body.thinking, { type: 'enabled', budget_tokens: 16384 });
      const thinking = upstreamContent(tap.since(tapMark)[0]!).find((b) => b.type === 'thinking');
      const assistant = calls[1]!.body.messages[1];
      assert.deepEqual(assistant.content[0], { type: 'thinking', thinking: thinking.thinking, signature: thinking.signature });
      assert.equal(assistant.content[1].type, 'tool_use');
      assert.equal(assistant.content.length, 2, 'the reasoning text the SDK sends back is not added twice');
    });
  }
});
