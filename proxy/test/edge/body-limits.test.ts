import assert from 'node:assert/strict';
import { test } from 'node:test';
import { itemsFromJsonl } from '../../src/batch/batch-input.ts';
import { MAX_MESSAGES, checkBodyCounts } from '../../src/edge/body-limits.ts';
import { GatewayError } from '../../src/errors.ts';

test('more messages than Anthropic accepts is a 400 naming the field', () => {
  const message = { role: 'user', content: 'x' };
  checkBodyCounts({ messages: Array(MAX_MESSAGES).fill(message) });
  assert.throws(
    () => checkBodyCounts({ input: Array(MAX_MESSAGES + 1).fill(message) }),
    (e: unknown) => e instanceof GatewayError && e.status === 400 && e.param === 'input' && e.code === 'too_many_messages',
  );
});

test('a batch JSONL line nested too deep is refused, not walked', () => {
  const line = `{"custom_id":"a","body":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
  assert.throws(() => itemsFromJsonl(line), (e: unknown) => e instanceof GatewayError && e.status === 400 && /nests more than/.test(e.message));
});
