import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { capabilitiesFor, findModel, MODEL_CATALOG } from '../../src/models/catalog.ts';
import { baseModelId, parseModelId } from '../../src/models/model-id.ts';

describe('findModel', () => {
  const cases: Array<[string, string | undefined]> = [
    ['claude-sonnet-5-5', 'claude-sonnet-5-5'],
    ['claude-opus-5-5', 'claude-opus-5-5'],
    ['claude-fable-5-1', 'claude-fable-5-1'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    ['claude-opus-4-5-20251101', 'claude-opus-4-5'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['CLAUDE-OPUS-4-6', 'claude-opus-4-6'],
    ['claude-opus-4.6', 'claude-opus-4-6'],
    ['anthropic/claude-sonnet-4-6', 'claude-sonnet-4-6'],
    ['anthropic.claude-opus-4-1-20250805-v1:0', 'claude-opus-4-1'],
    ['us.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5'],
    ['claude-opus-4-1@20250805', 'claude-opus-4-1'],
    ['claude-opus-4-6[1m]', 'claude-opus-4-6'],
    ['claude-sonnet-4-5-latest', 'claude-sonnet-4-5'],
    ['claude-opus-6', undefined],
    ['gpt-4o', undefined],
    ['', undefined],
  ];
  for (const [id, expected] of cases) {
    test(`${JSON.stringify(id)} → ${expected ?? 'unknown'}`, () => {
      assert.equal(findModel(id)?.id, expected);
    });
  }
});

describe('the catalog', () => {
  test('ids are unique and canonical', () => {
    const ids = MODEL_CATALOG.map((m) => m.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.equal(baseModelId(id), id);
  });

  test('holds the required models', () => {
    for (const id of [
      'claude-fable-5-1', 'claude-opus-5-5', 'claude-opus-5', 'claude-sonnet-5-5', 'claude-sonnet-5', 'claude-haiku-5-5',
      'claude-haiku-4-5', 'claude-opus-4-8', 'claude-opus-4-7', 'claude-opus-4-6', 'claude-sonnet-4-6', 'claude-opus-4-5',
      'claude-sonnet-4-5', 'claude-opus-4-1',
    ]) {
      assert.ok(findModel(id), `${id} missing`);
    }
  });

  test('knows every model the installed SDK names', () => {
    const require = createRequire(import.meta.url);
    const sdkRoot = dirname(require.resolve('@anthropic-ai/sdk'));
    const dts = readFileSync(join(sdkRoot, 'resources', 'messages', 'messages.d.ts'), 'utf8');
    const union = /export type Model = ([^;]+);/.exec(dts)?.[1] ?? '';
    const ids = [...union.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    assert.ok(ids.length > 10, 'could not read the SDK model list');
    for (const id of ids) assert.ok(findModel(id), `SDK model ${id} is not in the catalog`);
  });

  test('entries are internally consistent', () => {
    for (const m of MODEL_CATALOG) {
      assert.equal(m.defaultMaxTokens, Math.min(m.maxOutputTokens, 32_000), m.id);
      assert.ok(m.maxOutputTokens <= m.contextWindow, m.id);
      assert.match(m.createdAt, /^\d{4}-\d{2}-\d{2}$/, m.id);
      if (!m.effort) assert.equal(m.effortLevels, undefined, m.id);
      if (m.thinking === 'adaptive-only' || m.thinking === 'always-on') assert.equal(m.sampling, 'none', m.id);
    }
  });

  test('documented facts', () => {
    const opus55 = findModel('claude-opus-5-5')!;
    assert.deepEqual(
      [opus55.contextWindow, opus55.maxOutputTokens, opus55.sampling, opus55.thinking, opus55.effort, opus55.createdAt],
      [1_000_000, 128_000, 'none', 'always-on', true, '2026-09-22'],
    );
    const haiku45 = findModel('claude-haiku-4-5')!;
    assert.deepEqual(
      [haiku45.contextWindow, haiku45.maxOutputTokens, haiku45.sampling, haiku45.thinking, haiku45.effort, haiku45.minCacheableTokens],
      [200_000, 64_000, 'exclusive', 'budget', false, 4096],
    );
    assert.deepEqual(findModel('claude-opus-4-6')!.effortLevels, ['low', 'medium', 'high', 'max']);
    assert.equal(findModel('claude-opus-4-7')!.minCacheableTokens, 2048);
    assert.equal(findModel('claude-opus-4-1')!.structuredOutputs, false);
  });
});

describe('capabilitiesFor ids the table does not know', () => {
  test('a newer version inherits from the newest of its family', () => {
    const caps = capabilitiesFor('claude-opus-6');
    assert.equal(caps.id, 'claude-opus-6');
    assert.equal(caps.family, 'opus');
    assert.equal(caps.displayName, 'Claude Opus 6');
    assert.deepEqual(
      [caps.sampling, caps.thinking, caps.effort, caps.maxOutputTokens],
      [findModel('claude-opus-5-5')!.sampling, 'always-on', true, 128_000],
    );
  });

  test('a dated newer snapshot', () => {
    const caps = capabilitiesFor('claude-sonnet-5-7-20270101');
    assert.equal(caps.id, 'claude-sonnet-5-7');
    assert.equal(caps.thinking, findModel('claude-sonnet-5-5')!.thinking);
  });

  test('a version between table entries takes the one below it', () => {
    assert.equal(capabilitiesFor('claude-haiku-4-9').maxOutputTokens, 64_000);
    assert.equal(capabilitiesFor('claude-haiku-4-9').thinking, 'budget');
  });

  test('older than the table', () => {
    const old = capabilitiesFor('claude-3-5-haiku-20241022');
    assert.deepEqual([old.family, old.thinking, old.maxOutputTokens, old.structuredOutputs], ['haiku', 'none', 8_192, false]);
    const sonnet4 = capabilitiesFor('claude-sonnet-4-20250514');
    assert.deepEqual([sonnet4.thinking, sonnet4.sampling, sonnet4.effort], ['budget', 'exclusive', false]);
  });

  test('not recognisably Claude: nothing that needs a capability', () => {
    const caps = capabilitiesFor('claude-next');
    assert.deepEqual(
      [caps.family, caps.sampling, caps.thinking, caps.effort, caps.structuredOutputs],
      ['other', 'none', 'none', false, false],
    );
  });

  test('known ids return the table entry itself', () => {
    assert.equal(capabilitiesFor('claude-haiku-4-5-20251001'), findModel('claude-haiku-4-5'));
  });
});

describe('parseModelId', () => {
  test('new and old naming schemes', () => {
    assert.deepEqual(parseModelId('claude-sonnet-4-5-20250929'), { base: 'claude-sonnet-4-5', family: 'sonnet', major: 4, minor: 5 });
    assert.deepEqual(parseModelId('claude-3-7-sonnet-latest'), { base: 'claude-3-7-sonnet', family: 'sonnet', major: 3, minor: 7 });
    assert.deepEqual(parseModelId('claude-opus-5'), { base: 'claude-opus-5', family: 'opus', major: 5, minor: 0 });
    assert.deepEqual(parseModelId('claude-mythos-preview'), { base: 'claude-mythos-preview', family: 'mythos', major: undefined, minor: 0 });
  });
});
