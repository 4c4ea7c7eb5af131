// End to end against the fake Anthropic (real prompt-caching arithmetic, simulated clock): a growing agent
// session sent through the pipeline reads the cache from its second turn on.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import { CachePacing } from '../../src/reduce/pacing.ts';
import { anthropicAnchor, conversationIds } from '../../src/translate/conversation-id.ts';
import { DEFAULT_REDUCTION_SETTINGS, NO_REDUCTION, reduceRequest } from '../../src/reduce/pipeline.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.ts';
import { clineSession, request } from './conversations.ts';

interface Usage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

describe('prompt caching end to end', () => {
  let fake: FakeAnthropic;
  let now = 0;
  before(async () => {
    fake = await startFakeAnthropic({ now: () => now, respond: () => ({ content: [{ type: 'text', text: 'ok' }] }) });
  });
  after(() => fake.close());

  async function send(params: MessageCreateParams, scope: string): Promise<Usage> {
    const res = await fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': scope, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(params),
    });
    const body = (await res.json()) as { usage: Usage };
    assert.equal(res.status, 200, JSON.stringify(body));
    return body.usage;
  }

  async function replay(scope: string, gapMs: number, reduce: boolean): Promise<Usage[]> {
    const messages = clineSession(8);
    const pacing = new CachePacing();
    const usages: Usage[] = [];
    for (let n = 1; n <= messages.length; n += 2) {
      now += gapMs;
      const original = request(messages.slice(0, n));
      const params = reduce
        ? reduceRequest(original, { settings: DEFAULT_REDUCTION_SETTINGS, minCacheableTokens: 1024, cacheTtl: pacing.observe(conversationIds(anthropicAnchor(original)).named ?? '', now) }).params
        : reduceRequest(original, { settings: NO_REDUCTION, minCacheableTokens: 1024 }).params;
      usages.push(await send(params, scope));
    }
    return usages;
  }

  test('every turn after the first reads what the turn before wrote', async () => {
    const usages = await replay('fast', 30_000, true);
    assert.equal(usages[0]!.cache_read_input_tokens, 0);
    assert.ok(usages[0]!.cache_creation_input_tokens > 1000);
    for (let i = 1; i < usages.length; i++) {
      const previousTotal = usages[i - 1]!.input_tokens + usages[i - 1]!.cache_creation_input_tokens + usages[i - 1]!.cache_read_input_tokens;
      assert.equal(usages[i]!.cache_read_input_tokens, previousTotal, `turn ${i + 1} reads the whole previous prompt`);
      assert.equal(usages[i]!.input_tokens, 0);
    }
  });

  test('a slow conversation moves to 1-hour entries and keeps hitting across 10-minute gaps', async () => {
    const usages = await replay('slow', 10 * 60_000, true);
    // The second turn comes after the 5-minute entries expired; from then on the 1-hour ones hold.
    assert.equal(usages[1]!.cache_read_input_tokens, 0);
    for (let i = 2; i < usages.length; i++) assert.ok(usages[i]!.cache_read_input_tokens > 0, `turn ${i + 1}`);
  });

  test('without the pipeline nothing is ever read from the cache', async () => {
    const usages = await replay('plain', 30_000, false);
    assert.ok(usages.every((u) => u.cache_read_input_tokens === 0 && u.cache_creation_input_tokens === 0));
  });
});
