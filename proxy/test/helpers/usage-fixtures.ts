// Usage records for tests, complete and plausible, with the fields a test cares about overridden.
import type { UsageRecord } from '../../src/usage/record.ts';

export function usageRecord(id: string, overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    id, ts: '2026-11-20T10:00:00.000Z', projectId: 'default', keyId: 'key_abc', client: 'test', endpoint: 'chat',
    requestedModel: 'sonnet', model: 'claude-sonnet-5-5', routeReason: 'alias', stream: false, status: 200, errorType: null,
    latencyMs: 100, ttftMs: 50, tokensBefore: null, tokensAfter: null, reductionByLayer: {}, inputTokens: 10,
    cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 5, costUsd: 0.00007, baselineCostUsd: 0.00007, cacheHit: null, batch: false, thinking: null,
    ...overrides,
  };
}
