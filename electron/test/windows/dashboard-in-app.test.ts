// The dashboard as the desktop app shows it, minus the Electron binary: headless Chromium loads it from the
// desktop-hosted gateway with the app's CSP on every response, and `window.gateway` comes from the real bundled
// preload, whose IPC calls go through the real handler registration (sender and argument checks) to DesktopApp.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { makeConfig } from '../../../proxy/src/config/config.ts';
import { buildGateway } from '../../../proxy/src/http/app.ts';
import { chromiumMissing, eventually, openBrowser } from '../../../proxy/test/dashboard/helpers/browser.ts';
import { ensureDashboardBuilt, ROOT } from '../../../proxy/test/dashboard/helpers/build.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../../../proxy/test/fake-anthropic/server.ts';
import { DesktopApp } from '../../app/desktop-app.ts';
import { desktopGatewayConfig } from '../../gateway/desktop-config.ts';
import { featureDefaults } from '../../gateway/desktop-config.ts';
import { createGatewayHost } from '../../gateway/gateway-host.ts';
import { registerBridgeHandlers } from '../../ipc/register.ts';
import type { IpcEvent } from '../../ipc/sender.ts';
import { createSecretStore } from '../../settings/secret-store.ts';
import { createSettingsStore, memorySettingsBackend } from '../../settings/settings-store.ts';
import { withContentSecurityPolicy } from '../../windows/security.ts';
import { freePort } from '../helpers/free-port.ts';
import { tempHome, type TempHome } from '../helpers/temp-home.ts';

const skip = chromiumMissing();
const ARTIFACTS = join(ROOT, 'test-artifacts', 'desktop');

let fake: FakeAnthropic;
let t: TempHome;
before(async () => {
  if (skip) return;
  await ensureDashboardBuilt();
  fake = await startFakeAnthropic({ apiKey: 'sk-ant-in-app-0123456789' });
  t = tempHome();
});
after(async () => {
  await fake?.close();
  t?.remove();
});

async function preloadBundle(): Promise<string> {
  const result = await build({
    entryPoints: [join(ROOT, 'electron', 'preload.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['electron'],
    write: false,
    logLevel: 'silent',
  });
  // The sandbox's require, reduced to what the preload may use; exposeInMainWorld defines a frozen global.
  return `(() => {
    const module = { exports: {} };
    const require = (name) => {
      if (name !== 'electron') throw new Error('sandboxed preload cannot require ' + name);
      return {
        contextBridge: { exposeInMainWorld: (key, api) => Object.defineProperty(window, key, { value: Object.freeze(api) }) },
        ipcRenderer: { invoke: (...args) => window.__desktopInvoke(...args) },
      };
    };
    ${result.outputFiles[0]!.text}
  })();`;
}

test('the dashboard runs under the desktop CSP, connects through the preload bridge and edits desktop settings', { skip }, async () => {
  const port = await freePort();
  const settings = createSettingsStore(memorySettingsBackend({ port }));
  const safeStorage = { isEncryptionAvailable: () => true, encryptString: (s: string) => Buffer.from(s).reverse(), decryptString: (b: Buffer) => Buffer.from(b).reverse().toString() };
  const secrets = createSecretStore(t.path('secrets'), safeStorage);
  const host = createGatewayHost({ build: (config) => buildGateway(config, { logger: false }) });
  const app = new DesktopApp({
    settings,
    secrets,
    host,
    configFor: (publicHosts) => makeConfig({ ...desktopGatewayConfig({ settings: settings.get(), secrets, dataDir: t.path('data'), publicHosts }), anthropicBaseUrl: fake.url }),
    autostart: { isEnabled: () => false, setEnabled: () => {} },
    localIdes: { enable: () => ({ targets: [], skipped: [], edits: [] }), disable: () => {} },
    cursor: { enable: async () => { throw new Error('unused'); }, disable: async () => ({ cursorSettings: 'nothing-to-do' }), onResume: async () => {}, restorePending: async () => false },
    clipboard: { writeText: () => {} },
    dashboard: { open: async () => true, follow: async () => {} },
    pdf: { choosePath: async () => null, print: async () => undefined },
    notify: () => {},
    now: () => new Date(),
    onChange: () => {},
    quit: () => {},
  });
  await app.init();
  const origin = `http://127.0.0.1:${port}`;

  const handlers = new Map<string, (event: IpcEvent, ...args: unknown[]) => unknown>();
  const calls: string[] = [];
  registerBridgeHandlers({
    ipcMain: { handle: (channel, listener) => void handlers.set(channel, listener), removeHandler: () => {} },
    trusted: { webContentsId: () => 1, origin: () => origin },
    handlers: app.bridge,
    validation: () => ({ knownFeatures: new Set(Object.keys(featureDefaults())) }),
  });

  const browser = await openBrowser();
  try {
    const { context, page, pageErrors } = browser;
    await context.route('**/*', async (route) => {
      const response = await route.fetch();
      const headers = withContentSecurityPolicy(response.headers());
      await route.fulfill({ response, headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.join(', ')])) });
    });
    await page.exposeBinding('__desktopInvoke', async (source, channel: string, ...args: unknown[]) => {
      calls.push(channel);
      const event: IpcEvent = { sender: { id: 1 }, senderFrame: { url: source.frame.url(), parent: source.frame.parentFrame() } };
      return handlers.get(channel)!(event, ...args);
    });
    await context.addInitScript({ content: await preloadBundle() });

    await page.goto(`${origin}/dashboard/#/overview`);
    await eventually(async () => (await page.locator('nav').count()) > 0 || undefined, 'the signed-in shell');
    assert.equal(await page.locator('input[type="password"]').count(), 0, 'no login: the bridge supplied the admin key');
    assert.ok(calls.includes('gateway:get-connection'));
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'overview-in-app.png'), fullPage: true });

    await page.goto(`${origin}/dashboard/#/settings`);
    await eventually(async () => calls.includes('gateway:get-settings') || undefined, 'the desktop settings to load');
    await page.getByText('Port', { exact: false }).first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'settings-in-app.png'), fullPage: true });

    // Flip one feature flag in the page: the call crosses the bridge, passes validation and rebuilds the gateway.
    const appsBefore = host.app;
    await page.getByText('Enable smart routing', { exact: true }).click();
    await eventually(async () => settings.get().features.enableSmartRouting === true || undefined, 'the flag to be saved');
    assert.ok(calls.includes('gateway:update-settings'));
    // The new gateway takes over once it is ready (its repo-map grammars load first).
    await eventually(async () => host.app !== appsBefore || undefined, 'the gateway to be rebuilt in place');
    assert.equal((host.config as unknown as Record<string, unknown>).enableSmartRouting, true);
    assert.deepEqual(pageErrors.filter((e) => /Content Security Policy|Refused to/i.test(e)), [], 'nothing blocked by the CSP');
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser.close();
    await app.shutdown();
  }
});
