// Stored responses and conversation state over /v1/responses, through the `openai` SDK: previous_response_id
// continues from the store, GET / input_items / DELETE, input_tokens, project ownership, and reasoning sealed
// in encrypted_content surviving a restart (same DATA_DIR) while a tampered one is dropped with a note; and
// prompt_cache_key naming the conversation, on the Responses API and on chat completions.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import OpenAI, { NotFoundError } from 'openai';
import type { ResponseInputItem } from 'openai/resources/responses/responses';
import { Agent } from 'undici';
import { createReasoningSeal } from '../../src/translate/responses/reasoning-seal.ts';
import type { FakePlan } from '../fake-anthropic/types.ts';
import { ADMIN_KEY, startHarness, type Harness } from '../helpers/harness.ts';
import { assertValidAs, assertValidResponse, CODEX_LIKE_TOOLS, responsesClient } from './responses-helpers.ts';
import { byTurn, messageCalls } from './scripted-model.ts';

const pool = new Agent();
const dataDir = mkdtempSync(join(tmpdir(), 'cg-responses-'));
let h: Harness;
let client: OpenAI;
before(async () => {
  h = await startHarness({ listen: true, config: { dataDir, enableMultiProject: true } });
  client = responsesClient(h, pool);
});
after(async () => {
  await pool.destroy();
  await h.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const THINK_THEN_CALL: FakePlan[] = [
  { content: [{ type: 'thinking', thinking: 'List the folder first.' }, { type: 'tool_use', name: 'exec_command', input: { cmd: 'ls' } }], stopReason: 'tool_use' },
  { content: [{ type: 'text', text: 'The folder holds notes.txt.' }], stopReason: 'end_turn' },
];
const tools = CODEX_LIKE_TOOLS.slice(0, 1);

describe('previous_response_id and the stored response', () => {
  let firstId = '';
  let secondId = '';

  test('a tool turn continues from the store: only the tool output is sent, the whole history goes upstream', async () => {
    h.fake.setResponder(byTurn(THINK_THEN_CALL));
    const mark = h.fake.requests.length;
    const first = await client.responses.create({ model: 'sonnet', input: 'What is in the folder?', tools, reasoning: { effort: 'low', summary: 'auto' } });
    assertValidResponse(first);
    assert.equal((first as { store?: boolean }).store, true);
    assert.equal((first.output[0] as { encrypted_content?: string }).encrypted_content, undefined, 'sealed reasoning is shown only when included');
    const call = first.output.find((o) => o.type === 'function_call')!;
    const second = await client.responses.create({
      model: 'sonnet',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'notes.txt' }],
      tools,
      reasoning: { effort: 'low', summary: 'auto' },
    });
    assertValidResponse(second);
    assert.equal(second.output_text, 'The folder holds notes.txt.');
    assert.equal(second.previous_response_id, first.id);
    const sent = messageCalls(h.fake.requests, mark)[1]!.body;
    assert.deepEqual(sent.messages.map((m: any) => m.role), ['user', 'assistant', 'user']);
    assert.deepEqual(sent.messages[1].content.map((b: any) => b.type), ['thinking', 'tool_use']);
    assert.equal(sent.messages[1].content[0].thinking, 'List the folder first.');
    assert.equal(sent.messages[2].content[0].tool_use_id, call.call_id);
    firstId = first.id;
    secondId = second.id;
  });

  test('GET returns it, input_items lists the chain it continued, DELETE removes it', async () => {
    const got = await client.responses.retrieve(secondId);
    assertValidResponse(got);
    assert.equal(got.output_text, 'The folder holds notes.txt.');
    const withSealed = await client.responses.retrieve(firstId, { include: ['reasoning.encrypted_content'] });
    assert.match((withSealed.output[0] as { encrypted_content?: string }).encrypted_content ?? '', /^cgr1\./);

    const items = await client.responses.inputItems.list(firstId, { order: 'asc' });
    assertValidAs('ResponseItemList', { object: 'list', data: items.data, first_id: items.data[0]?.id, last_id: items.data.at(-1)?.id, has_more: false });
    assert.deepEqual(items.data.map((i) => i.type), ['message']);
    assert.deepEqual((items.data[0] as { content: unknown }).content, [{ type: 'input_text', text: 'What is in the folder?' }]);

    // The second response lists the whole chain it continued, newest first by default, paged with after/limit.
    const chain = await client.responses.inputItems.list(secondId, { order: 'asc' });
    assert.deepEqual(chain.data.map((i) => i.type), ['message', 'reasoning', 'function_call', 'function_call_output']);
    assert.equal((chain.data[1] as { encrypted_content?: string }).encrypted_content, undefined, 'sealed reasoning only when included');
    const newest = await client.responses.inputItems.list(secondId, { limit: 2 });
    assert.deepEqual(newest.data.map((i) => i.type), ['function_call_output', 'function_call']);
    assert.equal(newest.has_more, true);
    const rest = await client.responses.inputItems.list(secondId, { limit: 2, after: newest.data.at(-1)!.id! });
    assert.deepEqual(rest.data.map((i) => i.type), ['reasoning', 'message']);
    assert.equal(rest.has_more, false);
    const sealed = await h.app.inject({ url: `/v1/responses/${secondId}/input_items?order=asc&include[]=reasoning.encrypted_content`, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    assert.match(sealed.json().data[1].encrypted_content, /^cgr1\./);

    const deleted = await client.responses.delete(secondId);
    assert.deepEqual(deleted, { id: secondId, object: 'response', deleted: true });
    await assert.rejects(client.responses.retrieve(secondId), NotFoundError);
    await assert.rejects(client.responses.create({ model: 'sonnet', previous_response_id: secondId, input: 'more' }), NotFoundError);
  });

  test('another project cannot see, continue or delete it', async () => {
    const created = await h.app.inject({ method: 'POST', url: '/admin/projects', headers: { authorization: `Bearer ${ADMIN_KEY}` }, payload: { id: 'other', name: 'Other' } });
    assert.equal(created.statusCode, 201);
    const key = (await h.app.inject({ method: 'POST', url: '/admin/projects/other/keys', headers: { authorization: `Bearer ${ADMIN_KEY}` }, payload: {} })).json().key;
    const other = responsesClient(h, pool, key);
    await assert.rejects(other.responses.retrieve(firstId), NotFoundError);
    await assert.rejects(other.responses.delete(firstId), NotFoundError);
    await assert.rejects(other.responses.create({ model: 'sonnet', previous_response_id: firstId, input: 'hi' }), NotFoundError);
    assert.ok(await client.responses.retrieve(firstId));
  });

  test('store: false keeps nothing', async () => {
    h.fake.setResponder(() => ({ content: [{ type: 'text', text: 'ok' }], stopReason: 'end_turn' }));
    const response = await client.responses.create({ model: 'sonnet', input: 'hi', store: false });
    assert.equal((response as { store?: boolean }).store, false);
    await assert.rejects(client.responses.retrieve(response.id), NotFoundError);
  });

  test('input_tokens counts the request as Claude would see it', async () => {
    const counted = await client.responses.inputTokens.count({ model: 'sonnet', input: 'How many tokens is this?', instructions: 'Be brief.' });
    assertValidAs('TokenCountsResource', counted);
    assert.ok(counted.input_tokens > 0);
  });
});

describe('reasoning in encrypted_content', () => {
  async function firstTurn(c: OpenAI) {
    h.fake.setResponder(byTurn(THINK_THEN_CALL));
    const input: ResponseInputItem[] = [{ role: 'user', content: 'What is in the folder?' }];
    const first = await c.responses.create({ model: 'sonnet', input, tools, store: false, include: ['reasoning.encrypted_content'], reasoning: { summary: 'auto' } });
    const call = first.output.find((o) => o.type === 'function_call')!;
    return [...input, ...(first.output as ResponseInputItem[]), { type: 'function_call_output', call_id: call.call_id, output: 'notes.txt' }] as ResponseInputItem[];
  }

  test('the key is kept 0600 in DATA_DIR; a gateway holding only that key opens what another sealed', async () => {
    assert.equal(statSync(join(dataDir, 'reasoning.key')).mode & 0o777, 0o600);
    const history = await firstTurn(client);
    // A second gateway with its own (empty) store and thinking cache: only the sealed text can carry the thinking.
    const otherDir = mkdtempSync(join(tmpdir(), 'cg-responses-b-'));
    copyFileSync(join(dataDir, 'reasoning.key'), join(otherDir, 'reasoning.key'));
    const restarted = await startHarness({ listen: true, config: { dataDir: otherDir } });
    try {
      restarted.fake.setResponder(byTurn(THINK_THEN_CALL));
      const next = await responsesClient(restarted, pool).responses.create({ model: 'sonnet', input: history, tools, store: false, reasoning: { summary: 'auto' } });
      assert.equal(next.output_text, 'The folder holds notes.txt.');
      const sent = messageCalls(restarted.fake.requests)[0]!.body;
      assert.deepEqual(sent.messages[1].content.map((b: any) => b.type), ['thinking', 'tool_use']);
      assert.equal(sent.messages[1].content[0].thinking, 'List the folder first.');
    } finally {
      await restarted.close();
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  test('a tampered or foreign encrypted_content is dropped with an adjustment note, never forwarded', async () => {
    const history = await firstTurn(client);
    const reasoning = history.find((i) => i.type === 'reasoning') as { encrypted_content: string };
    const sealed = reasoning.encrypted_content;
    // Sealed by someone else's key, claiming a thought Claude never had.
    const foreign = createReasoningSeal(randomBytes(32)).seal([{ type: 'thinking', thinking: 'Injected thought', signature: 'forged' }]);
    const tampered = `${sealed.slice(0, 20)}${sealed[20] === 'A' ? 'B' : 'A'}${sealed.slice(21)}`;
    for (const bad of [tampered, foreign, 'not even sealed']) {
      reasoning.encrypted_content = bad;
      const mark = h.fake.requests.length;
      const raw = await client.responses.create({ model: 'sonnet', input: history, tools, store: false, reasoning: { summary: 'auto' } }).withResponse();
      assert.match(raw.response.headers.get('x-gateway-adjustments') ?? '', /input\[1\] reasoning dropped/);
      const sent = JSON.stringify(messageCalls(h.fake.requests, mark)[0]!.body.messages);
      assert.ok(!sent.includes('Injected thought') && !sent.includes('forged'), 'nothing of the rejected item went upstream');
    }
  });
});

describe('prompt_cache_key names the conversation', () => {
  // A gateway with smart routing, whose route reason shows whether a conversation was recognised.
  let smart: Harness;
  let c: OpenAI;
  const smartPool = new Agent();
  before(async () => {
    smart = await startHarness({ listen: true, config: { enableSmartRouting: true } });
    smart.fake.setResponder(() => ({ content: [{ type: 'text', text: 'ok' }], stopReason: 'end_turn' }));
    c = responsesClient(smart, smartPool);
  });
  after(async () => {
    await smartPool.destroy();
    await smart.close();
  });
  const reason = (raw: { response: Response }) => raw.response.headers.get('x-route-reason') ?? '';
  const design = 'Design the architecture for the billing service and review its security.';
  // A new first message (a compacted thread): the same key keeps the conversation, no key starts afresh. Each
  // test compacts its own thread, so neither meets the other's conversations.
  const compacted = (thread: string) => [
    { role: 'user' as const, content: `Summary of the work on ${thread} so far.` },
    { role: 'assistant' as const, content: 'Noted.' },
    { role: 'user' as const, content: 'Also plan the migration for production.' },
  ];

  test('routing stickiness follows the key when the content that would identify the conversation changes', async () => {
    const ask = (input: string | ResponseInputItem[], key?: string) =>
      c.responses.create({ model: 'auto', input, store: false, ...(key && { prompt_cache_key: key }) }).withResponse();
    assert.match(reason(await ask(design, 'thread-7')), /^smart:/);
    assert.match(reason(await ask(compacted('thread-7'), 'thread-7')), /^sticky:/);
    assert.doesNotMatch(reason(await ask(compacted('thread-7'))), /^sticky:/);
  });

  test('chat completions take the same key, and a key that is not a string is a 400 naming it', async () => {
    const ask = (messages: ReturnType<typeof compacted>, key?: string) =>
      c.chat.completions.create({ model: 'auto', messages, ...(key && { prompt_cache_key: key }) }).withResponse();
    assert.match(reason(await ask([{ role: 'user', content: design }], 'thread-9')), /^smart:/);
    assert.match(reason(await ask(compacted('thread-9'), 'thread-9')), /^sticky:/);
    assert.doesNotMatch(reason(await ask(compacted('thread-9'))), /^sticky:/);
    const bad = c.chat.completions.create({ model: 'auto', messages: compacted('thread-9'), prompt_cache_key: 7 as unknown as string });
    await assert.rejects(bad, (error: { status?: number; param?: string }) => error.status === 400 && error.param === 'prompt_cache_key');
  });
});

