// Conversation continuity with thinking on the 5.5 models, which run the prefix check on every thinking block
// sent back: the `openai` SDK drives multi-turn tool loops through listening gateways in front of the fake
// Anthropic, which signs each block with the model and the prefix that produced it and refuses (400) any block
// whose prefix changed. Every loop must finish without an error; the figures are printed for the record.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { NO_REDUCTION } from '../../src/reduce/settings.ts';
import type { ScaleOut } from '../../src/shared-state/scale-out.ts';
import { ADMIN_KEY, GATEWAY_KEY, UPSTREAM_KEY, startHarness, type Harness, type HarnessOptions } from '../helpers/harness.ts';
import { REDIS_URL, redisAnswers, runId, skipUnless } from '../helpers/services.ts';
import { messageCalls } from './scripted-model.ts';
import { countingLoop, everyToolTurnThinks, extraGateway, READ_FILE, runLoop, sdk, thinkingSent, toolLoop, type LoopFigures } from './thinking-loop.ts';

const MODELS = ['claude-opus-5-5', 'claude-sonnet-5-5', 'claude-haiku-5-5'];
const SYSTEM = 'You are a careful coding agent. Read before you write.';
const redisUp = await redisAnswers();
const figures: Array<{ scenario: string } & LoopFigures> = [];
const open: Harness[] = [];

async function harness(turns: number, options: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness({ listen: true, ...options, fake: { respond: toolLoop(turns), ...options.fake } });
  open.push(h);
  return h;
}

function start(task = 'Find the bug in the parser.'): ChatCompletionMessageParam[] {
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: task },
  ];
}

function single(h: Harness) {
  const client = sdk(h.baseURL, GATEWAY_KEY);
  return () => client;
}

function record(scenario: string, f: LoopFigures): void {
  figures.push({ scenario, ...f });
  assert.equal(f.failures, 0);
}

after(async () => {
  await Promise.all(open.map((h) => h.close()));
  for (const f of figures) {
    console.log(`# ${f.scenario}: turns ${f.turns}, blocks kept ${f.blocksKept}, blocks dropped ${f.blocksDropped}, 400s ${f.failures}`);
  }
});

describe('append-only tool loop', () => {
  for (const model of MODELS) {
    for (const stream of [false, true]) {
      test(`${model}, ${stream ? 'streamed' : 'JSON'}: every tool turn sends its thinking back and the fake accepts it`, async () => {
        const h = await harness(5);
        const mark = h.fake.requests.length;
        const f = await runLoop({ model, stream, client: single(h), messages: start() });
        const calls = messageCalls(h.fake.requests, mark);
        assert.equal(f.turns, 6);
        assert.ok(calls.every(everyToolTurnThinks), 'each assistant tool turn starts with its thinking block');
        // Turn n carries the thinking of the n tool turns before it; no binding controls were needed.
        assert.deepEqual(thinkingSent(h.fake.requests, mark), [0, 1, 2, 3, 4, 5]);
        assert.ok(calls.every((c) => c.body.thinking?.block_binding === undefined && c.headers['anthropic-beta'] === undefined));
        assert.deepEqual(f.adjustments, []);
        f.blocksKept = 15;
        record(`append-only ${model} ${stream ? 'stream' : 'json'}`, f);
      });
    }
  }
});

describe('client edits', () => {
  test('an edited earlier message: the stale thinking is not sent back, the turn succeeds and says so', async () => {
    const h = await harness(5);
    const mark = h.fake.requests.length;
    const f = await runLoop({
      model: 'claude-opus-5-5',
      stream: false,
      client: single(h),
      messages: start(),
      // After the second tool turn an IDE rewrites the first tool result (say, truncated output).
      between: (turn, messages) => {
        if (turn === 1) messages[3] = { ...(messages[3] as object), content: 'contents of file 0 (truncated)' } as ChatCompletionMessageParam;
      },
    });
    assert.equal(f.turns, 6);
    assert.ok(f.adjustments.length === 4 && f.adjustments.every((a) => /1 earlier thinking block\(s\) not sent back/.test(a)), f.adjustments.join(' | '));
    // The edit invalidates the one block produced after it (turn 2's); turn 1's and the thinking produced
    // after the edit go back.
    assert.deepEqual(thinkingSent(h.fake.requests, mark), [0, 1, 1, 2, 3, 4]);
    f.blocksKept = thinkingSent(h.fake.requests, mark).reduce((a, b) => a + b, 0);
    record('client edit', f);
  });

  test('a changed system prompt invalidates every kept block', async () => {
    const h = await harness(3);
    const mark = h.fake.requests.length;
    const f = await runLoop({
      model: 'claude-sonnet-5-5',
      stream: true,
      client: single(h),
      messages: start(),
      between: (turn, messages) => {
        if (turn === 1) messages[0] = { role: 'system', content: `${SYSTEM} Today is Tuesday.` };
      },
    });
    assert.deepEqual(thinkingSent(h.fake.requests, mark), [0, 1, 0, 1]);
    f.blocksKept = 2;
    record('system changed', f);
  });
});

describe('durable and shared state', () => {
  test('the gateway restarts between turns on the same DATA_DIR: thinking still goes back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cg-restart-'));
    try {
      const h = await harness(4, { config: { dataDir } });
      const mark = h.fake.requests.length;
      let current: { client: ReturnType<typeof sdk>; close(): Promise<unknown> } = { client: sdk(h.baseURL, GATEWAY_KEY), close: () => h.app.close() };
      const f = await runLoop({
        model: 'claude-opus-5-5',
        stream: true,
        client: () => current.client,
        messages: start(),
        // Every turn lands on a freshly started gateway; the one before is gone.
        between: async () => {
          await current.close();
          current = await extraGateway(h.config, GATEWAY_KEY);
        },
      });
      await current.close();
      assert.deepEqual(thinkingSent(h.fake.requests, mark), [0, 1, 2, 3, 4]);
      assert.ok(messageCalls(h.fake.requests, mark).every(everyToolTurnThinks));
      f.blocksKept = 10;
      record('restart every turn', f);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('two gateways sharing Redis alternate turns', { skip: skipUnless(redisUp, 'Redis', '127.0.0.1:6379') }, async () => {
    const prefix = `${runId('cgthink')}:`;
    const h = await harness(6, { config: { redisUrl: REDIS_URL, redisKeyPrefix: prefix } });
    const other = await extraGateway({ ...h.config, dataDir: mkdtempSync(join(tmpdir(), 'cg-replica-')) }, GATEWAY_KEY);
    try {
      for (const app of [h.app, other.app]) await (app.gatewayContext.connections as ScaleOut).shared.whenReady(2000);
      const mark = h.fake.requests.length;
      const f = await runLoop({ model: 'claude-haiku-5-5', stream: false, client: (turn) => (turn % 2 === 0 ? sdk(h.baseURL, GATEWAY_KEY) : other.client), messages: start() });
      assert.equal(f.turns, 7);
      assert.deepEqual(thinkingSent(h.fake.requests, mark), [0, 1, 2, 3, 4, 5, 6]);
      assert.ok(messageCalls(h.fake.requests, mark).every(everyToolTurnThinks));
      f.blocksKept = 21;
      record('two replicas over Redis', f);
    } finally {
      await other.close();
      rmSync(other.app.gatewayContext.config.dataDir, { recursive: true, force: true });
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });
});

describe('token reduction', () => {
  test('a 20-turn tool loop past the pruning threshold: no 400 on any turn', async () => {
    const h = await harness(20, { fake: { respond: countingLoop(20) }, config: { reduction: { ...NO_REDUCTION, contextPruning: true, contextMaxTokens: 2000 } } });
    const mark = h.fake.requests.length;
    const output = (i: number) => Array.from({ length: 30 }, (_, line) => `// file ${i}, line ${line}: const value${line} = compute(${line});`).join('\n');
    const f = await runLoop({ model: 'claude-opus-5-5', stream: true, client: single(h), messages: start(), toolOutput: output });
    assert.equal(f.turns, 21);
    const calls = messageCalls(h.fake.requests, mark);
    const pruned = calls.filter((c) => JSON.stringify(c.body.messages[0]).includes('were condensed'));
    assert.ok(pruned.length > 0, 'the history was pruned');
    // Pruning rewrites the start of the history, so kept thinking from before a pruning step cannot go back;
    // thinking produced after the step does.
    assert.ok(f.blocksDropped > 0);
    f.blocksKept = thinkingSent(h.fake.requests, mark).reduce((a, b) => a + b, 0);
    assert.ok(f.blocksKept > 0);
    record('20 turns with pruning', f);
  });
});

describe('conversations the gateway did not start', () => {
  // Tool history written by another model (or resumed from disk): no thinking, no signatures, ids the store
  // never saw; reasoning on, as Cursor sends it.
  const foreign: ChatCompletionMessageParam[] = [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: 'Fix the failing test.' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_foreign_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"src/a.ts"}' } }] },
    { role: 'tool', tool_call_id: 'call_foreign_1', content: 'export const a = 1;' },
  ];

  for (const model of ['claude-opus-5-5', 'claude-sonnet-5-5', 'claude-haiku-5-5', 'claude-sonnet-4-5']) {
    test(`${model}: Cursor-style history without signatures and reasoning set gets a 200`, async () => {
      const h = await harness(2);
      const client = sdk(h.baseURL, GATEWAY_KEY);
      const { data, response } = await client.chat.completions
        .create({ model, messages: foreign, tools: [READ_FILE], reasoning: { effort: 'medium' } } as never)
        .withResponse();
      assert.equal((data as { choices: unknown[] }).choices.length, 1);
      const sent = messageCalls(h.fake.requests).at(-1)!.body;
      if (model === 'claude-sonnet-4-5') {
        // Manual thinking needs the last tool turn to start with thinking: off for this one request, and said.
        assert.equal(sent.thinking, undefined);
        assert.match(response.headers.get('x-gateway-adjustments') ?? '', /thinking off for this request/);
      } else {
        assert.equal(sent.thinking?.type, 'adaptive');
      }
      record(`foreign history ${model}`, { turns: 1, blocksKept: 0, blocksDropped: 0, failures: 0, adjustments: [], carried: 0 });
    });
  }

  for (const stream of [false, true]) {
    test(`thinking blocks the client kept but the gateway never saw (${stream ? 'streamed' : 'JSON'}): sent with drop_block, drops reported and kept in the request record`, async () => {
      const h = await harness(3);
      // A turn answered elsewhere (another gateway, its own store), straight from the upstream.
      const upstream = await fetch(`${h.fake.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': UPSTREAM_KEY, 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({
          model: 'claude-opus-5-5',
          max_tokens: 4096,
          system: [{ type: 'text', text: SYSTEM }],
          messages: [{ role: 'user', content: 'Find the bug in the parser.' }],
          tools: [{ name: 'read_file', description: 'Read a file.', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }],
          thinking: { type: 'adaptive' },
        }),
      }).then((r) => r.json() as Promise<{ content: Array<{ type: string; id?: string }> }>);
      // The client sends the signed blocks back itself, in Anthropic form, after changing the system prompt.
      const thinking = upstream.content.filter((b) => b.type === 'thinking');
      const toolUse = upstream.content.find((b) => b.type === 'tool_use')!;
      const messages = [
        { role: 'system', content: `${SYSTEM} (edited)` },
        { role: 'user', content: 'Find the bug in the parser.' },
        { role: 'assistant', content: [...thinking, toolUse] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'contents' }] },
      ];
      const { data, response: res } = await sdk(h.baseURL, GATEWAY_KEY)
        .chat.completions.create({ model: 'claude-opus-5-5', messages: messages as never, tools: [READ_FILE], reasoning_effort: 'medium', stream })
        .withResponse();
      if (Symbol.asyncIterator in data) for await (const _ of data);
      const sent = messageCalls(h.fake.requests).at(-1)!;
      assert.deepEqual(sent.body.thinking.block_binding, { prefix_mismatch_behavior: 'drop_block' });
      assert.match(sent.headers['anthropic-beta'] ?? '', /thinking-binding-controls-2026-08-01/);
      assert.match(res.headers.get('x-gateway-adjustments') ?? '', /1 thinking block\(s\) dropped by Anthropic \(the conversation before them changed\) at messages\.1\.content\.0/);
      // The request record keeps the same facts, served by the admin request detail (the dashboard's source).
      const detail = await h.app.inject({ method: 'GET', url: `/admin/requests/${res.headers.get('x-request-id')}`, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      assert.equal(detail.statusCode, 200, detail.body);
      assert.equal(detail.json().stream, stream);
      assert.deepEqual(detail.json().thinking, {
        sent: thinking.length, removed: 0, unchecked: thinking.length, dropBlock: true, switchedOff: false,
        upstream: [{ type: 'thinking_dropped', reason: 'prefix_binding_mismatch', path: 'messages.1.content.0' }],
      });
      if (stream) return;
      record('client-kept blocks, edited system', { turns: 1, blocksKept: 0, blocksDropped: 1, failures: 0, adjustments: [], carried: 0 });
    });
  }
});

describe('stateless carry in reasoning_details', () => {
  for (const stream of [false, true]) {
    test(`${stream ? 'streamed' : 'JSON'}: two gateways sharing nothing alternate turns; the client carries the thinking`, async () => {
      const h = await harness(5);
      const other = await extraGateway({ ...h.config, dataDir: mkdtempSync(join(tmpdir(), 'cg-alone-')) }, GATEWAY_KEY);
      try {
        const mark = h.fake.requests.length;
        const a = sdk(h.baseURL, GATEWAY_KEY);
        const f = await runLoop({ model: 'claude-sonnet-5-5', stream, carry: true, client: (turn) => (turn % 2 === 0 ? a : other.client), messages: start() });
        assert.equal(f.carried, 5);
        assert.deepEqual(thinkingSent(h.fake.requests, mark), [0, 1, 2, 3, 4, 5]);
        assert.ok(messageCalls(h.fake.requests, mark).every(everyToolTurnThinks));
        f.blocksKept = 15;
        record(`carried, two unshared gateways, ${stream ? 'stream' : 'json'}`, f);
      } finally {
        await other.close();
        rmSync(other.app.gatewayContext.config.dataDir, { recursive: true, force: true });
      }
    });
  }

  test('an edited reasoning_details entry is left out, never sent to fail upstream', async () => {
    const h = await harness(3);
    const other = await extraGateway({ ...h.config, dataDir: mkdtempSync(join(tmpdir(), 'cg-alone-')) }, GATEWAY_KEY);
    try {
      const a = sdk(h.baseURL, GATEWAY_KEY);
      const tamper = (details: any[]) => details.map((d) => ({ ...d, text: `${d.text ?? ''} (edited)` }));
      const f = await runLoop({ model: 'claude-opus-5-5', stream: false, carry: true, tamper, client: (turn) => (turn % 2 === 0 ? a : other.client), messages: start() });
      assert.equal(f.turns, 4);
      assert.ok(f.adjustments.some((n) => /reasoning_details entr(y|ies) not sent back/.test(n)), f.adjustments.join(' | '));
      record('tampered reasoning_details', f);
    } finally {
      await other.close();
      rmSync(other.app.gatewayContext.config.dataDir, { recursive: true, force: true });
    }
  });
});

describe('instructions added mid-conversation', () => {
  for (const model of ['claude-opus-5-5', 'claude-opus-4-7']) {
    test(`${model}: an appended system message keeps the prefix, so the kept thinking still goes back`, async () => {
      const h = await harness(4);
      const mark = h.fake.requests.length;
      const f = await runLoop({
        model,
        stream: false,
        client: single(h),
        messages: start(),
        between: (turn, messages) => {
          if (turn === 1) messages.push({ role: 'system', content: 'Also run the linter before you answer.' });
        },
      });
      const calls = messageCalls(h.fake.requests, mark);
      const roles = calls.at(-1)!.body.messages.map((m: { role: string }) => m.role);
      if (model === 'claude-opus-5-5') {
        // A role "system" message right after the tool results, where Opus 4.8 and later accept one.
        assert.deepEqual(roles, ['user', 'assistant', 'user', 'assistant', 'user', 'system', 'assistant', 'user', 'assistant', 'user']);
        assert.deepEqual(thinkingSent(h.fake.requests, mark), [0, 1, 2, 3, 4]);
        assert.deepEqual(f.adjustments, []);
      } else {
        // Earlier models get it as tagged text in the user turn.
        assert.ok(!roles.includes('system'));
        assert.match(JSON.stringify(calls.at(-1)!.body.messages[4]), /<system_message>/);
      }
      record(`system message appended, ${model}`, f);
    });
  }
});
