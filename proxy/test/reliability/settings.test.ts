// The routing and reliability variables read from the environment, and the fallback chain they configure.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configFromEnv } from '../../src/config/env.ts';
import { ConfigError } from '../../src/config/env-readers.ts';
import { makeConfig } from '../../src/config/config.ts';
import { modelsToTry } from '../../src/reliability/fallback-chain.ts';
import { tryResolveModel } from '../../src/routing/resolve-model.ts';

const base = { ANTHROPIC_API_KEY: 'sk-ant-test-0000', GATEWAY_API_KEY: 'gateway-key-0123456789', ADMIN_API_KEY: 'admin-key-9876543210', DATA_DIR: '/tmp/cg' };

describe('environment', () => {
  test('defaults', () => {
    const c = configFromEnv(base);
    assert.deepEqual(
      {
        enableSmartRouting: c.enableSmartRouting, opusRoutingThreshold: c.opusRoutingThreshold, smartRouteDefaultModel: c.smartRouteDefaultModel,
        retryEnabled: c.retryEnabled, retryMaxAttempts: c.retryMaxAttempts, retryBackoffBaseMs: c.retryBackoffBaseMs, retryMaxDelayMs: c.retryMaxDelayMs,
        circuitBreakerEnabled: c.circuitBreakerEnabled, circuitBreakerThreshold: c.circuitBreakerThreshold, circuitBreakerTimeoutMs: c.circuitBreakerTimeoutMs,
        fallbackChain: c.fallbackChain, rateLimitEnabled: c.rateLimitEnabled, rateLimitRpm: c.rateLimitRpm, rateLimitTpm: c.rateLimitTpm,
      },
      {
        enableSmartRouting: false, opusRoutingThreshold: 0.5, smartRouteDefaultModel: false,
        retryEnabled: true, retryMaxAttempts: 3, retryBackoffBaseMs: 500, retryMaxDelayMs: 5_000,
        circuitBreakerEnabled: true, circuitBreakerThreshold: 5, circuitBreakerTimeoutMs: 30_000,
        fallbackChain: ['opus', 'sonnet'], rateLimitEnabled: false, rateLimitRpm: 60, rateLimitTpm: 0,
      },
    );
  });

  test('every variable is read', () => {
    const c = configFromEnv({
      ...base,
      ENABLE_SMART_ROUTING: '1', OPUS_ROUTING_THRESHOLD: '0.65', SMART_ROUTE_DEFAULT_MODEL: 'yes',
      RETRY_ENABLED: 'off', RETRY_MAX_ATTEMPTS: '5', RETRY_BACKOFF_BASE: '0.25', RETRY_MAX_DELAY_SECONDS: '12',
      CIRCUIT_BREAKER_ENABLED: 'false', CIRCUIT_BREAKER_THRESHOLD: '8', CIRCUIT_BREAKER_TIMEOUT: '45',
      FALLBACK_CHAIN: 'claude-opus-5-5, sonnet, haiku', RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_RPM: '120', RATE_LIMIT_TPM: '400000',
    });
    assert.equal(c.enableSmartRouting, true);
    assert.equal(c.opusRoutingThreshold, 0.65);
    assert.equal(c.smartRouteDefaultModel, true);
    assert.equal(c.retryEnabled, false);
    assert.equal(c.retryMaxAttempts, 5);
    assert.equal(c.retryBackoffBaseMs, 250);
    assert.equal(c.retryMaxDelayMs, 12_000);
    assert.equal(c.circuitBreakerEnabled, false);
    assert.equal(c.circuitBreakerThreshold, 8);
    assert.equal(c.circuitBreakerTimeoutMs, 45_000);
    assert.deepEqual(c.fallbackChain, ['claude-opus-5-5', 'sonnet', 'haiku']);
    assert.equal(c.rateLimitEnabled, true);
    assert.equal(c.rateLimitRpm, 120);
    assert.equal(c.rateLimitTpm, 400_000);
    assert.deepEqual(configFromEnv({ ...base, FALLBACK_CHAIN: 'off' }).fallbackChain, []);
  });

  test('bad values are named', () => {
    assert.throws(
      () => configFromEnv({ ...base, OPUS_ROUTING_THRESHOLD: '2', RETRY_MAX_ATTEMPTS: '0', CIRCUIT_BREAKER_TIMEOUT: 'soon', RATE_LIMIT_RPM: '-1' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(
          error.problems.map((p) => p.split(' ')[0]),
          ['OPUS_ROUTING_THRESHOLD', 'RETRY_MAX_ATTEMPTS', 'CIRCUIT_BREAKER_TIMEOUT', 'RATE_LIMIT_RPM'],
        );
        return true;
      },
    );
  });
});

describe('fallback chain', () => {
  const config = makeConfig({ gatewayApiKey: 'k'.repeat(20) });
  const resolve = (name: string) => tryResolveModel(name, config);
  const table: Array<[string, string[], string[]]> = [
    ['claude-opus-5-5', ['opus', 'sonnet'], ['claude-opus-5-5', 'claude-sonnet-5-5']],
    ['claude-sonnet-5-5', ['opus', 'sonnet'], ['claude-sonnet-5-5']],
    ['claude-haiku-5-5', ['opus', 'sonnet'], ['claude-haiku-5-5']],
    ['claude-opus-5-5', ['opus', 'cg-sonnet', 'gpt-4o', 'sonnet', 'haiku'], ['claude-opus-5-5', 'claude-sonnet-5-5', 'claude-haiku-5-5']],
    ['claude-opus-5-5', [], ['claude-opus-5-5']],
  ];
  for (const [model, chain, expected] of table) {
    test(`${model} with [${chain.join(', ')}]`, () => assert.deepEqual(modelsToTry(model, chain, resolve), expected));
  }
});
