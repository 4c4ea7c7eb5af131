// Plugin tools end to end with the openai SDK against a listening gateway: a multi-step loop the client never
// sees (streamed and not), a turn mixing plugin and client calls across two requests, plugins that throw or
// time out, and per-project allowed_tools.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { startFakeAnthropic, type FakeAnthropic, type FakePlan, type RecordedRequest } from '../fake-anthropic/index.ts';
import { contentBlocks } from '../fake-anthropic/prompt-layout.ts';
import { GATEWAY_KEY, UPSTREAM_KEY } from '../helpers/harness.ts';
import { removeDir, startExtensionGateway, tempDataDir, type ExtensionGateway } from './extension-harness.ts';

const PLUGINS: Record<string, string> = {
  'lookup.mjs': `
export const name = 'lookup_ticket';
export const description = 'Looks up a ticket by id.';
export const schema = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
export async function handler(input) {
  if (input.id === 'T-2') return { id: 'T-2', status: 'open' };
  return 'Ticket ' + input.id + ' is blocked by T-2';
}
`,
  'broken.mjs': `
export const name = 'broken';
export function handler() { throw new Error('kaboom'); }
`,
  'slow.mjs': `
export const name = 'slow';
export function handler(_input, ctx) {
  return new Promise((resolve) => { const t = setTimeout(() => resolve('late'), 5000); ctx.signal.addEventListener('abort', () => clearTimeout(t)); });
}
`,
};

const OUTPUT_TOKENS = 7;

function firstUserText(messages: any[]): string {
  const first = messages.find((m) => m.role === 'user');
  return contentBlocks(first?.content)
    .filter((b) => b.type === 'text')
    .map((b) => b.text)
    .join('\n');
}

function resultsOf(messages: any[]): any[] {
  return contentBlocks(messages.at(-1)?.content).filter((b) => b.type === 'tool_result');
}

function resultText(result: any): string {
  return typeof result.content === 'string' ? result.content : contentBlocks(result.content).map((b) => b.text).join('');
}

/** The model's side of each scenario, chosen by a marker in the first user message. */
function scripted(req: RecordedRequest): FakePlan {
  const messages: any[] = req.body?.messages ?? [];
  const scenario = firstUserText(messages);
  const results = resultsOf(messages);
  const plan = (content: FakePlan['content']): FakePlan => ({ content, outputTokens: OUTPUT_TOKENS });
  if (scenario.includes('SCENARIO chain')) {
    if (results.length === 0) return plan([{ type: 'text', text: 'Checking T-1.' }, { type: 'tool_use', name: 'lookup_ticket', input: { id: 'T-1' } }]);
    const text = resultText(results[0]);
    if (text.includes('blocked by T-2')) return plan([{ type: 'text', text: 'Now T-2.' }, { type: 'tool_use', name: 'lookup_ticket', input: { id: 'T-2' } }]);
    return plan([{ type: 'text', text: `T-1 waits for T-2, which is open (${text}).` }]);
  }
  if (scenario.includes('SCENARIO mixed')) {
    if (results.length === 0) {
      return plan([
        { type: 'tool_use', name: 'lookup_ticket', input: { id: 'T-9' } },
        { type: 'tool_use', name: 'edit_file', input: { path: 'a.ts' } },
      ]);
    }
    return plan([{ type: 'text', text: `Got ${results.length} results: ${results.map(resultText).join(' | ')}` }]);
  }
  if (scenario.includes('SCENARIO errors')) {
    if (results.length === 0) return plan([{ type: 'tool_use', name: 'broken', input: {} }, { type: 'tool_use', name: 'slow', input: {} }]);
    return plan([{ type: 'text', text: results.map((r) => `${r.is_error === true ? 'error' : 'ok'}: ${resultText(r)}`).join('\n') }]);
  }
  const offered = (req.body?.tools ?? []).map((t: any) => t.name).join(',');
  return plan([{ type: 'text', text: `tools offered: ${offered}` }]);
}

const EDIT_TOOL: ChatCompletionTool = {
  type: 'function',
  function: { name: 'edit_file', description: 'Edits a file.', parameters: { type: 'object', properties: { path: { type: 'string' } } } },
};

describe('plugin tools', () => {
  let fake: FakeAnthropic;
  let gw: ExtensionGateway;
  let dir: string;
  let client: OpenAI;

  before(async () => {
    fake = await startFakeAnthropic({ apiKey: UPSTREAM_KEY, respond: scripted });
    dir = tempDataDir();
    mkdirSync(join(dir, 'plugins'));
    for (const [file, source] of Object.entries(PLUGINS)) writeFileSync(join(dir, 'plugins', file), source);
    gw = await startExtensionGateway({ fake, dataDir: dir, listen: true, config: { enablePluginTools: true, pluginToolTimeoutMs: 200 } });
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: GATEWAY_KEY, maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await fake.close();
    removeDir(dir);
  });

  const upstream = () => fake.requests.filter((r) => r.path === '/v1/messages');

  test('a three-round loop is one completion: all the text, no plugin calls, summed usage', async () => {
    const before = upstream().length;
    const completion = await client.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'SCENARIO chain: why is T-1 stuck?' }] });
    const sent = upstream().slice(before);
    assert.equal(sent.length, 3, 'three upstream rounds');
    assert.deepEqual(sent[0]!.body.tools.map((t: any) => t.name), ['broken', 'lookup_ticket', 'repo_map', 'slow']);
    assert.deepEqual(sent[2]!.body.messages.map((m: any) => m.role), ['user', 'assistant', 'user', 'assistant', 'user']);

    const choice = completion.choices[0]!;
    assert.equal(choice.message.content, 'Checking T-1.\n\nNow T-2.\n\nT-1 waits for T-2, which is open ({"id":"T-2","status":"open"}).');
    assert.equal(choice.message.tool_calls, undefined);
    assert.equal(choice.finish_reason, 'stop');
    assert.match(completion.id, /^chatcmpl-/);
    assert.equal(completion.usage!.completion_tokens, 3 * OUTPUT_TOKENS);
    assert.equal(completion.usage!.total_tokens, completion.usage!.prompt_tokens + 3 * OUTPUT_TOKENS);
    const firstRoundInput = completion.usage!.prompt_tokens;
    assert.ok(firstRoundInput > 0);
  });

  test('the same loop streamed: one id, the text of every round, no tool call deltas, summed usage', async () => {
    const before = upstream().length;
    const stream = await client.chat.completions.create({
      model: 'sonnet',
      messages: [{ role: 'user', content: 'SCENARIO chain: why is T-1 stuck?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    assert.equal(upstream().length - before, 3);
    assert.equal(new Set(chunks.map((c) => c.id)).size, 1, 'one id for the whole answer');
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    assert.equal(text, 'Checking T-1.\n\nNow T-2.\n\nT-1 waits for T-2, which is open ({"id":"T-2","status":"open"}).');
    assert.equal(chunks.some((c) => c.choices[0]?.delta?.tool_calls), false);
    const finishes = chunks.flatMap((c) => c.choices.map((ch) => ch.finish_reason)).filter(Boolean);
    assert.deepEqual(finishes, ['stop']);
    const usage = chunks.at(-1)!.usage!;
    assert.deepEqual(chunks.at(-1)!.choices, []);
    assert.equal(usage.completion_tokens, 3 * OUTPUT_TOKENS);
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
    // The non-streamed run of the same conversation counted the same prompt tokens.
    const again = await client.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'SCENARIO chain: why is T-1 stuck?' }] });
    assert.equal(usage.prompt_tokens, again.usage!.prompt_tokens);
  });

  for (const streamed of [false, true]) {
    test(`mixed plugin and client calls across two requests (${streamed ? 'streamed' : 'not streamed'})`, async () => {
      const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: `SCENARIO mixed ${streamed}` }];
      const first = await ask(client, messages, [EDIT_TOOL], streamed);
      assert.equal(first.finish, 'tool_calls');
      assert.deepEqual(first.toolCalls.map((c) => [c.function.name, JSON.parse(c.function.arguments)]), [['edit_file', { path: 'a.ts' }]]);

      messages.push({ role: 'assistant', content: first.content || null, tool_calls: first.toolCalls });
      messages.push({ role: 'tool', tool_call_id: first.toolCalls[0]!.id, content: 'edited a.ts' });
      const before = upstream().length;
      const second = await ask(client, messages, [EDIT_TOOL], streamed);
      assert.equal(second.content, 'Got 2 results: Ticket T-9 is blocked by T-2 | edited a.ts');

      // Upstream saw the whole exchange: the plugin call beside the client's, and both results.
      const sent = upstream()[before]!.body;
      const assistant = sent.messages[1];
      assert.deepEqual(assistant.content.map((b: any) => [b.type, b.name]), [['tool_use', 'lookup_ticket'], ['tool_use', 'edit_file']]);
      assert.deepEqual(sent.messages[2].content.map((b: any) => [b.type, b.tool_use_id]), [
        ['tool_result', assistant.content[0].id],
        ['tool_result', assistant.content[1].id],
      ]);
    });
  }

  test('a plugin that throws and one that times out reach the model as tool errors', async () => {
    const before = upstream().length;
    const completion = await client.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'SCENARIO errors' }] });
    assert.equal(completion.choices[0]!.message.content, 'error: Tool broken failed: kaboom\nerror: Tool slow did not finish within 0.2s.');
    const results = upstream()[before + 1]!.body.messages.at(-1).content;
    assert.deepEqual(results.map((r: any) => [r.is_error, r.content]), [
      [true, 'Tool broken failed: kaboom'],
      [true, 'Tool slow did not finish within 0.2s.'],
    ]);
    const health = await gw.app.inject({ method: 'GET', url: '/health' });
    assert.equal(health.statusCode, 200, 'the gateway is still up');
  });

  test("the client's own tool of the same name wins, and a forced tool choice offers no plugin tools", async () => {
    const own: ChatCompletionTool = { type: 'function', function: { name: 'lookup_ticket', parameters: { type: 'object', properties: {} } } };
    const a = await client.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'plain' }], tools: [own] });
    assert.equal(a.choices[0]!.message.content, 'tools offered: lookup_ticket,broken,repo_map,slow');
    const before = upstream().length;
    await client.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: 'plain' }], tools: [EDIT_TOOL], tool_choice: 'required' });
    assert.deepEqual(upstream()[before]!.body.tools.map((t: any) => t.name), ['edit_file']);
  });

  test('GET /admin/tools lists built-ins, plugins and load problems', async () => {
    const res = await gw.app.inject({ method: 'GET', url: '/admin/tools?project=default', headers: gw.admin });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.enabled, true);
    assert.deepEqual(body.data.map((t: any) => [t.name, t.source, t.allowed]), [
      ['broken', 'plugin', true],
      ['lookup_ticket', 'plugin', true],
      ['repo_map', 'builtin', true],
      ['slow', 'plugin', true],
    ]);
    assert.deepEqual(body.errors, []);
  });
});

describe('plugin tools per project (allowed_tools)', () => {
  test('a project sees only the tools it allows', async () => {
    const fake = await startFakeAnthropic({ apiKey: UPSTREAM_KEY, respond: scripted });
    const dir = tempDataDir();
    const gw = await startExtensionGateway({ fake, dataDir: dir, config: { enablePluginTools: true, enableMultiProject: true } });
    try {
      const created = await gw.app.inject({ method: 'POST', url: '/admin/projects', headers: gw.admin, payload: { name: 'narrow', allowedTools: [] } });
      assert.equal(created.statusCode, 201, created.body);
      const key = await gw.app.inject({ method: 'POST', url: `/admin/projects/${created.json().id}/keys`, headers: gw.admin, payload: {} });
      const res = await gw.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: { authorization: `Bearer ${key.json().key}` },
        payload: { model: 'sonnet', messages: [{ role: 'user', content: 'plain' }] },
      });
      assert.equal(res.json().choices[0].message.content, 'tools offered: ');
      const listed = await gw.app.inject({ method: 'GET', url: `/admin/tools?project=${created.json().id}`, headers: gw.admin });
      assert.deepEqual(listed.json().data.map((t: any) => [t.name, t.allowed]), [['repo_map', false]]);
    } finally {
      await gw.close();
      await fake.close();
      removeDir(dir);
    }
  });
});

interface Answer {
  content: string;
  finish: string | null;
  toolCalls: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
}

async function ask(client: OpenAI, messages: ChatCompletionMessageParam[], tools: ChatCompletionTool[], streamed: boolean): Promise<Answer> {
  if (!streamed) {
    const completion = await client.chat.completions.create({ model: 'sonnet', messages, tools });
    const message = completion.choices[0]!.message;
    return { content: message.content ?? '', finish: completion.choices[0]!.finish_reason, toolCalls: (message.tool_calls ?? []) as Answer['toolCalls'] };
  }
  const stream = await client.chat.completions.create({ model: 'sonnet', messages, tools, stream: true });
  const answer: Answer = { content: '', finish: null, toolCalls: [] };
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    if (!choice) continue;
    answer.content += choice.delta.content ?? '';
    for (const call of choice.delta.tool_calls ?? []) {
      const slot = (answer.toolCalls[call.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
      if (call.id) slot.id = call.id;
      if (call.function?.name) slot.function.name = call.function.name;
      slot.function.arguments += call.function?.arguments ?? '';
    }
    if (choice.finish_reason) answer.finish = choice.finish_reason;
  }
  return answer;
}
