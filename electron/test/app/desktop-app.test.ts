import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { parseConfigYaml } from '@continuedev/config-yaml';
import { makeConfig } from '../../../proxy/src/config/config.ts';
import { buildGateway } from '../../../proxy/src/http/app.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../../../proxy/test/fake-anthropic/server.ts';
import { DesktopApp, type CursorRoutePort, type DesktopAppDeps } from '../../app/desktop-app.ts';
import { desktopGatewayConfig } from '../../gateway/desktop-config.ts';
import { createGatewayHost } from '../../gateway/gateway-host.ts';
import type { CursorEnableInput, CursorRouteStatus } from '../../integrations/cursor/cursor-route.ts';
import { BackupLedger } from '../../integrations/file-edit.ts';
import { disableLocalIdes, enableLocalIdes } from '../../integrations/local-ides.ts';
import { createSecretStore } from '../../settings/secret-store.ts';
import { createSettingsStore, memorySettingsBackend } from '../../settings/settings-store.ts';
import type { TrayState } from '../../tray/tray-menu.ts';
import { freePort } from '../helpers/free-port.ts';
import { tempHome, type TempHome } from '../helpers/temp-home.ts';

const UPSTREAM_KEY = 'sk-ant-desktop-upstream-0123456789';
let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic({ apiKey: UPSTREAM_KEY });
});
after(async () => fake.close());

const safeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (s: string) => Buffer.from(`enc:${Buffer.from(s).toString('base64')}`),
  decryptString: (b: Buffer) => Buffer.from(b.toString().slice(4), 'base64').toString(),
};

function healthAs(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/health', headers: { host }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

class FakeCursor implements CursorRoutePort {
  enabled: CursorEnableInput[] = [];
  disabled = 0;
  constructor(private readonly expose: (host: string | null) => Promise<void>) {}
  async enable(input: CursorEnableInput): Promise<CursorRouteStatus> {
    this.enabled.push(input);
    await this.expose('gentle-breeze-sample.trycloudflare.com');
    const endpoint = { baseUrl: 'https://gentle-breeze-sample.trycloudflare.com/v1', apiKey: input.gatewayKey, models: ['cg-sonnet'] };
    return { publicOrigin: 'https://gentle-breeze-sample.trycloudflare.com', viaTunnel: true, healthy: true, endpoint, cursorSettings: 'not-requested', message: 'Paste it.' };
  }
  async disable() {
    this.disabled++;
    await this.expose(null);
    return { cursorSettings: 'nothing-to-do' };
  }
  async onResume() {}
  async restorePending() {
    return false;
  }
}

let t: TempHome;
let port: number;
let app: DesktopApp;
let states: TrayState[];
let clipboard: string[];
let notes: string[];
let followed: number;
let cursor: FakeCursor;
let deps: DesktopAppDeps;

beforeEach(async () => {
  t = tempHome();
  port = await freePort();
  states = [];
  clipboard = [];
  notes = [];
  followed = 0;
  const settings = createSettingsStore(memorySettingsBackend({ port }));
  const secrets = createSecretStore(t.path('userData', 'secrets'), safeStorage);
  const host = createGatewayHost({ build: (config) => buildGateway(config, { logger: false }) });
  const ledger = new BackupLedger(t.path('userData', 'ide-backups'));
  const ides = { home: { home: t.home, platform: 'linux' as const, env: {} }, dataDir: t.path('userData'), ledger };
  let autostart = false;
  deps = {
    settings,
    secrets,
    host,
    configFor: (publicHosts) =>
      makeConfig({ ...desktopGatewayConfig({ settings: settings.get(), secrets, dataDir: t.path('userData'), publicHosts }), anthropicBaseUrl: fake.url }),
    autostart: { isEnabled: () => autostart, setEnabled: (on) => void (autostart = on) },
    localIdes: {
      enable: (endpoint, prefix) => enableLocalIdes(ides, endpoint, prefix),
      disable: (endpoint, prefix) => void disableLocalIdes(ides, endpoint, prefix, 'stamp'),
    },
    cursor: undefined as unknown as CursorRoutePort,
    clipboard: { writeText: (text) => void clipboard.push(text) },
    dashboard: { open: async () => true, follow: async () => void followed++ },
    pdf: { choosePath: async () => t.path('report.pdf'), print: async () => Buffer.from('%PDF-1.7 test') },
    notify: (message) => void notes.push(message),
    now: () => new Date(),
    onChange: (state) => void states.push(state),
    quit: () => {},
  };
  cursor = new FakeCursor((host) => app.exposeHost(host));
  deps.cursor = cursor;
  app = new DesktopApp(deps);
});
afterEach(async () => {
  await app.shutdown();
  t.remove();
});

async function chat(key: string, atPort = port) {
  return fetch(`http://127.0.0.1:${atPort}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'cg-sonnet', messages: [{ role: 'user', content: 'hi' }] }),
  });
}

describe('desktop app', () => {
  test('starts the gateway at launch and reports it; without an Anthropic key it says so', async () => {
    await app.init();
    assert.equal(app.trayState.status, 'running');
    assert.equal(app.trayState.port, port);
    assert.equal(app.trayState.problem, 'No Anthropic API key yet: add it in the dashboard.');
    const sequence = states.map((s) => s.status).filter((status, i, all) => all[i - 1] !== status);
    assert.deepEqual(sequence, ['stopped', 'starting', 'running']);
    assert.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 200);
  });

  test('setting the Anthropic key rebuilds the gateway, which then uses it upstream', async () => {
    await app.init();
    assert.deepEqual(await app.bridge.setAnthropicKey('not a key'), { ok: false, message: 'That does not look like an Anthropic API key.' });
    assert.deepEqual(await app.bridge.setAnthropicKey(` ${UPSTREAM_KEY} `), { ok: true });
    assert.equal(app.trayState.problem, undefined);
    assert.equal((await app.bridge.getSettings()).anthropicKeySet, true);
    const key = deps.configFor([]).gatewayApiKey;
    const response = await chat(key);
    assert.equal(response.status, 200);
    const upstream = fake.requests.at(-1)!;
    assert.equal(upstream.headers['x-api-key'] ?? upstream.headers.authorization?.replace('Bearer ', ''), UPSTREAM_KEY);
  });

  test('an upstream list is validated, kept in the keychain, shown without secrets, and used upstream', async () => {
    await app.init();
    const bad = await app.bridge.setUpstreams('[{"name": "x", "provider": "openai"}]');
    assert.equal(bad.ok, false);
    assert.match(bad.message!, /provider must be one of anthropic, bedrock, vertex, foundry/);
    const list = [{ name: 'team-key', provider: 'anthropic', baseUrl: fake.url, credentials: { apiKey: UPSTREAM_KEY } }];
    assert.deepEqual(await app.bridge.setUpstreams(JSON.stringify(list)), { ok: true });
    assert.equal(app.trayState.problem, undefined, 'an upstream list is enough to run');
    const view = await app.bridge.getSettings();
    assert.deepEqual(view.upstreams.map((u) => [u.name, u.provider, u.auth]), [['team-key', 'anthropic', 'api key']]);
    assert.doesNotMatch(JSON.stringify(view), new RegExp(UPSTREAM_KEY));
    const response = await chat(deps.configFor([]).gatewayApiKey);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-upstream'), 'team-key');
    assert.deepEqual(await app.bridge.setUpstreams(''), { ok: true });
    assert.deepEqual((await app.bridge.getSettings()).upstreams, []);
  });

  test('the bridge gives the dashboard its connection and settings', async () => {
    await app.init();
    const connection = await app.bridge.getConnection();
    assert.deepEqual(connection, { baseUrl: `http://127.0.0.1:${port}`, adminKey: deps.configFor([]).adminApiKey });
    const view = await app.bridge.getSettings();
    assert.equal(view.port, port);
    assert.equal(view.host, '127.0.0.1');
    assert.equal(view.anthropicKeySet, false);
    assert.equal(view.features.retryEnabled, true);
    assert.equal(view.cursorPublicUrl, null);
    const changed = await app.bridge.updateSettings({ cursorPublicUrl: 'https://gw.example.com', writeCursorSettings: false });
    assert.equal(changed.cursorPublicUrl, 'https://gw.example.com');
    assert.equal(changed.writeCursorSettings, false);
    await app.dispatch('toggle-cursor');
    assert.equal(cursor.enabled[0]!.publicUrl, 'https://gw.example.com');
    assert.equal(cursor.enabled[0]!.writeCursorSettings, false);
  });

  test('a port change moves the gateway, the dashboard and the IDE configs; a taken port is refused', async () => {
    t.mkdir('.continue');
    await app.init();
    await app.dispatch('toggle-local-ides');
    assert.equal(app.trayState.localIdes.on, true);
    const next = await freePort();
    const view = await app.bridge.updateSettings({ port: next, features: { retryEnabled: false } });
    assert.equal(view.port, next);
    assert.equal(view.features.retryEnabled, false);
    assert.equal(app.trayState.port, next);
    assert.equal(followed, 1);
    assert.equal((await fetch(`http://127.0.0.1:${next}/health`)).status, 200);
    const continueConfig = parseConfigYaml(readFileSync(t.path('.continue', 'config.yaml'), 'utf8'));
    assert.equal((continueConfig.models![0] as { apiBase: string }).apiBase, `http://127.0.0.1:${next}/v1`);

    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      await assert.rejects(async () => app.bridge.updateSettings({ port: taken }), new RegExp(`Port ${taken} is already in use`));
      assert.equal((await app.bridge.getSettings()).port, next, 'the setting is rolled back');
      assert.equal((await fetch(`http://127.0.0.1:${next}/health`)).status, 200, 'and the gateway keeps running');
    } finally {
      blocker.close();
    }
  });

  test('Continue/Cline toggle: written with the live base URL and key (which the gateway accepts), then restored', async () => {
    t.mkdir('.continue');
    await app.init();
    await app.dispatch('toggle-local-ides');
    assert.deepEqual(app.trayState.localIdes, { on: true, busy: false, detail: 'Using the gateway: Continue' });
    const entry = parseConfigYaml(readFileSync(t.path('.continue', 'config.yaml'), 'utf8')).models![0] as { apiBase: string; apiKey: string };
    assert.equal(entry.apiBase, `http://127.0.0.1:${port}/v1`);
    await app.bridge.setAnthropicKey(UPSTREAM_KEY);
    assert.equal((await chat(entry.apiKey)).status, 200);
    await app.dispatch('toggle-local-ides');
    assert.equal(app.trayState.localIdes.on, false);
    assert.throws(() => readFileSync(t.path('.continue', 'config.yaml')), /ENOENT/);
  });

  test('with no IDE installed the toggle stays off and says why', async () => {
    await app.init();
    await app.dispatch('toggle-local-ides');
    assert.deepEqual(app.trayState.localIdes, { on: false, busy: false, error: 'No Continue, Cline or Roo Code installation was found.' });
  });

  test('Cursor toggle: the public host is allowed by a live rebuild, the settings are copied; off withdraws it', async () => {
    await app.init();
    assert.equal(await healthAs(port, 'gentle-breeze-sample.trycloudflare.com'), 403);
    await app.dispatch('toggle-cursor');
    assert.deepEqual(app.trayState.cursor, { on: true, busy: false, detail: 'Public URL: https://gentle-breeze-sample.trycloudflare.com/v1' });
    assert.equal(cursor.enabled[0]!.localOrigin, `http://127.0.0.1:${port}`);
    assert.equal(cursor.enabled[0]!.gatewayKey, deps.configFor([]).gatewayApiKey);
    assert.equal(await healthAs(port, 'gentle-breeze-sample.trycloudflare.com'), 200);
    assert.match(clipboard.at(-1)!, /^OpenAI base URL: https:\/\/gentle-breeze-sample\.trycloudflare\.com\/v1\nOpenAI API key: cg-/);
    await app.dispatch('copy-cursor-settings');
    assert.equal(clipboard.at(-1), clipboard.at(-2));

    await app.dispatch('toggle-cursor');
    assert.equal(app.trayState.cursor.on, false);
    assert.equal(await healthAs(port, 'gentle-breeze-sample.trycloudflare.com'), 403);
  });

  test('stopping the gateway takes the public URL down with it', async () => {
    await app.init();
    await app.dispatch('toggle-cursor');
    await app.dispatch('stop-gateway');
    assert.equal(cursor.disabled, 1);
    assert.equal(app.trayState.status, 'stopped');
    assert.equal(app.trayState.cursor.on, false);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/health`));
    assert.equal(deps.settings.get().gatewayEnabled, false);
    await app.dispatch('start-gateway');
    assert.equal(app.trayState.status, 'running');
  });

  test('a taken port at launch is an error state with a clear message', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      await app.init();
      assert.equal(app.trayState.status, 'error');
      assert.equal(app.trayState.problem, `Port ${port} is already in use: choose another port in the dashboard settings.`);
    } finally {
      blocker.close();
    }
  });

  test('copy items, start at login, storage test and the PDF report', async () => {
    await app.init();
    await app.dispatch('copy-base-url');
    await app.dispatch('copy-key');
    assert.deepEqual(clipboard, [`http://127.0.0.1:${port}/v1`, deps.configFor([]).gatewayApiKey]);
    await app.dispatch('toggle-start-at-login');
    assert.equal(app.trayState.startAtLogin, true);
    const storage = await app.bridge.testStorage('redis');
    assert.equal(typeof storage.ok, 'boolean');
    assert.deepEqual(await app.bridge.printReportToPdf(), { path: t.path('report.pdf') });
    assert.equal(readFileSync(t.path('report.pdf'), 'utf8'), '%PDF-1.7 test');
    deps.pdf.choosePath = async () => null;
    assert.equal(await app.bridge.printReportToPdf(), null);
    await app.dispatch('stop-gateway');
    assert.deepEqual(await app.bridge.testStorage('postgres'), { ok: false, message: 'The gateway is not running.' });
  });
});
