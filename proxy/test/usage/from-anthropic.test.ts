// Anthropic usage → the request record's usage, as a table: every path (chat, stream, pass-through, batches)
// records through this one mapper.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { recordUsage, recordUsageOf } from '../../src/usage/from-anthropic.ts';

const cases: Array<[string, Record<string, unknown>, ReturnType<typeof recordUsage>]> = [
  ['plain input and output', { input_tokens: 10, output_tokens: 5 }, { prompt: 10, completion: 5, cacheRead: 0, cacheWrite: 0 }],
  [
    'cache reads and writes count in the prompt',
    { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 40 },
    { prompt: 150, completion: 5, cacheRead: 100, cacheWrite: 40 },
  ],
  [
    'the 1-hour part of the writes is kept for pricing',
    { input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: 30, cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 20 } },
    { prompt: 31, completion: 2, cacheRead: 0, cacheWrite: 30, cacheWrite1h: 20 },
  ],
  ['a zero 1-hour part is left out', { input_tokens: 1, output_tokens: 1, cache_creation: { ephemeral_1h_input_tokens: 0 } }, { prompt: 1, completion: 1, cacheRead: 0, cacheWrite: 0 }],
  [
    'nulls, negatives and missing fields count as zero',
    { input_tokens: null, output_tokens: -3, cache_read_input_tokens: null },
    { prompt: 0, completion: 0, cacheRead: 0, cacheWrite: 0 },
  ],
  ['an empty object (a message_delta without counts)', {}, { prompt: 0, completion: 0, cacheRead: 0, cacheWrite: 0 }],
  [
    'server tool and thinking details do not change the counts',
    { input_tokens: 7, output_tokens: 9, server_tool_use: { web_search_requests: 1 }, output_tokens_details: { thinking_tokens: 4 } },
    { prompt: 7, completion: 9, cacheRead: 0, cacheWrite: 0 },
  ],
];

describe('recordUsage', () => {
  for (const [name, usage, expected] of cases) {
    test(name, () => assert.deepEqual(recordUsage(usage as never), expected));
  }

  test('recordUsageOf ignores what is not a usage object', () => {
    assert.equal(recordUsageOf(undefined), undefined);
    assert.equal(recordUsageOf(null), undefined);
    assert.equal(recordUsageOf('10'), undefined);
    assert.equal(recordUsageOf([1]), undefined);
    assert.deepEqual(recordUsageOf({ input_tokens: 2, output_tokens: 3 }), { prompt: 2, completion: 3, cacheRead: 0, cacheWrite: 0 });
  });
});
