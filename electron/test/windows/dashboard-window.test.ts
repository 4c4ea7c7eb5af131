import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DashboardWindow, type DashboardWindowPort } from '../../windows/dashboard-window.ts';

function fakeWindow(id: number) {
  const log: string[] = [];
  let closed: (() => void) | undefined;
  let destroyed = false;
  const window: DashboardWindowPort = {
    webContentsId: id,
    isDestroyed: () => destroyed,
    isMinimized: () => false,
    restore: () => void log.push('restore'),
    show: () => void log.push('show'),
    focus: () => void log.push('focus'),
    loadURL: async (url) => void log.push(`load ${url}`),
    onClosed: (listener) => void (closed = listener),
    printToPDF: async () => Buffer.from('%PDF'),
  };
  return { window, log, close: () => ((destroyed = true), closed!()) };
}

test('opens once, refocuses after, follows the gateway to a new port, and hides the Dock icon on close', async () => {
  let origin: string | undefined = 'http://127.0.0.1:8787';
  const dock: string[] = [];
  const windows: Array<ReturnType<typeof fakeWindow>> = [];
  const dashboard = new DashboardWindow({
    create: () => {
      const w = fakeWindow(10 + windows.length);
      windows.push(w);
      return w.window;
    },
    gatewayOrigin: () => origin,
    dock: { show: () => void dock.push('show'), hide: () => void dock.push('hide') },
  });
  assert.equal(dashboard.origin(), undefined);
  assert.equal(await dashboard.open(), true);
  assert.deepEqual(windows[0]!.log, ['load http://127.0.0.1:8787/dashboard/', 'show', 'focus']);
  assert.equal(dashboard.webContentsId(), 10);
  assert.equal(dashboard.origin(), 'http://127.0.0.1:8787');
  assert.equal(await dashboard.open(), true);
  assert.equal(windows.length, 1);

  origin = 'http://127.0.0.1:9000';
  await dashboard.follow();
  assert.equal(windows[0]!.log.at(-1), 'load http://127.0.0.1:9000/dashboard/');
  assert.equal(dashboard.origin(), 'http://127.0.0.1:9000');
  assert.deepEqual(await dashboard.printToPDF(), Buffer.from('%PDF'));

  windows[0]!.close();
  assert.equal(dashboard.webContentsId(), undefined);
  assert.equal(dashboard.origin(), undefined, 'no window, no trusted sender');
  assert.deepEqual(dock, ['show', 'hide']);

  origin = undefined;
  assert.equal(await dashboard.open(), false, 'nothing to show while the gateway is down');
});
