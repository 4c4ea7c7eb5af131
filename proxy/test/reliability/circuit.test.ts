// The circuit state machine and the breaker over its store: closed → open after the threshold, a single probe
// when half-open, the probe's result deciding, and the state view /health and metrics read.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CircuitBreaker } from '../../src/reliability/circuit-breaker.ts';
import { admit, CLOSED, onFailure, onSuccess, type CircuitRecord } from '../../src/reliability/circuit-state.ts';
import { createLocalCircuitStore } from '../../src/reliability/circuit-store.ts';

const settings = { threshold: 3, timeoutMs: 1_000 };

describe('circuit state machine', () => {
  test('consecutive failures open it at the threshold; a success resets the count', () => {
    let record: CircuitRecord = CLOSED;
    record = onFailure(record, 10, settings);
    record = onFailure(record, 20, settings);
    assert.deepEqual(record, { state: 'closed', failures: 2, openedAt: null, probeSince: null });
    assert.deepEqual(onSuccess(), CLOSED);
    record = onFailure(record, 30, settings);
    assert.deepEqual(record, { state: 'open', failures: 3, openedAt: 30, probeSince: null });
  });

  test('open refuses until the timeout, then lets exactly one probe through', () => {
    const open: CircuitRecord = { state: 'open', failures: 3, openedAt: 1_000, probeSince: null };
    assert.deepEqual(admit(open, 1_400, settings), { admission: 'reject', next: open, retryInMs: 600 });
    const probe = admit(open, 2_000, settings);
    assert.equal(probe.admission, 'probe');
    assert.deepEqual(probe.next, { state: 'half_open', failures: 3, openedAt: 1_000, probeSince: 2_000 });
    assert.equal(admit(probe.next, 2_001, settings).admission, 'reject', 'a second caller waits for the probe');
    assert.equal(admit(probe.next, 3_000, settings).admission, 'probe', 'a probe that never reported frees the slot');
  });

  test('a failed probe opens it again from now', () => {
    const halfOpen: CircuitRecord = { state: 'half_open', failures: 3, openedAt: 1_000, probeSince: 2_000 };
    assert.deepEqual(onFailure(halfOpen, 2_100, settings), { state: 'open', failures: 4, openedAt: 2_100, probeSince: null });
  });
});

describe('circuit breaker', () => {
  test('per upstream and model, with the state view sorted and stable', async () => {
    let now = 0;
    const breaker = new CircuitBreaker({ enabled: true, ...settings, store: createLocalCircuitStore(), now: () => now });
    for (let i = 0; i < 3; i++) await breaker.failure('api.anthropic.com', 'claude-opus-5-5');
    await breaker.failure('api.anthropic.com', 'claude-sonnet-5-5');
    assert.deepEqual(breaker.states(), [
      { upstream: 'api.anthropic.com', model: 'claude-opus-5-5', state: 'open' },
      { upstream: 'api.anthropic.com', model: 'claude-sonnet-5-5', state: 'closed' },
    ]);
    assert.deepEqual(await breaker.admit('api.anthropic.com', 'claude-opus-5-5'), { admission: 'reject', retryInMs: 1_000 });
    assert.deepEqual(await breaker.admit('api.anthropic.com', 'claude-sonnet-5-5'), { admission: 'pass', retryInMs: 0 });
    assert.deepEqual(await breaker.admit('other.example', 'claude-opus-5-5'), { admission: 'pass', retryInMs: 0 });

    now = 1_000;
    const [first, second] = await Promise.all([breaker.admit('api.anthropic.com', 'claude-opus-5-5'), breaker.admit('api.anthropic.com', 'claude-opus-5-5')]);
    assert.deepEqual([first.admission, second.admission].sort(), ['probe', 'reject']);
    assert.equal(breaker.states()[0]!.state, 'half_open');
    await breaker.success('api.anthropic.com', 'claude-opus-5-5');
    assert.equal(breaker.states()[0]!.state, 'closed');
  });

  test('disabled: everything passes and nothing is tracked', async () => {
    const breaker = new CircuitBreaker({ enabled: false, ...settings, store: createLocalCircuitStore(), now: () => 0 });
    for (let i = 0; i < 10; i++) await breaker.failure('u', 'm');
    assert.deepEqual(await breaker.admit('u', 'm'), { admission: 'pass', retryInMs: 0 });
    assert.deepEqual(breaker.states(), []);
  });
});
