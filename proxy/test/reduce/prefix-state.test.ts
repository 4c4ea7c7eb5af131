// Work proportional to what is new, with the same bytes: every turn of the shared agent sessions (or, without
// them, the fixture sessions) goes through translation and the reduction pipeline twice, once from scratch and
// once continuing from the conversation's prefix state, and every upstream body must be byte-identical.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { MessageCreateParams, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { loadTraceTurns } from '../../bench/traces.ts';
import { capabilitiesFor } from '../../src/models/catalog.ts';
import { DEFAULT_REDUCTION_SETTINGS, reduceRequest, type ReductionContext, type ReductionSettings } from '../../src/reduce/pipeline.ts';
import { PrefixStore, resumeFrom, sameJson } from '../../src/reduce/prefix-state.ts';
import { MemorySummaryCache } from '../../src/reduce/summary.ts';
import { normalizeChatRequest } from '../../src/translate/normalize.ts';
import { toAnthropicRequest } from '../../src/translate/request.ts';
import { upstreamBody } from '../../src/translate/serialize-params.ts';

const serializeParams = (params: Parameters<typeof upstreamBody>[0]) => upstreamBody(params).toString('utf8');
import { clineSession, request, toolSession } from './conversations.ts';

const MODEL = 'claude-haiku-4-5';
const TRACES = fileURLToPath(new URL('../../../../shared/traces', import.meta.url));

function translate(body: Record<string, unknown>): MessageCreateParams {
  return toAnthropicRequest(normalizeChatRequest(body), { model: MODEL, capabilities: capabilitiesFor(MODEL) }).params;
}

/** Sends every turn both ways; returns how many turns continued from a previous state. */
function replay(sessions: Array<{ id: string; turns: MessageCreateParams[] }>, settings: ReductionSettings): number {
  const store = new PrefixStore();
  const base: ReductionContext = { settings, minCacheableTokens: 1024, cacheTtl: '5m', summaries: new MemorySummaryCache() };
  let resumed = 0;
  for (const session of sessions) {
    session.turns.forEach((params, turn) => {
      const scratch = reduceRequest(params, base);
      const previous = store.take(session.id, 0);
      if (previous && resumeFrom(params, previous, JSON.stringify(settings)).resume) resumed++;
      const incremental = reduceRequest(params, { ...base, previous });
      store.put(session.id, incremental.state, 0);
      // The body as the gateway sends it (serialised incrementally) against the plain from-scratch bytes.
      assert.equal(serializeParams(incremental.params), JSON.stringify(scratch.params), `${session.id} turn ${turn}: upstream body differs`);
      assert.deepEqual(incremental.report, scratch.report, `${session.id} turn ${turn}: report differs`);
    });
  }
  return resumed;
}

function traceSessions(): Array<{ id: string; turns: MessageCreateParams[] }> {
  const bySession = new Map<string, MessageCreateParams[]>();
  for (const turn of loadTraceTurns(TRACES, MODEL)) {
    const list = bySession.get(turn.session) ?? [];
    list.push(translate(turn.body));
    bySession.set(turn.session, list);
  }
  return [...bySession].map(([id, turns]) => ({ id, turns }));
}

/** Every request an agent would send while growing `messages`, plus a retry and an edited history. */
function fixtureSession(id: string, messages: MessageParam[]): { id: string; turns: MessageCreateParams[] } {
  const turns: MessageCreateParams[] = [];
  for (let n = 1; n <= messages.length; n += 2) turns.push(request(messages.slice(0, n)));
  turns.push(request(messages.slice(0, 5)), request([...messages.slice(0, 3), { role: 'user', content: 'edited' }]));
  return { id, turns };
}

describe('prefix state: byte-identical to the from-scratch path', () => {
  const traces = traceSessions();
  test(`shared agent sessions (${traces.length ? `${traces.length} sessions` : 'absent: skipped, fixtures below still run'})`, { skip: traces.length === 0 }, () => {
    const resumed = replay(traces, DEFAULT_REDUCTION_SETTINGS);
    assert.ok(resumed > traces.reduce((n, s) => n + s.turns.length, 0) / 2, `only ${resumed} turns continued from a prefix`);
  });

  test('shared agent sessions with pruning forced on (references repaired from the kept originals)', { skip: traces.length === 0 }, () => {
    replay(traces.slice(0, 6), { ...DEFAULT_REDUCTION_SETTINGS, contextMaxTokens: 12_000 });
  });

  for (const [name, settings] of [
    ['defaults', DEFAULT_REDUCTION_SETTINGS],
    ['small caps and pruning', { ...DEFAULT_REDUCTION_SETTINGS, systemMaxChars: 3000, userMsgMaxChars: 2000, toolResultMaxChars: 1500, contextMaxTokens: 6000 }],
  ] as const) {
    test(`fixture sessions, ${name}, with a retry and an edited history`, () => {
      const resumed = replay([fixtureSession('cline', clineSession(16)), fixtureSession('tools', toolSession(16))], settings);
      assert.ok(resumed > 0);
    });
  }
});

describe('prefix state: resuming', () => {
  const params = request(clineSession(6));
  const first = reduceRequest(params, { settings: DEFAULT_REDUCTION_SETTINGS, minCacheableTokens: 1024 });
  const key = JSON.stringify(DEFAULT_REDUCTION_SETTINGS);

  test('a turn that extends the previous one continues from it and reuses its message objects', () => {
    const next = request(clineSession(8));
    const { params: interned, resume } = resumeFrom(structuredClone(next), first.state, key);
    assert.equal(resume, first.state);
    assert.equal(interned.messages[0], first.state.messages[0]);
    assert.ok(sameJson(interned, next));
  });

  test('other settings, another system prompt or an edited message start from scratch', () => {
    assert.equal(resumeFrom(params, first.state, JSON.stringify({ ...DEFAULT_REDUCTION_SETTINGS, stripIdeBoilerplate: false })).resume, undefined);
    assert.equal(resumeFrom(request(clineSession(8), 'another system'), first.state, key).resume, undefined);
    const edited = request(clineSession(8));
    edited.messages[2] = { role: 'user', content: 'edited' };
    assert.equal(resumeFrom(edited, first.state, key).resume, undefined);
  });

  test('sameJson: key order counts, because it changes the bytes', () => {
    assert.ok(sameJson({ a: 1, b: [1, { c: 'x' }] }, { a: 1, b: [1, { c: 'x' }] }));
    assert.ok(!sameJson({ a: 1, b: 2 }, { b: 2, a: 1 }));
    assert.ok(!sameJson([1], { 0: 1 }));
    assert.ok(!sameJson({ a: undefined }, {}));
  });
});

describe('prefix state: the store', () => {
  const state = (chars: number) => ({ ...reduceRequest(request(clineSession(2)), { settings: DEFAULT_REDUCTION_SETTINGS, minCacheableTokens: 1024 }).state, chars });

  test('take removes the entry, so two turns in flight never share one', () => {
    const store = new PrefixStore();
    store.put('a', state(10), 0);
    assert.ok(store.take('a', 1));
    assert.equal(store.take('a', 1), undefined);
  });

  test('bounded by count, size and age, least recently used first out', () => {
    const store = new PrefixStore({ maxConversations: 2, maxChars: 100, maxAgeMs: 1000 });
    store.put('a', state(10), 0);
    store.put('b', state(10), 0);
    store.put('c', state(10), 0);
    assert.equal(store.take('a', 0), undefined);
    store.put('big', state(95), 0);
    assert.equal(store.take('c', 0), undefined);
    assert.equal(store.take('too-big', 0), undefined);
    store.put('huge', state(1000), 0);
    assert.equal(store.take('huge', 0), undefined);
    store.put('old', state(1), 0);
    assert.equal(store.take('old', 5000), undefined);
  });
});
