// The routing decision table: request text, history and the conversation's current model in; model and the
// exact reason out. The pipeline is pure, so every case is also run twice to show it is deterministic.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConversationState } from '../../src/routing/conversation.ts';
import { decideRoute } from '../../src/routing/decide.ts';
import { extractFeatures } from '../../src/routing/features.ts';
import { historyAdjustment, type BucketStats } from '../../src/routing/history.ts';
import type { RoutingInput, RoutingMessage } from '../../src/routing/routing-input.ts';
import { scoreRequest } from '../../src/routing/scorer.ts';

const SONNET = 'claude-sonnet-5-5';
const OPUS = 'claude-opus-5-5';
const LABELS = { base: 'sonnet', strong: 'opus' };

const human = (text: string): RoutingMessage => ({ role: 'user', text, human: true });
const assistant = (text: string): RoutingMessage => ({ role: 'assistant', text, human: false });
const tool = (text: string): RoutingMessage => ({ role: 'tool', text, human: false });

const JS_TRACE = 'TypeError: Cannot read properties of undefined\n    at Pool.acquire (/app/src/db/pool.ts:42:13)\n    at Server.handle (/app/src/api/server.ts:88:5)\n';
const PY_TRACE = 'Traceback (most recent call last):\n  File "app/main.py", line 3, in <module>\nKeyError: \'x\'\n';

interface Case {
  name: string;
  messages: RoutingMessage[];
  threshold?: number;
  history?: BucketStats;
  previous?: string;
  expect: { model: string; reason: string };
}

const stats = (served: number, bad: number) => ({ served, bad });

export const CASES: Case[] = [
  {
    name: 'a short question',
    messages: [human('hi, what does this function return?')],
    expect: { model: SONNET, reason: 'smart:sonnet score 0.00 (no complexity signals)' },
  },
  {
    name: 'a trivial edit',
    messages: [human('Rename the variable `cnt` to `count` in src/utils/math.ts')],
    expect: { model: SONNET, reason: 'smart:sonnet score 0.00 (trivial task, 1 file)' },
  },
  {
    name: 'architecture and security',
    messages: [human('Design the architecture for the new billing service and review the security of the auth flow.')],
    expect: { model: OPUS, reason: 'smart:opus score 0.50 (architecture, security)' },
  },
  {
    name: 'a production migration naming two files',
    messages: [human('Plan a zero-downtime migration of the production orders table (db/schema.sql, db/migrations/004_orders.sql).')],
    expect: { model: OPUS, reason: 'smart:opus score 0.50 (migration, production, 2 files)' },
  },
  {
    name: 'a crash with a stack trace and three files',
    messages: [human(`Debug this crash; it touches src/api/server.ts, src/db/pool.ts and scripts/seed.py:\n${JS_TRACE}`)],
    expect: { model: SONNET, reason: 'smart:sonnet score 0.28 (debugging, 3 files, error trace)' },
  },
  {
    name: 'the same crash with a lower threshold (OPUS_ROUTING_THRESHOLD=0.25)',
    threshold: 0.25,
    messages: [human(`Debug this crash; it touches src/api/server.ts, src/db/pool.ts and scripts/seed.py:\n${JS_TRACE}`)],
    expect: { model: OPUS, reason: 'smart:opus score 0.28 (debugging, 3 files, error trace)' },
  },
  {
    name: 'a long refactoring request across fourteen files',
    messages: [
      human(
        `Refactor the payment module. Files: ${Array.from({ length: 14 }, (_, i) => `src/payments/part${i}.ts`).join(', ')}.\n` +
          'Keep the public API unchanged. '.repeat(130),
      ),
    ],
    expect: { model: OPUS, reason: 'smart:opus score 0.50 (refactor, 14 files, long request)' },
  },
  {
    name: 'a large context with a traceback in the tool output',
    messages: [human('Why is the test failing?'), assistant('Running the tests.'), tool(`${'x'.repeat(400_000)}\n${PY_TRACE}`)],
    expect: { model: SONNET, reason: 'smart:sonnet score 0.23 (1 file, error trace, 100k tokens)' },
  },
  {
    name: 'history: sonnet answers in similar requests often redone',
    history: { [SONNET]: stats(10, 4) },
    messages: [human(`Debug this crash; it touches src/api/server.ts, src/db/pool.ts and scripts/seed.py:\n${JS_TRACE}`)],
    expect: { model: OPUS, reason: 'smart:opus score 0.53 (debugging, 3 files, error trace, history: sonnet 40% redone)' },
  },
  {
    name: 'history: opus did no better there',
    history: { [SONNET]: stats(10, 4), [OPUS]: stats(6, 3) },
    messages: [human(`Debug this crash; it touches src/api/server.ts, src/db/pool.ts and scripts/seed.py:\n${JS_TRACE}`)],
    expect: { model: SONNET, reason: 'smart:sonnet score 0.28 (debugging, 3 files, error trace, history: opus no better than sonnet here)' },
  },
  {
    name: 'history: sonnet reliable for this kind of request',
    history: { [SONNET]: stats(20, 0) },
    messages: [human('Design the architecture for the new billing service and review the security of the auth flow.')],
    expect: { model: SONNET, reason: 'smart:sonnet score 0.40 (architecture, security, history: sonnet reliable here)' },
  },
  {
    name: 'too little history to learn from',
    history: { [SONNET]: stats(4, 4) },
    messages: [human('hi, what does this function return?')],
    expect: { model: SONNET, reason: 'smart:sonnet score 0.00 (no complexity signals)' },
  },
  {
    name: 'a conversation on opus stays there when the score dips a little',
    previous: OPUS,
    messages: [human('Plan the migration of the production database.'), assistant('Here is a plan.'), human('Now the migration for production replicas.')],
    expect: { model: OPUS, reason: 'sticky:opus score 0.45 (conversation stays; a switch needs < 0.40; migration, production)' },
  },
  {
    name: 'a conversation on opus moves to sonnet when the score drops decisively',
    previous: OPUS,
    messages: [human('Design the architecture for billing.'), assistant('Done.'), human('thanks, now fix the typo in README.md')],
    expect: { model: SONNET, reason: 'smart:sonnet score 0.00 (trivial task, 1 file; switched from opus)' },
  },
  {
    name: 'a conversation on sonnet stays when the score only just reaches the threshold',
    previous: SONNET,
    messages: [human('hello'), assistant('Hi!'), human('Design the architecture for the new billing service and review the security of the auth flow.')],
    expect: { model: SONNET, reason: 'sticky:sonnet score 0.50 (conversation stays; a switch needs >= 0.60; architecture, security)' },
  },
  {
    name: 'a conversation on sonnet moves to opus when the score rises decisively',
    previous: SONNET,
    messages: [
      human('hello'),
      assistant('Hi!'),
      human(`Design the architecture of the retry layer and its security model; it crashes in src/api/server.ts, src/db/pool.ts, lib/x.ts:\n${JS_TRACE}`),
    ],
    expect: { model: OPUS, reason: 'smart:opus score 0.68 (architecture, security, 3 files, error trace; switched from sonnet)' },
  },
  {
    name: 'a long conversation needs a bigger change to switch (its cache is worth more)',
    previous: SONNET,
    messages: [human('start'), assistant('y'.repeat(600_000)), human('Design the architecture for billing and review its security.')],
    expect: { model: SONNET, reason: 'sticky:sonnet score 0.60 (conversation stays; a switch needs >= 0.80; architecture, security, 150k tokens)' },
  },
  {
    name: 'never a switch in the middle of a tool loop',
    previous: OPUS,
    messages: [human('Look at the billing code.'), assistant('Reading files.'), tool('file contents')],
    expect: { model: OPUS, reason: 'sticky:opus score 0.00 (tool loop in progress; no complexity signals)' },
  },
];

function previousState(model: string): ConversationState {
  return { model, score: 0.5, bucket: 'general:s:plain', messageCount: 1, lastMessageHash: 'x', lastHumanHash: null, badReported: false, updatedAt: 0 };
}

/** The whole pure pipeline: features → history adjustment → score → decision. */
export function decide(c: Case) {
  const input: RoutingInput = { system: 'You are a coding agent.', messages: c.messages, toolCount: 12 };
  const features = extractFeatures(input);
  const scored = scoreRequest(features, historyAdjustment(c.history ?? {}, SONNET, OPUS, LABELS));
  return decideRoute({
    scored,
    threshold: c.threshold ?? 0.5,
    baseModel: SONNET,
    strongModel: OPUS,
    labels: LABELS,
    ...(c.previous && { previous: previousState(c.previous) }),
    midToolLoop: features.midToolLoop,
    estimatedTokens: features.estimatedTokens,
  });
}

describe('routing decision table', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const decision = decide(c);
      assert.deepEqual({ model: decision.model, reason: decision.reason }, c.expect);
      assert.deepEqual(decide(c), decision, 'the same inputs and history give the same decision');
    });
  }
});
