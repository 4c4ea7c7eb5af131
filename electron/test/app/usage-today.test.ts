import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readTodayUsage, startOfLocalDay, type InjectTarget } from '../../gateway/usage-today.ts';

test('asks the admin API for today’s totals with the admin key', async () => {
  const seen: Array<{ url: string; headers: Record<string, string> }> = [];
  const app: InjectTarget = {
    inject: async (options) => {
      seen.push(options);
      return { statusCode: 200, body: JSON.stringify({ totals: { requests: 12, savedUsd: 0.75, costUsd: 2 } }) };
    },
  };
  const now = new Date(2026, 10, 3, 15, 30);
  assert.deepEqual(await readTodayUsage(app, 'admin-key-0123456789', now), { requests: 12, savedUsd: 0.75 });
  const url = new URL(seen[0]!.url, 'http://x');
  assert.equal(url.pathname, '/admin/usage');
  assert.equal(url.searchParams.get('from'), startOfLocalDay(now).toISOString());
  assert.equal(url.searchParams.get('to'), now.toISOString());
  assert.equal(seen[0]!.headers.authorization, 'Bearer admin-key-0123456789');
});

test('anything but a well-formed answer reads as unknown', async () => {
  const answer = (statusCode: number, body: string): InjectTarget => ({ inject: async () => ({ statusCode, body }) });
  const now = new Date();
  assert.equal(await readTodayUsage(undefined, 'k', now), null);
  assert.equal(await readTodayUsage(answer(404, '{}'), 'k', now), null);
  assert.equal(await readTodayUsage(answer(200, '{"totals":{"requests":"3"}}'), 'k', now), null);
  assert.equal(await readTodayUsage(answer(200, 'not json'), 'k', now), null);
  assert.equal(await readTodayUsage({ inject: async () => { throw new Error('closed'); } }, 'k', now), null);
});
