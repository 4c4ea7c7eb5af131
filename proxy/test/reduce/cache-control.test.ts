import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import { clientMarks, MAX_BREAKPOINTS, placeBreakpoints } from '../../src/reduce/cache-control.ts';
import { clineSession, request, toolSession } from './conversations.ts';

function marks(params: MessageCreateParams): string[] {
  const out: string[] = [];
  JSON.stringify(params, (key, value) => {
    if (key === 'cache_control' && value) out.push(value.ttl ?? '5m');
    return value;
  });
  return out;
}

function markedMessages(params: MessageCreateParams): number[] {
  return params.messages.flatMap((m, i) => (JSON.stringify(m.content).includes('cache_control') ? [i] : []));
}

describe('cacheControl: breakpoints placed by the gateway', () => {
  test('tools+system and the last three user turns, within the limit of four', () => {
    const params = request(clineSession(6));
    const { params: out, breakpoints, added } = placeBreakpoints(params, { minCacheableTokens: 1024, ttl: '5m' });
    assert.equal(breakpoints, 4);
    assert.equal(added, 4);
    assert.deepEqual(markedMessages(out), [8, 10, 12]);
    assert.ok(JSON.stringify(out.system).includes('cache_control'));
  });

  test('never more than four, whatever the conversation', () => {
    for (const messages of [clineSession(1), clineSession(9), toolSession(1), toolSession(7)]) {
      for (const min of [0, 1024, 4096, 50_000]) {
        const { params } = placeBreakpoints(request(messages), { minCacheableTokens: min, ttl: '5m' });
        assert.ok(marks(params).length <= MAX_BREAKPOINTS);
      }
    }
  });

  test('leaves out breakpoints whose prefix is below the model minimum', () => {
    const small = request([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }, { role: 'user', content: 'bye' }], 'Be brief.');
    const { breakpoints, params } = placeBreakpoints(small, { minCacheableTokens: 1024, ttl: '5m' });
    assert.equal(breakpoints, 0);
    assert.deepEqual(marks(params), []);
    // User turns still switch to block form, so they read the same once a mark does fit.
    assert.deepEqual(params.messages[2], { role: 'user', content: [{ type: 'text', text: 'bye' }] });
  });

  test('marks the last block of a tool-result turn and converts string contents to blocks', () => {
    const { params } = placeBreakpoints(request(toolSession(3)), { minCacheableTokens: 0, ttl: '1h' });
    const last = params.messages[params.messages.length - 1]!.content as Array<{ type: string; cache_control?: unknown }>;
    assert.deepEqual(last[last.length - 1]!.cache_control, { type: 'ephemeral', ttl: '1h' });
    const cline = placeBreakpoints(request(clineSession(2)), { minCacheableTokens: 0, ttl: '5m' }).params;
    assert.deepEqual((cline.messages[4]!.content as Array<{ cache_control?: unknown }>)[0]!.cache_control, { type: 'ephemeral' });
  });

  test('stands aside for a client that manages message breakpoints, filling only tools+system', () => {
    const params = request(clineSession(3));
    params.messages[2] = { role: 'user', content: [{ type: 'text', text: 'mine', cache_control: { type: 'ephemeral' } }] };
    const { params: out, breakpoints, added } = placeBreakpoints(params, { minCacheableTokens: 0, ttl: '1h' });
    assert.equal(added, 1);
    assert.equal(breakpoints, 2);
    assert.deepEqual(markedMessages(out), [2]);
    // The client's 5m mark comes after ours, so ours may not be 1h.
    assert.deepEqual(marks(out), ['5m', '5m']);
  });

  test('counts automatic caching as the client\'s and adds nothing in messages', () => {
    const params = { ...request(clineSession(3)), cache_control: { type: 'ephemeral' as const } };
    const { params: out } = placeBreakpoints(params, { minCacheableTokens: 0, ttl: '5m' });
    assert.deepEqual(markedMessages(out), []);
    assert.equal(clientMarks(out).prefix, 1);
  });

  test('adds nothing when the client already used all four', () => {
    const params = request(clineSession(4));
    for (const i of [0, 2, 4, 6]) params.messages[i] = { role: 'user', content: [{ type: 'text', text: `t${i}`, cache_control: { type: 'ephemeral' } }] };
    const { params: out, breakpoints, added } = placeBreakpoints(params, { minCacheableTokens: 0, ttl: '5m' });
    assert.equal(added, 0);
    assert.equal(breakpoints, 4);
    assert.equal(out, params);
  });
});
