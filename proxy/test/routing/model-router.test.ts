// The router as the routes use it: name resolution (auto, project default, the default-model switch), smart
// decisions, conversations keeping their model, and learning from outcomes, retries and repeated questions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeConfig, type GatewayConfig } from '../../src/config/config.ts';
import { createMemoryRoutingHistory } from '../../src/routing/history-store.ts';
import { createModelRouter, type ModelRouter } from '../../src/routing/model-router.ts';
import { DEFAULT_PROJECT_ID, projectRoutingOf, type ProjectRouting } from '../../src/routing/project-policy.ts';
import { resolveModel } from '../../src/routing/resolve-model.ts';
import type { RoutingInput } from '../../src/routing/routing-input.ts';
import { conversationIds } from '../../src/translate/conversation-id.ts';

const SONNET = 'claude-sonnet-5-5';
const OPUS = 'claude-opus-5-5';

function router(overrides: Partial<GatewayConfig> = {}) {
  const history = createMemoryRoutingHistory();
  const config = makeConfig({ gatewayApiKey: 'k'.repeat(20), enableSmartRouting: true, ...overrides });
  return { history, router: createModelRouter({ config, history, now: () => 1_000 }) };
}

const project = (over: Partial<ProjectRouting> = {}): ProjectRouting => ({
  id: DEFAULT_PROJECT_ID,
  defaultModel: null,
  fallbackChain: null,
  rateLimitRpm: null,
  tokensPerMinute: null,
  ...over,
});

const talk = (...turns: string[]): RoutingInput => ({
  system: 'You are a coding agent.',
  toolCount: 5,
  messages: turns.map((text, i) => (i % 2 === 0 ? { role: 'user', text, human: true } : { role: 'assistant', text, human: false })),
});

// The conversation id the routes make (translate/conversation-id.ts), from the same anchor: system and first human text.
const idOf = (input: RoutingInput, hint?: string) => {
  const first = input.messages.find((m) => m.human);
  return conversationIds(first && { system: input.system, firstHuman: first.text }, hint).named;
};
const route = (r: ModelRouter, requested: string, input: RoutingInput, p = project(), hint?: string) =>
  r.route({ requested, project: p, input: () => input, conversationId: idOf(input, hint) });

const ARCH = 'Design the architecture for the billing service and review its security.';
const DEBUG = 'Debug the crash in src/a.ts, src/b.ts and lib/c.py:\nError: x\n    at f (/a.js:1:1)\n    at g (/a.js:2:2)\n';

describe('model names', () => {
  const config = makeConfig({ gatewayApiKey: 'k'.repeat(20) });
  const table: Array<[string, string | null, string, string]> = [
    ['auto', null, SONNET, 'auto'],
    ['cg-auto', null, SONNET, 'auto'],
    ['AUTO', 'opus', OPUS, 'auto'],
    ['auto', 'claude-haiku-4-5', 'claude-haiku-4-5', 'auto'],
    ['auto', 'gpt-4o', SONNET, 'auto'], // a project default the gateway cannot serve falls back to DEFAULT_MODEL
    ['sonnet', 'opus', SONNET, 'alias'], // an alias keeps its meaning whatever the project's default
    ['cg-opus', null, OPUS, 'prefix'],
  ];
  for (const [name, projectDefault, model, source] of table) {
    test(`${name} (project default ${projectDefault}) → ${model}`, () => {
      assert.deepEqual(resolveModel(name, config, { projectDefault }), { requested: name, model, source });
    });
  }

  test('the project policy is read defensively from request.identity', () => {
    assert.deepEqual(projectRoutingOf({}), project());
    assert.deepEqual(projectRoutingOf({ identity: null }), project());
    assert.deepEqual(
      projectRoutingOf({ identity: { project: { id: 'p1', defaultModel: 'opus', fallbackChain: ['opus', 3, 'haiku'], rateLimitRpm: 5, tokensPerMinute: null } } }),
      { id: 'p1', defaultModel: 'opus', fallbackChain: ['opus', 'haiku'], rateLimitRpm: 5, tokensPerMinute: null },
    );
  });
});

describe('router', () => {
  test('with smart routing off, auto is the default model and says so', async () => {
    const { router: r } = router({ enableSmartRouting: false });
    assert.deepEqual(await route(r, 'auto', talk(ARCH)), { model: SONNET, source: 'auto', reason: 'auto:default (smart routing off)', score: null });
    assert.deepEqual(await route(r, 'auto', talk(ARCH), project({ defaultModel: 'haiku' })), {
      model: 'claude-haiku-5-5',
      source: 'auto',
      reason: 'auto:project default',
      score: null,
    });
  });

  test('explicit models are never re-routed unless SMART_ROUTE_DEFAULT_MODEL is on', async () => {
    const plain = router();
    assert.equal((await route(plain.router, 'sonnet', talk(ARCH))).model, SONNET);
    assert.equal((await route(plain.router, 'sonnet', talk(ARCH))).reason, 'alias');
    const switched = router({ smartRouteDefaultModel: true });
    const upgraded = await route(switched.router, 'sonnet', talk(ARCH));
    assert.equal(upgraded.model, OPUS);
    assert.equal(upgraded.source, 'smart');
    assert.equal(upgraded.reason, 'smart:opus score 0.50 (architecture, security)');
    assert.equal((await route(switched.router, 'haiku', talk(ARCH))).model, 'claude-haiku-5-5', 'only the default model is re-routed');
  });

  test('a conversation keeps its model across turns until the score moves decisively', async () => {
    const { router: r } = router();
    const first = await route(r, 'auto', talk(ARCH));
    assert.equal(first.model, OPUS);
    const second = await route(r, 'auto', talk(ARCH, 'Here is the design.', 'Also plan the migration for production.'));
    assert.deepEqual([second.model, second.reason], [OPUS, 'sticky:opus score 0.45 (conversation stays; a switch needs < 0.40; migration, production)']);
    const third = await route(r, 'auto', talk(ARCH, 'Here is the design.', 'Also plan the migration for production.', 'Done.', 'thanks, fix the typo in README.md'));
    assert.deepEqual([third.model, third.reason], [SONNET, 'smart:sonnet score 0.00 (trivial task, 1 file; switched from opus)']);
  });

  test("a client's conversation hint (prompt_cache_key) keeps the conversation when its content does not", async () => {
    const { router: r } = router();
    const first = await route(r, 'auto', talk(ARCH), project(), 'thread-1');
    assert.equal(first.model, OPUS);
    // The thread was compacted: its first message changed, its name did not.
    const compacted = talk('Summary of the work so far.', 'Noted.', 'Also plan the migration for production.');
    const second = await route(r, 'auto', compacted, project(), 'thread-1');
    assert.equal(second.outcome?.conversationId, first.outcome?.conversationId);
    assert.match(second.reason, /^sticky:opus/);
    const unhinted = await route(router().router, 'auto', compacted);
    assert.doesNotMatch(unhinted.reason, /^sticky/);
  });

  test('learns from outcomes: after enough failed sonnet answers in similar requests, they go to opus', async () => {
    const { router: r } = router();
    for (let i = 0; i < 5; i++) {
      const routed = await route(r, 'auto', talk(`${DEBUG}\nrun ${i}`));
      assert.equal(routed.model, SONNET, `request ${i}`);
      await r.recordOutcome(routed.outcome!, true);
    }
    const learned = await route(r, 'auto', talk(`${DEBUG}\nrun again`));
    assert.equal(learned.model, OPUS);
    assert.equal(learned.reason, 'smart:opus score 0.53 (debugging, 3 files, error trace, history: sonnet 100% redone)');
    const elsewhere = await route(r, 'auto', talk(`${DEBUG}\nrun again`), project({ id: 'other' }));
    assert.equal(elsewhere.model, SONNET, 'history is per project');
  });

  test('a client retry and a repeated question count against the answer before them, once', async () => {
    const { router: r, history } = router();
    const bucket = 'debugging:s:trace';
    const first = await route(r, 'auto', talk(DEBUG));
    assert.equal(first.outcome!.bucket, bucket);
    await r.recordOutcome(first.outcome!, false);
    const retried = await route(r, 'auto', talk(DEBUG)); // the same request again: a retry
    assert.deepEqual(await history.bucketStats('default', bucket), { [SONNET]: { served: 1, bad: 1 } });
    await r.recordOutcome(retried.outcome!, false);
    assert.deepEqual(await history.bucketStats('default', bucket), { [SONNET]: { served: 2, bad: 1 } });

    const { router: r2, history: h2 } = router();
    const asked = await route(r2, 'auto', talk(DEBUG));
    await r2.recordOutcome(asked.outcome!, false);
    await route(r2, 'auto', talk(DEBUG, 'Try restarting it.', `  ${DEBUG.toUpperCase()}  `)); // the person asks again
    assert.deepEqual(await h2.bucketStats('default', bucket), { [SONNET]: { served: 1, bad: 1 } });

    const { router: r3, history: h3 } = router();
    const failed = await route(r3, 'auto', talk(DEBUG));
    await r3.recordOutcome(failed.outcome!, true); // it failed, and the client retries
    await route(r3, 'auto', talk(DEBUG));
    assert.deepEqual(await h3.bucketStats('default', bucket), { [SONNET]: { served: 1, bad: 1 } }, 'not counted twice');
  });
});
