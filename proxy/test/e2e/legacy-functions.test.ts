// Legacy `functions` through the `openai` SDK: the call comes back as `message.function_call` with
// `finish_reason: "function_call"` (streamed as `delta.function_call`), and the `role: "function"` result
// round-trips to a final answer. Claude is asked for one call per turn, as that API carries only one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { GATEWAY_KEY, startHarness, type Harness } from '../helpers/harness.ts';
import { messageCalls } from './scripted-model.ts';

let h: Harness;
let client: OpenAI;
before(async () => {
  h = await startHarness({ listen: true });
  client = new OpenAI({ baseURL: h.baseURL, apiKey: GATEWAY_KEY, maxRetries: 0 });
});
after(() => h.close());

const FUNCTIONS = [
  { name: 'get_weather', description: 'Weather for a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
];

const ASK = 'CALL get_weather {"city":"Lyon"}\nCALL get_weather {"city":"Paris"}';

for (const model of ['claude-sonnet-4-5', 'claude-opus-5-5']) {
  describe(`legacy functions on ${model}`, () => {
    test('not streamed: function_call and finish_reason function_call, then the function result round-trips', async () => {
      const mark = h.fake.requests.length;
      const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: ASK }];
      const first = await client.chat.completions.create({ model, messages, functions: FUNCTIONS });
      const choice = first.choices[0]!;
      assert.equal(choice.finish_reason, 'function_call');
      assert.deepEqual(choice.message.function_call, { name: 'get_weather', arguments: '{"city":"Lyon"}' });
      assert.equal(choice.message.tool_calls, undefined);
      assert.equal(messageCalls(h.fake.requests, mark)[0]!.body.tool_choice.disable_parallel_tool_use, true);

      messages.push({ role: 'assistant', content: choice.message.content, function_call: choice.message.function_call! });
      messages.push({ role: 'function', name: 'get_weather', content: '{"temp":21}' });
      const second = await client.chat.completions.create({ model, messages, functions: FUNCTIONS });
      assert.equal(second.choices[0]!.finish_reason, 'stop');
      assert.equal(second.choices[0]!.message.content, 'Tool results received: 1');
      const sent = messageCalls(h.fake.requests, mark)[1]!.body.messages;
      assert.equal(sent[1].content.find((b: { type: string }) => b.type === 'tool_use').name, 'get_weather');
      assert.equal(sent[2].content[0].type, 'tool_result');
    });

    test('streamed: delta.function_call with the name first, then the arguments', async () => {
      const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: ASK }], functions: FUNCTIONS, stream: true });
      let name: string | undefined;
      let args = '';
      let finish: string | null = null;
      let toolCallDeltas = 0;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        if (!choice) continue;
        const call = choice.delta.function_call;
        if (call?.name) name = call.name;
        args += call?.arguments ?? '';
        if (choice.delta.tool_calls) toolCallDeltas++;
        finish = choice.finish_reason ?? finish;
      }
      assert.equal(name, 'get_weather');
      assert.deepEqual(JSON.parse(args), { city: 'Lyon' });
      assert.equal(finish, 'function_call');
      assert.equal(toolCallDeltas, 0);
    });
  });
}

test('tools and functions together: tools win, answered as tool_calls', async () => {
  const completion = await client.chat.completions.create({
    model: 'claude-sonnet-4-5',
    messages: [{ role: 'user', content: 'CALL get_weather {"city":"Lyon"}' }],
    tools: [{ type: 'function', function: FUNCTIONS[0]! }],
  });
  assert.equal(completion.choices[0]!.finish_reason, 'tool_calls');
  assert.equal(completion.choices[0]!.message.function_call, undefined);
});
