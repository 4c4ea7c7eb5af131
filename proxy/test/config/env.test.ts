import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configFromEnv } from '../../src/config/env.ts';
import { ConfigError } from '../../src/config/env-readers.ts';
import { defaultDataDir } from '../../src/config/data-dir.ts';

const base = { ANTHROPIC_API_KEY: 'sk-ant-test-0000', GATEWAY_API_KEY: 'gateway-key-0123456789', ADMIN_API_KEY: 'admin-key-9876543210', DATA_DIR: '/tmp/cg' };

describe('configFromEnv', () => {
  test('applies defaults', () => {
    const config = configFromEnv(base);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 8787);
    assert.equal(config.anthropicBaseUrl, 'https://api.anthropic.com');
    assert.equal(config.adminApiKey, base.ADMIN_API_KEY);
    assert.equal(config.requireCfAccessHeaders, false);
    assert.equal(config.upstreamTimeoutMs, 600_000);
    assert.ok(Object.isFrozen(config));
  });

  test('reads every documented variable', () => {
    const config = configFromEnv({
      ...base,
      ADMIN_API_KEY: 'admin-key-0123456789',
      ORIGIN_SECRET: 'o-secret',
      REQUIRE_CF_ACCESS_HEADERS: '1',
      CF_ACCESS_TEAM_DOMAIN: 'myteam.cloudflareaccess.com',
      CF_ACCESS_AUD: 'aud-tag',
      DEFAULT_MODEL: 'claude-sonnet-5',
      OPUS_MODEL: 'claude-opus-5',
      MODEL_PREFIX: 'MYMODEL:',
      UPSTREAM_TIMEOUT_SECONDS: '30',
      CACHE_TTL_SECONDS: '60',
      PORT: '9000',
      HOST: '0.0.0.0',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:4010/',
    });
    assert.equal(config.adminApiKey, 'admin-key-0123456789');
    assert.equal(config.originSecret, 'o-secret');
    assert.equal(config.requireCfAccessHeaders, true);
    assert.equal(config.cfAccessTeamDomain, 'myteam.cloudflareaccess.com');
    assert.deepEqual(config.cfAccessAudiences, ['aud-tag']);
    assert.equal(config.defaultModel, 'claude-sonnet-5');
    assert.equal(config.opusModel, 'claude-opus-5');
    assert.equal(config.modelPrefix, 'MYMODEL:');
    assert.equal(config.upstreamTimeoutMs, 30_000);
    assert.equal(config.cacheTtlSeconds, 60);
    assert.equal(config.port, 9000);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.anthropicBaseUrl, 'http://127.0.0.1:4010');
  });

  test('an ANTHROPIC_BASE_URL ending in /v1 still means the origin', () => {
    assert.equal(configFromEnv({ ...base, ANTHROPIC_BASE_URL: 'https://proxy.example/v1' }).anthropicBaseUrl, 'https://proxy.example');
  });

  test('invalid values fail naming each variable', () => {
    try {
      configFromEnv({ ...base, PORT: 'eighty', REQUIRE_CF_ACCESS_HEADERS: 'maybe', UPSTREAM_TIMEOUT_SECONDS: '-1', ANTHROPIC_BASE_URL: 'ftp://x' });
      assert.fail('expected ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      const text = error.message;
      for (const name of ['PORT', 'REQUIRE_CF_ACCESS_HEADERS', 'UPSTREAM_TIMEOUT_SECONDS', 'ANTHROPIC_BASE_URL']) {
        assert.match(text, new RegExp(name));
      }
      assert.equal(error.problems.length, 4);
    }
  });

  test('missing keys are named', () => {
    assert.throws(() => configFromEnv({ DATA_DIR: '/tmp/cg' }), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /ANTHROPIC_API_KEY/);
      assert.match(e.message, /GATEWAY_API_KEY/);
      return true;
    });
  });

  test('a short gateway key is refused', () => {
    assert.throws(() => configFromEnv({ ...base, GATEWAY_API_KEY: 'short' }), /GATEWAY_API_KEY must be at least 16/);
  });

  test('the host may supply kept keys when GATEWAY_API_KEY and ADMIN_API_KEY are unset', () => {
    const config = configFromEnv(
      { ANTHROPIC_API_KEY: 'k', DATA_DIR: '/tmp/x' },
      { fallbackGatewayKey: (dir) => `kept-key-for-${dir}`, fallbackAdminKey: (dir) => `kept-admin-key-for-${dir}` },
    );
    assert.equal(config.gatewayApiKey, 'kept-key-for-/tmp/x');
    assert.equal(config.adminApiKey, 'kept-admin-key-for-/tmp/x');
  });

  test('the admin key is never the gateway key, and never missing', () => {
    assert.throws(() => configFromEnv({ ...base, ADMIN_API_KEY: base.GATEWAY_API_KEY }), /ADMIN_API_KEY must differ from GATEWAY_API_KEY/);
    const { ADMIN_API_KEY: _unused, ...withoutAdmin } = base;
    assert.throws(() => configFromEnv(withoutAdmin), /ADMIN_API_KEY is not set/);
  });
});

describe('defaultDataDir', () => {
  test('follows each platform convention', () => {
    assert.equal(defaultDataDir('linux', {}, '/home/u'), '/home/u/.config/coding-gateway');
    assert.equal(defaultDataDir('linux', { XDG_CONFIG_HOME: '/x' }, '/home/u'), '/x/coding-gateway');
    assert.equal(defaultDataDir('darwin', {}, '/Users/u'), '/Users/u/Library/Application Support/Coding Gateway');
    assert.equal(defaultDataDir('win32', { APPDATA: 'C:\\AppData' }, 'C:\\Users\\u').endsWith('Coding Gateway'), true);
  });
});
