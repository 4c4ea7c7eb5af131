import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allTrayIconNames, trayIconPath } from '../../tray/tray-icons.ts';
import { formatUsd, trayIconState, trayMenu, trayToolTip, type TrayMenuItem, type TrayState } from '../../tray/tray-menu.ts';

const running: TrayState = {
  status: 'running',
  port: 8787,
  today: { requests: 42, savedUsd: 1.2345 },
  cursor: { on: false, busy: false },
  localIdes: { on: true, busy: false, detail: 'Using the gateway: Continue, Cline' },
  startAtLogin: true,
};

const labels = (items: TrayMenuItem[]) => items.map((item) => (item.type === 'separator' ? '---' : item.label));

describe('tray menu model', () => {
  test('running: status, today’s figures, every action, and the toggles’ states', () => {
    assert.deepEqual(trayMenu(running), [
      { type: 'label', label: 'Gateway: Running on 127.0.0.1:8787' },
      { type: 'label', label: 'Today: 42 requests · $1.23 saved' },
      { type: 'separator' },
      { type: 'action', label: 'Stop gateway', action: 'stop-gateway', enabled: true },
      { type: 'separator' },
      { type: 'checkbox', label: 'Route Cursor through the gateway', action: 'toggle-cursor', enabled: true, checked: false },
      { type: 'checkbox', label: 'Route Continue/Cline through the gateway', action: 'toggle-local-ides', enabled: true, checked: true },
      { type: 'label', label: '   Using the gateway: Continue, Cline' },
      { type: 'separator' },
      { type: 'action', label: 'Open dashboard…', action: 'open-dashboard', enabled: true },
      { type: 'action', label: 'Copy base URL', action: 'copy-base-url', enabled: true },
      { type: 'action', label: 'Copy API key', action: 'copy-key', enabled: true },
      { type: 'separator' },
      { type: 'checkbox', label: 'Start at login', action: 'toggle-start-at-login', enabled: true, checked: true },
      { type: 'separator' },
      { type: 'action', label: 'Quit Coding Gateway', action: 'quit', enabled: true },
    ]);
    assert.equal(trayIconState(running), 'running');
  });

  test('stopped: a start item, no figures, route toggles off and disabled', () => {
    const stopped: TrayState = { ...running, status: 'stopped', today: null, localIdes: { on: false, busy: false } };
    const items = trayMenu(stopped);
    assert.deepEqual(labels(items).slice(0, 4), ['Gateway: Stopped', 'Today: —', '---', 'Start gateway']);
    const cursor = items.find((i) => i.type === 'checkbox' && i.action === 'toggle-cursor');
    assert.deepEqual(cursor, { type: 'checkbox', label: 'Route Cursor through the gateway', action: 'toggle-cursor', enabled: false, checked: false });
    assert.equal(trayIconState(stopped), 'stopped');
  });

  test('Cursor on: the public URL and a copy item; busy toggles say so and cannot be clicked', () => {
    const state: TrayState = { ...running, cursor: { on: true, busy: false, detail: 'Public URL: https://a-b.trycloudflare.com/v1' } };
    assert.deepEqual(labels(trayMenu(state)).slice(5, 8), [
      'Route Cursor through the gateway',
      '   Public URL: https://a-b.trycloudflare.com/v1',
      'Copy Cursor settings (URL, key, models)',
    ]);
    const busy = trayMenu({ ...running, cursor: { on: false, busy: true } }).find((i) => i.type === 'checkbox' && i.action === 'toggle-cursor');
    assert.deepEqual(busy, { type: 'checkbox', label: 'Route Cursor through the gateway (working…)', action: 'toggle-cursor', enabled: false, checked: false });
  });

  test('a toggle error is shown under it', () => {
    const state: TrayState = { ...running, cursor: { on: false, busy: false, error: 'install cloudflared' } };
    assert.ok(labels(trayMenu(state)).includes('   ⚠ install cloudflared'));
  });

  test('error and warning states show the problem and the error icon', () => {
    const failed: TrayState = { ...running, status: 'error', today: null, problem: 'Port 8787 is already in use' };
    assert.deepEqual(labels(trayMenu(failed)).slice(0, 5), ['Gateway: Error', '⚠ Port 8787 is already in use', 'Today: —', '---', 'Start gateway']);
    assert.equal(trayIconState(failed), 'error');
    const noKey: TrayState = { ...running, problem: 'No Anthropic API key yet' };
    assert.equal(trayIconState(noKey), 'error');
    assert.equal(trayToolTip(noKey), 'Coding Gateway\nGateway: Running on 127.0.0.1:8787\nNo Anthropic API key yet\nToday: 42 requests · $1.23 saved');
  });

  test('one request, and small savings keep their tenths of a cent', () => {
    const items = trayMenu({ ...running, today: { requests: 1, savedUsd: 0.0042 } });
    assert.equal(labels(items)[1], 'Today: 1 request · $0.004 saved');
    assert.equal(formatUsd(0), '$0.00');
    assert.equal(formatUsd(12.5), '$12.50');
  });
});

test('tray icons: template images on macOS, coloured ones elsewhere', () => {
  assert.equal(trayIconPath('/r', 'running', 'darwin'), '/r/tray/trayRunningTemplate.png');
  assert.equal(trayIconPath('/r', 'error', 'linux'), '/r/tray/tray-error.png');
  assert.equal(trayIconPath('/r', 'stopped', 'win32'), '/r/tray/tray-stopped.png');
  assert.equal(allTrayIconNames().length, 6);
});
