import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { desktopGatewayConfig, effectiveFeatures, ensureKeys, featureDefaults } from '../../gateway/desktop-config.ts';
import type { SafeStoragePort } from '../../platform/ports.ts';
import { createSecretStore, keychainUsable } from '../../settings/secret-store.ts';
import { createSettingsStore, memorySettingsBackend } from '../../settings/settings-store.ts';
import { DEFAULT_SETTINGS, normalizePublicUrl, readSettings } from '../../settings/settings.ts';
import { tempHome, type TempHome } from '../helpers/temp-home.ts';

/** Reversible but unmistakably not plain text, as the OS keychain's encryption is. */
function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}): SafeStoragePort & { encrypted: number } {
  const box = {
    encrypted: 0,
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: options.backend === undefined ? undefined : () => options.backend!,
    encryptString: (plain: string) => {
      box.encrypted++;
      return Buffer.concat([Buffer.from('v10'), Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)]);
    },
    decryptString: (data: Buffer) => {
      if (!data.subarray(0, 3).equals(Buffer.from('v10'))) throw new Error('not ours');
      return Buffer.from(data.subarray(3).map((b) => b ^ 0x5a)).toString('utf8');
    },
  };
  return box;
}

describe('settings', () => {
  test('a missing or broken file gives the defaults; bad fields fall back one by one', () => {
    assert.deepEqual(readSettings(undefined), DEFAULT_SETTINGS);
    assert.deepEqual(readSettings('nonsense'), DEFAULT_SETTINGS);
    const mixed = readSettings({
      port: 80,
      features: { retryEnabled: false, bogus: 'yes' },
      gatewayEnabled: false,
      routes: { cursor: 'true', localIdes: true },
      cursor: { publicUrl: 'http://insecure.example.com', writeCursorSettings: false },
    });
    assert.deepEqual(mixed, {
      port: 8787,
      features: { retryEnabled: false },
      gatewayEnabled: false,
      routes: { cursor: false, localIdes: true },
      cursor: { publicUrl: null, writeCursorSettings: false },
    });
  });

  test('a public URL must be a bare https origin', () => {
    assert.equal(normalizePublicUrl('https://gw.example.com/'), 'https://gw.example.com');
    assert.equal(normalizePublicUrl('https://gw.example.com/v1'), 'https://gw.example.com');
    assert.equal(normalizePublicUrl('http://gw.example.com'), null);
    assert.equal(normalizePublicUrl('https://user:pw@gw.example.com'), null);
    assert.equal(normalizePublicUrl('https://gw.example.com/other'), null);
    assert.equal(normalizePublicUrl('not a url'), null);
  });

  test('updates are validated, written through the backend and visible at once', () => {
    const backend = memorySettingsBackend({ port: 9000 });
    const store = createSettingsStore(backend);
    assert.equal(store.get().port, 9000);
    store.update((s) => ({ ...s, port: 9100, features: { retryEnabled: false } }));
    assert.deepEqual(backend.data, { ...DEFAULT_SETTINGS, port: 9100, features: { retryEnabled: false } });
    store.update((s) => ({ ...s, port: 1 }));
    assert.equal(store.get().port, 8787, 'an invalid port never reaches the gateway');
  });
});

describe('secrets', () => {
  let t: TempHome;
  beforeEach(() => (t = tempHome()));
  afterEach(() => t.remove());

  test('are stored only as encrypted blobs, owner-only, and read back', () => {
    const safe = fakeSafeStorage();
    const dir = t.path('secrets');
    const secrets = createSecretStore(dir, safe);
    assert.equal(secrets.persistent, true);
    secrets.set('anthropicApiKey', 'sk-ant-very-secret-key-123');
    const file = t.path('secrets', 'anthropicApiKey.bin');
    const onDisk = readFileSync(file);
    assert.equal(onDisk.includes(Buffer.from('sk-ant-very-secret-key-123')), false, 'never plain on disk');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(createSecretStore(dir, safe).get('anthropicApiKey'), 'sk-ant-very-secret-key-123');
    secrets.delete('anthropicApiKey');
    assert.equal(existsSync(file), false);
    assert.equal(createSecretStore(dir, safe).get('anthropicApiKey'), undefined);
  });

  test('without a real keychain they live in memory only: nothing is written', () => {
    for (const safe of [fakeSafeStorage({ available: false }), fakeSafeStorage({ backend: 'basic_text' })]) {
      assert.equal(keychainUsable(safe), false);
      const secrets = createSecretStore(t.path('secrets'), safe);
      assert.equal(secrets.persistent, false);
      secrets.set('gatewayApiKey', 'cg-session-only-key-123456');
      assert.equal(secrets.get('gatewayApiKey'), 'cg-session-only-key-123456');
      assert.equal(existsSync(t.path('secrets')), false);
      assert.equal(safe.encrypted, 0);
    }
    assert.equal(keychainUsable(fakeSafeStorage({ backend: 'gnome_libsecret' })), true);
  });

  test('a blob that cannot be decrypted (another machine) reads as absent', () => {
    const secrets = createSecretStore(t.path('secrets'), fakeSafeStorage());
    secrets.set('adminApiKey', 'x'.repeat(20));
    writeFileSync(t.path('secrets', 'adminApiKey.bin'), 'garbage');
    assert.equal(createSecretStore(t.path('secrets'), fakeSafeStorage()).get('adminApiKey'), undefined);
  });

  test('gateway and admin keys are made on first run, kept, and never equal', () => {
    const secrets = createSecretStore(t.path('secrets'), fakeSafeStorage());
    let n = 0;
    const generate = () => `cg-generated-key-${++n}-abcdefgh`;
    const first = ensureKeys(secrets, generate);
    assert.deepEqual(first, { gatewayApiKey: 'cg-generated-key-1-abcdefgh', adminApiKey: 'cg-generated-key-2-abcdefgh' });
    assert.deepEqual(ensureKeys(createSecretStore(t.path('secrets'), fakeSafeStorage()), generate), first);
    secrets.set('adminApiKey', first.gatewayApiKey);
    assert.notEqual(ensureKeys(secrets, generate).adminApiKey, first.gatewayApiKey);
    assert.deepEqual(readdirSync(t.path('secrets')).sort(), ['adminApiKey.bin', 'gatewayApiKey.bin']);
  });
});

describe('desktop gateway config', () => {
  let t: TempHome;
  beforeEach(() => (t = tempHome()));
  afterEach(() => t.remove());

  test('loopback only, keys from the keychain, feature overrides applied, public hosts allowed', () => {
    const secrets = createSecretStore(t.path('secrets'), fakeSafeStorage());
    secrets.set('anthropicApiKey', 'sk-ant-desktop-key-0123456789');
    const settings = { ...DEFAULT_SETTINGS, port: 9123, features: { retryEnabled: false, notAFlag: true } };
    const config = desktopGatewayConfig({ settings, secrets, dataDir: t.path('data'), publicHosts: ['Quiet-River.trycloudflare.com'] });
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 9123);
    assert.equal(config.anthropicApiKey, 'sk-ant-desktop-key-0123456789');
    assert.equal(config.gatewayApiKey, secrets.get('gatewayApiKey'));
    assert.equal(config.adminApiKey, secrets.get('adminApiKey'));
    assert.notEqual(config.adminApiKey, config.gatewayApiKey);
    assert.deepEqual(config.allowedHosts, ['quiet-river.trycloudflare.com']);
    assert.equal(config.dataDir, t.path('data'));
    assert.equal((config as unknown as Record<string, unknown>).retryEnabled, false);
    assert.equal('notAFlag' in config, false);
    assert.ok(Object.isFrozen(config));
  });

  test('feature flags are the gateway’s boolean settings, minus the access guards', () => {
    const flags = featureDefaults();
    assert.equal(flags.retryEnabled, true);
    assert.equal('requireCfAccessHeaders' in flags, false);
    assert.ok(Object.values(flags).every((v) => typeof v === 'boolean'));
    assert.equal(effectiveFeatures({ ...DEFAULT_SETTINGS, features: { retryEnabled: false } }).retryEnabled, false);
  });
});
