// The thinking detail of a usage record: the upstream's input_transformations as structured drops, and the
// record's thinking normalized the same way whether freshly built or read back from a row.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { droppedUpstreamBlocks } from '../../src/translate/thinking-transformations.ts';
import { buildUsageRecord, thinkingDetail } from '../../src/usage/record.ts';

test('only thinking entries of input_transformations become drops, with their reason and path', () => {
  assert.deepEqual(droppedUpstreamBlocks(undefined), []);
  assert.deepEqual(droppedUpstreamBlocks({ type: 'thinking_dropped' }), []);
  assert.deepEqual(
    droppedUpstreamBlocks([
      { type: 'thinking_dropped', reason: 'prefix_binding_mismatch', path: 'messages.1.content.0' },
      { type: 'something_else', reason: 'x', path: 'messages.0' },
      { type: 'thinking_mismatch_allowed', reason: 'model_binding_mismatch' },
      null,
    ]),
    [
      { type: 'thinking_dropped', reason: 'prefix_binding_mismatch', path: 'messages.1.content.0' },
      { type: 'thinking_mismatch_allowed', reason: 'model_binding_mismatch', path: null },
    ],
  );
});

test('thinking detail: null without thinking, whole counts and flags otherwise', () => {
  assert.equal(thinkingDetail(undefined), null);
  assert.equal(thinkingDetail(null), null);
  assert.deepEqual(thinkingDetail({ sent: 2.4, removed: -1, switchedOff: true }), {
    sent: 2, removed: 0, unchecked: 0, dropBlock: false, switchedOff: true, upstream: [],
  });
});

test('the usage record carries the request record thinking, or null', () => {
  const base = { id: 'r1', endpoint: 'chat' as const, projectId: 'default', keyId: null, client: null, status: 200, endedAt: 2000, prices: new Map() };
  assert.equal(buildUsageRecord({ ...base, record: { startedAt: 1000 } }).thinking, null);
  const thinking = { sent: 1, removed: 1, unchecked: 0, dropBlock: false, switchedOff: false, upstream: [{ type: 'thinking_dropped', reason: 'prefix_binding_mismatch', path: 'messages.3.content.0' }] };
  assert.deepEqual(buildUsageRecord({ ...base, record: { startedAt: 1000, thinking } }).thinking, thinking);
});
