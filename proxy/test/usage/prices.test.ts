// Which price row a model uses: its own, its snapshot's, or the nearest of its family; and every model in the
// catalog has one.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MODEL_CATALOG } from '../../src/models/catalog.ts';
import { priceFor, SHIPPED_PRICES } from '../../src/usage/prices.ts';

const table = new Map(SHIPPED_PRICES.map((p) => [p.model, p]));

describe('priceFor', () => {
  test('every model of the catalog has its own row', () => {
    for (const m of MODEL_CATALOG) assert.equal(priceFor(m.id, table)?.model, m.id, m.id);
  });

  test('dated snapshots and platform spellings use the model row', () => {
    assert.equal(priceFor('claude-haiku-4-5-20251001', table)?.model, 'claude-haiku-4-5');
    assert.equal(priceFor('anthropic.claude-opus-4-1-v1:0', table)?.model, 'claude-opus-4-1');
    assert.equal(priceFor('claude-sonnet-4.6', table)?.model, 'claude-sonnet-4-6');
  });

  test('a version newer than the table takes the closest of its family at or below it', () => {
    assert.equal(priceFor('claude-sonnet-5-7', table)?.model, 'claude-sonnet-5-5');
    assert.equal(priceFor('claude-opus-5-2', table)?.model, 'claude-opus-5');
    assert.equal(priceFor('claude-haiku-9', table)?.model, 'claude-haiku-5-5');
  });

  test('a version older than the table takes the newest of its family', () => {
    assert.equal(priceFor('claude-3-5-sonnet-20241022', table)?.model, 'claude-sonnet-5-5');
  });

  test('a model that is not Claude has no price', () => {
    assert.equal(priceFor('gpt-4o', table), undefined);
  });

  test('shipped rows are well formed', () => {
    for (const p of SHIPPED_PRICES) {
      assert.equal(p.batchDiscount, 0.5, p.model);
      assert.ok(p.outputPerMTok > p.inputPerMTok && p.cacheReadPerMTok < p.inputPerMTok, p.model);
      assert.ok(p.cacheWrite5mPerMTok < p.cacheWrite1hPerMTok, p.model);
    }
  });
});
