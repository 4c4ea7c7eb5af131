import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { GatewayBridge } from '../../../renderer/src/bridge.ts';
import { createBridge } from '../../ipc/bridge.ts';
import { BRIDGE_CHANNELS, BRIDGE_METHODS, type BridgeHandlers, type DesktopBridge } from '../../ipc/contract.ts';
import { IpcSenderError, registerBridgeHandlers, type IpcMainPort } from '../../ipc/register.ts';
import type { IpcEvent } from '../../ipc/sender.ts';
import { IpcArgumentError, validateArgs } from '../../ipc/validate-args.ts';

// The renderer's `window.gateway` type must accept what the preload exposes: a compile-time check that fails the
// typecheck (and so `npm test`) the moment the two drift apart.
const exposed: DesktopBridge = createBridge(async () => undefined);
const usedByRenderer: GatewayBridge = exposed;
void usedByRenderer;

const context = { knownFeatures: new Set(['retryEnabled', 'enableSmartRouting']) };

function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcEvent, ...args: unknown[]) => unknown>();
  const port: IpcMainPort = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  return { port, handlers };
}

const DASHBOARD_ID = 7;
const ORIGIN = 'http://127.0.0.1:8787';
const goodEvent: IpcEvent = { sender: { id: DASHBOARD_ID }, senderFrame: { url: `${ORIGIN}/dashboard/#/overview`, parent: null } };

function setup() {
  const calls: Array<[string, unknown[]]> = [];
  const record = (name: string) => (...args: unknown[]) => {
    calls.push([name, args]);
    return { called: name };
  };
  const handlers = Object.fromEntries(BRIDGE_METHODS.map((m) => [m, record(m)])) as unknown as BridgeHandlers;
  const { port, handlers: registered } = fakeIpcMain();
  const refusals: Array<[string, string]> = [];
  const unregister = registerBridgeHandlers({
    ipcMain: port,
    trusted: { webContentsId: () => DASHBOARD_ID, origin: () => ORIGIN },
    handlers,
    validation: () => context,
    onRefused: (method, reason) => void refusals.push([method, reason]),
  });
  const invoke = (method: keyof typeof BRIDGE_CHANNELS, event: IpcEvent, ...args: unknown[]) =>
    Promise.resolve().then(() => registered.get(BRIDGE_CHANNELS[method])!(event, ...args));
  return { calls, refusals, invoke, registered, unregister };
}

describe('IPC handlers', () => {
  test('one channel per method, all registered and all removable', () => {
    const { registered, unregister } = setup();
    assert.deepEqual([...registered.keys()].sort(), Object.values(BRIDGE_CHANNELS).sort());
    assert.equal(new Set(Object.values(BRIDGE_CHANNELS)).size, BRIDGE_METHODS.length);
    unregister();
    assert.equal(registered.size, 0);
  });

  test('a call from the dashboard with valid arguments reaches its handler', async () => {
    const { calls, invoke } = setup();
    assert.deepEqual(await invoke('updateSettings', goodEvent, { port: 9000, features: { retryEnabled: false } }), { called: 'updateSettings' });
    assert.deepEqual(await invoke('testStorage', goodEvent, 'redis'), { called: 'testStorage' });
    assert.deepEqual(calls, [
      ['updateSettings', [{ port: 9000, features: { retryEnabled: false } }]],
      ['testStorage', ['redis']],
    ]);
  });

  const badSenders: Array<[string, IpcEvent]> = [
    ['another window', { ...goodEvent, sender: { id: 99 } }],
    ['an iframe', { ...goodEvent, senderFrame: { url: `${ORIGIN}/dashboard/`, parent: {} } }],
    ['a page that navigated away', { ...goodEvent, senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['the right host on another port', { ...goodEvent, senderFrame: { url: 'http://127.0.0.1:9999/dashboard/', parent: null } }],
    ['a file URL', { ...goodEvent, senderFrame: { url: 'file:///tmp/x.html', parent: null } }],
    ['a destroyed frame', { ...goodEvent, senderFrame: null }],
  ];
  for (const [name, event] of badSenders) {
    test(`refuses ${name}, before looking at the arguments`, async () => {
      const { calls, refusals, invoke } = setup();
      await assert.rejects(invoke('getConnection', event), IpcSenderError);
      assert.deepEqual(calls, []);
      assert.deepEqual(refusals, [['getConnection', 'untrusted sender']]);
    });
  }

  test('refuses everything while no dashboard is open', async () => {
    const { port, handlers } = fakeIpcMain();
    registerBridgeHandlers({
      ipcMain: port,
      trusted: { webContentsId: () => undefined, origin: () => undefined },
      handlers: Object.fromEntries(BRIDGE_METHODS.map((m) => [m, () => 'ran'])) as unknown as BridgeHandlers,
      validation: () => context,
    });
    await assert.rejects(Promise.resolve().then(() => handlers.get(BRIDGE_CHANNELS.getSettings)!(goodEvent)), IpcSenderError);
  });

  const badArgs: Array<[keyof typeof BRIDGE_CHANNELS, unknown[], RegExp]> = [
    ['getConnection', ['extra'], /expected 0 argument/],
    ['updateSettings', [], /expected 1 argument/],
    ['updateSettings', ['port=1'], /must be an object/],
    ['updateSettings', [{ port: 80 }], /port must be an integer from 1024/],
    ['updateSettings', [{ port: 8787.5 }], /port must be an integer/],
    ['updateSettings', [{ port: '8787' }], /port must be an integer/],
    ['updateSettings', [{ anthropicKey: 'x' }], /unknown setting 'anthropicKey'/],
    ['updateSettings', [{ features: { requireCfAccessHeaders: false } }], /unknown feature 'requireCfAccessHeaders'/],
    ['updateSettings', [{ features: { retryEnabled: 'yes' } }], /must be true or false/],
    ['updateSettings', [{ features: [] }], /features must be an object/],
    ['updateSettings', [Object.create({ port: 9000 })], /must be an object/],
    ['updateSettings', [{ cursorPublicUrl: 'http://gw.example.com' }], /must be an https origin/],
    ['updateSettings', [{ cursorPublicUrl: 'https://gw.example.com/some/path' }], /must be an https origin/],
    ['updateSettings', [{ writeCursorSettings: 1 }], /must be true or false/],
    ['setAnthropicKey', [42], /must be a string/],
    ['setAnthropicKey', ['k'.repeat(513)], /too long/],
    ['setUpstreams', [[{ name: 'a' }]], /must be JSON text/],
    ['setUpstreams', ['x'.repeat(64 * 1024 + 1)], /too long/],
    ['testStorage', ['mysql'], /'redis' or 'postgres'/],
    ['printReportToPdf', [{}], /expected 0 argument/],
  ];
  for (const [method, args, message] of badArgs) {
    test(`refuses ${method}(${JSON.stringify(args).slice(1, 40)}…)`, async () => {
      const { calls, refusals, invoke } = setup();
      await assert.rejects(invoke(method, goodEvent, ...args), (error: Error) => error instanceof IpcArgumentError && message.test(error.message));
      assert.deepEqual(calls, []);
      assert.deepEqual(refusals, [[method, 'invalid arguments']]);
    });
  }

  test('validated arguments are fresh copies without unexpected fields', () => {
    const [patch] = validateArgs('updateSettings', [{ features: { retryEnabled: true } }], context);
    assert.deepEqual(patch, { features: { retryEnabled: true } });
    assert.deepEqual(validateArgs('updateSettings', [{ cursorPublicUrl: 'https://GW.example.com/v1', writeCursorSettings: false }], context), [
      { cursorPublicUrl: 'https://gw.example.com', writeCursorSettings: false },
    ]);
    assert.deepEqual(validateArgs('updateSettings', [{ cursorPublicUrl: '' }], context), [{ cursorPublicUrl: null }]);
    assert.deepEqual(validateArgs('setAnthropicKey', ['sk-ant-abc'], context), ['sk-ant-abc']);
  });
});

describe('preload bridge', () => {
  test('each method invokes its own channel with only its declared arguments', async () => {
    const seen: unknown[][] = [];
    const bridge = createBridge(async (...args) => {
      seen.push(args);
      return 'ok';
    });
    assert.deepEqual(Object.keys(bridge).sort(), [...BRIDGE_METHODS].sort());
    assert.ok(Object.isFrozen(bridge));
    await bridge.getConnection();
    await bridge.updateSettings({ port: 9000 });
    await (bridge.setAnthropicKey as (...a: unknown[]) => Promise<unknown>)('sk-ant-x', 'smuggled');
    await bridge.printReportToPdf();
    assert.deepEqual(seen, [
      ['gateway:get-connection'],
      ['gateway:update-settings', { port: 9000 }],
      ['gateway:set-anthropic-key', 'sk-ant-x'],
      ['gateway:print-report-to-pdf'],
    ]);
  });
});
