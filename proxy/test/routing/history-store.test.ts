// Where the router's learning is kept: the same behaviour from the memory and the SQLite stores, what SQLite
// keeps across a restart, and the /admin/routing summary of recent decisions.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ConversationState } from '../../src/routing/conversation.ts';
import { reasonKinds, summarizeDecisions } from '../../src/routing/decision-log.ts';
import { createMemoryRoutingHistory, type RoutingHistoryStore } from '../../src/routing/history-store.ts';
import { createSqliteRoutingHistory } from '../../src/routing/sqlite-history-store.ts';
import { openSqlite } from '../../src/store/sqlite.ts';

const state = (model: string, updatedAt: number): ConversationState => ({
  model,
  score: 0.6,
  bucket: 'architecture:s:plain',
  messageCount: 3,
  lastMessageHash: 'h1',
  lastHumanHash: 'h2',
  badReported: false,
  updatedAt,
});

async function exercise(store: RoutingHistoryStore): Promise<void> {
  await store.addOutcome('p', 'b', 'opus', { served: 1, bad: 0 });
  await store.addOutcome('p', 'b', 'opus', { served: 1, bad: 1 });
  await store.addOutcome('p', 'b', 'sonnet', { served: 0, bad: 1 });
  await store.addOutcome('q', 'b', 'opus', { served: 5, bad: 5 });
  assert.deepEqual(await store.bucketStats('p', 'b'), { opus: { served: 2, bad: 1 }, sonnet: { served: 0, bad: 1 } });
  assert.deepEqual(await store.bucketStats('p', 'other'), {});
  await store.putConversation('p', 'c1', state('opus', 1_000));
  assert.deepEqual(await store.getConversation('p', 'c1'), state('opus', 1_000));
  assert.equal(await store.getConversation('q', 'c1'), undefined, 'conversations are per project');
}

describe('routing history stores', () => {
  test('memory', async () => {
    await exercise(createMemoryRoutingHistory());
  });

  test('SQLite: the same, and it survives a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-routing-'));
    try {
      const file = join(dir, 'gateway.sqlite');
      let db = openSqlite(file);
      const first = createSqliteRoutingHistory(db, { now: () => 2_000 });
      await exercise(first);
      first.close();
      db.close();

      db = openSqlite(file);
      const second = createSqliteRoutingHistory(db, { now: () => 3_000 });
      assert.deepEqual(await second.bucketStats('p', 'b'), { opus: { served: 2, bad: 1 }, sonnet: { served: 0, bad: 1 } });
      assert.deepEqual(await second.getConversation('p', 'c1'), state('opus', 1_000));
      second.close();
      db.close();

      db = openSqlite(file);
      const muchLater = createSqliteRoutingHistory(db, { now: () => 1_000 + 8 * 24 * 3_600_000 });
      assert.equal(await muchLater.getConversation('p', 'c1'), undefined, 'old conversations are forgotten');
      muchLater.close();
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('routing summary', () => {
  test('counts kinds of reason and models, newest filters applied', () => {
    assert.deepEqual(reasonKinds('smart:opus score 0.72 (architecture, 14 files); fallback:claude-opus-5-5 overloaded'), ['smart:opus', 'fallback:claude-opus-5-5']);
    const decisions = [
      { ts: 10, projectId: 'default', model: 'claude-opus-5-5', reason: 'smart:opus score 0.72 (architecture)' },
      { ts: 20, projectId: 'default', model: 'claude-sonnet-5-5', reason: 'smart:opus score 0.60 (security); fallback:claude-opus-5-5 overloaded' },
      { ts: 30, projectId: 'p2', model: 'claude-sonnet-5-5', reason: 'alias' },
      { ts: 40, projectId: 'default', model: 'claude-sonnet-5-5', reason: 'sticky:sonnet score 0.55 (conversation stays)' },
    ];
    assert.deepEqual(summarizeDecisions(decisions), {
      byReason: [
        { reason: 'smart:opus', count: 2 },
        { reason: 'alias', count: 1 },
        { reason: 'fallback:claude-opus-5-5', count: 1 },
        { reason: 'sticky:sonnet', count: 1 },
      ],
      byModel: [
        { model: 'claude-sonnet-5-5', count: 3 },
        { model: 'claude-opus-5-5', count: 1 },
      ],
    });
    assert.deepEqual(summarizeDecisions(decisions, { projectId: 'default', from: 15, to: 40 }), {
      byReason: [
        { reason: 'fallback:claude-opus-5-5', count: 1 },
        { reason: 'smart:opus', count: 1 },
      ],
      byModel: [{ model: 'claude-sonnet-5-5', count: 1 }],
    });
  });
});
