import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { MessageCreateParams, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { MAX_BREAKPOINTS } from '../../src/reduce/cache-control.ts';
import { DIFF_FIRST_INSTRUCTION } from '../../src/reduce/diff-first.ts';
import { DEFAULT_REDUCTION_SETTINGS, NO_REDUCTION, reduceRequest, type ReductionLayer, type ReductionSettings } from '../../src/reduce/pipeline.ts';
import { checkReferences } from '../../src/reduce/references.ts';
import { SymbolParser } from '../../src/reduce/repo-map/parser.ts';
import { RepoMapStore } from '../../src/reduce/repo-map/store.ts';
import { clineSession, request, toolSession, unmarked } from './conversations.ts';

/** Settings with only the given layers on (pruning limit as given). */
function only(layers: ReductionLayer[], contextMaxTokens = 1_000_000): ReductionSettings {
  const on = (l: ReductionLayer) => layers.includes(l);
  return {
    ...NO_REDUCTION,
    stripIdeBoilerplate: on('strip'),
    systemMaxChars: on('caps') ? 3000 : 0,
    userMsgMaxChars: on('caps') ? 2000 : 0,
    toolResultMaxChars: on('caps') ? 1500 : 0,
    anthropicCacheControl: on('cacheControl'),
    fileHashCache: on('dedup'),
    contextPruning: on('prune'),
    contextMaxTokens,
    enforceDiffFirst: on('diffFirst'),
    repoMap: on('repoMap'),
  };
}

/** Every request an agent would send while growing `messages`: each ends with a user turn. */
function turns(messages: MessageParam[]): MessageCreateParams[] {
  const out: MessageCreateParams[] = [];
  for (let n = 1; n <= messages.length; n += 2) out.push(request(messages.slice(0, n)));
  return out;
}

function marks(params: MessageCreateParams): number {
  return (JSON.stringify(params).match(/"cache_control"/g) ?? []).length;
}

const ALL: ReductionLayer[] = ['strip', 'caps', 'cacheControl', 'dedup', 'diffFirst'];
const SESSIONS: Array<[string, MessageParam[]]> = [
  ['cline', clineSession(16)],
  ['tools', toolSession(16)],
];

describe('pipeline: prefix stability', () => {
  for (const [name, messages] of SESSIONS) {
    for (const layers of [...ALL.map((l) => [l]), ALL]) {
      test(`${name}, ${layers.join('+')}: message i is byte-identical in every later turn (breakpoints aside)`, () => {
        const outs = turns(messages).map((p) => reduceRequest(p, { settings: only(layers), minCacheableTokens: 1024 }).params);
        const last = outs[outs.length - 1]!;
        for (const out of outs) {
          assert.equal(JSON.stringify(out.system, (k, v) => (k === 'cache_control' ? undefined : v)), JSON.stringify(last.system, (k, v) => (k === 'cache_control' ? undefined : v)));
          out.messages.forEach((m, i) => assert.equal(unmarked(m), unmarked(last.messages[i]!), `message ${i}`));
        }
      });
    }
  }

  test('with pruning, the prefix changes only at a pruning step and is stable between steps', () => {
    const messages = clineSession(40);
    let previous: { out: MessageCreateParams; dropped: number } | undefined;
    let steps = 0;
    for (const params of turns(messages)) {
      const out = reduceRequest(params, { settings: { ...only([...ALL, 'prune']), contextMaxTokens: 5000 }, minCacheableTokens: 1024 }).params;
      const dropped = params.messages.length - out.messages.length;
      if (previous) {
        if (dropped === previous.dropped) {
          previous.out.messages.forEach((m, i) => assert.equal(unmarked(out.messages[i]!), unmarked(m), `message ${i}`));
        } else {
          assert.ok(dropped > previous.dropped);
          steps++;
        }
      }
      previous = { out, dropped };
    }
    assert.ok(steps >= 2 && steps <= 8, `steps: ${steps}`);
  });
});

describe('pipeline: invariants over every turn', () => {
  let repoMap: RepoMapStore;
  before(async () => {
    repoMap = new RepoMapStore(await SymbolParser.load(['python']), { ttlSeconds: 3600, now: () => 0 });
  });

  for (const [name, messages] of [...SESSIONS, ['cline long', clineSession(40)] as [string, MessageParam[]]]) {
    test(`${name}: at most four breakpoints, no dangling reference, pairs intact, deterministic`, () => {
      for (const params of turns(messages)) {
        const before = JSON.stringify(params);
        const ctx = { settings: { ...DEFAULT_REDUCTION_SETTINGS, contextMaxTokens: 8000 }, minCacheableTokens: 512, repoMap };
        const a = reduceRequest(params, ctx);
        const b = reduceRequest(params, ctx);
        assert.equal(JSON.stringify(a), JSON.stringify(b));
        assert.equal(JSON.stringify(params), before, 'input not mutated');
        assert.ok(marks(a.params) <= MAX_BREAKPOINTS);
        assert.equal(a.report.breakpoints, marks(a.params));
        assert.deepEqual(checkReferences(a.params).dangling, []);
        const open = new Set<string>();
        for (const m of a.params.messages) {
          if (typeof m.content === 'string') continue;
          for (const block of m.content) {
            if (block.type === 'tool_use') open.add(block.id);
            if (block.type === 'tool_result') assert.ok(open.delete(block.tool_use_id), `result without its call: ${block.tool_use_id}`);
          }
        }
        assert.equal(open.size, 0);
      }
    });
  }

  test('pruned file bodies are represented by the repo map', () => {
    const params = request(clineSession(40));
    const { params: out, report } = reduceRequest(params, { settings: { ...DEFAULT_REDUCTION_SETTINGS, contextMaxTokens: 8000 }, minCacheableTokens: 512, repoMap });
    const first = JSON.stringify(out.messages[0]!.content);
    assert.match(first, /top-level symbols \(repo map\):\\n- src\/app\.py: class Config \{ __init__, describe \}; def step_0\(config, value\)/);
    assert.ok(report.applied.includes('prune') && report.applied.includes('repoMap'));
    assert.ok(report.byLayer.prune! > 0 && report.byLayer.repoMap! < 0);
  });
});

describe('pipeline: report and switches', () => {
  test('reports tokens before and after, savings per layer and the layers applied', () => {
    const params = request(clineSession(10));
    const { report } = reduceRequest(params, { settings: DEFAULT_REDUCTION_SETTINGS, minCacheableTokens: 1024 });
    assert.deepEqual(report.applied, ['strip', 'cacheControl', 'dedup', 'diffFirst']);
    assert.ok(report.byLayer.strip! > 0 && report.byLayer.dedup! > 0);
    assert.equal(report.byLayer.diffFirst, -Math.ceil(JSON.stringify({ type: 'text', text: DIFF_FIRST_INSTRUCTION }).length / 4) - 0 || report.byLayer.diffFirst);
    assert.equal(report.tokensBefore - report.tokensAfter, Object.values(report.byLayer).reduce((a, b) => a + b, 0));
    assert.equal(report.breakpoints, 4);
  });

  test('with every layer off the request goes through untouched', () => {
    const params = request(clineSession(10));
    const { params: out, report } = reduceRequest(params, { settings: NO_REDUCTION, minCacheableTokens: 1024 });
    assert.equal(out, params);
    assert.deepEqual(report.applied, []);
    assert.equal(report.tokensBefore, report.tokensAfter);
  });

  test('diff-first is appended once, as the last system block', () => {
    const { params } = reduceRequest(request(clineSession(2)), { settings: only(['diffFirst']), minCacheableTokens: 1024 });
    const system = params.system as Array<{ text: string }>;
    assert.equal(system.length, 2);
    assert.equal(system[1]!.text, DIFF_FIRST_INSTRUCTION);
    const again = reduceRequest(params, { settings: only(['diffFirst']), minCacheableTokens: 1024 }).params;
    assert.equal((again.system as unknown[]).length, 2);
  });

  test('uses the lifetime it is given for its breakpoints', () => {
    const { params } = reduceRequest(request(clineSession(4)), { settings: DEFAULT_REDUCTION_SETTINGS, minCacheableTokens: 1024, cacheTtl: '1h' });
    assert.equal((JSON.stringify(params).match(/"ttl":"1h"/g) ?? []).length, 4);
  });
});
