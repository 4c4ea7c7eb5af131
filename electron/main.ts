// The desktop app's entry point: wires Electron's objects to the tested modules and does nothing else.
// Single instance, tray only (no window until the dashboard is asked for), gateway hosted in this process.
import { app, clipboard, dialog, ipcMain, Notification, powerMonitor, safeStorage, session, shell, Tray } from 'electron';
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../proxy/src/config/data-dir.ts';
import { buildGateway } from '../proxy/src/http/app.ts';
import { DesktopApp } from './app/desktop-app.ts';
import { createAutoStart } from './autostart/autostart.ts';
import { launchCommand, launchedHidden } from './autostart/launch-command.ts';
import { autostartFilePath } from './autostart/xdg-autostart.ts';
import { desktopGatewayConfig, featureDefaults } from './gateway/desktop-config.ts';
import { createGatewayHost } from './gateway/gateway-host.ts';
import { findCloudflared } from './integrations/cursor/cloudflared.ts';
import { isCursorRunning } from './integrations/cursor/cursor-process.ts';
import { CursorRoute } from './integrations/cursor/cursor-route.ts';
import { openCursorKv } from './integrations/cursor/cursor-sqlite.ts';
import { BackupLedger } from './integrations/file-edit.ts';
import { cursorStateDb } from './integrations/ide-paths.ts';
import { disableLocalIdes, enableLocalIdes } from './integrations/local-ides.ts';
import { registerBridgeHandlers } from './ipc/register.ts';
import { createDashboardWindow, electronStoreBackend, hardenSession, renderTray, trayImage } from './platform/electron-adapter.ts';
import { createSecretStore } from './settings/secret-store.ts';
import { createSettingsStore } from './settings/settings-store.ts';
import { trayIconPath } from './tray/tray-icons.ts';
import { trayIconState, trayMenu, trayToolTip } from './tray/tray-menu.ts';
import { DashboardWindow } from './windows/dashboard-window.ts';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void main();
}

async function main(): Promise<void> {
  // Bundled to dist/app/electron/main.js; the app root (package.json, resources/) is three levels up.
  const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const resources = join(appRoot, 'resources');
  const preload = join(dirname(fileURLToPath(import.meta.url)), 'preload.cjs');
  // The same data folder the headless gateway uses by default (docs/configuration.md: DATA_DIR), so both keep one history.
  app.setPath('userData', defaultDataDir());
  if (process.platform === 'win32') app.setAppUserModelId('dev.coding-gateway.desktop');
  // Tray-only: no Dock icon until the dashboard opens.
  if (process.platform === 'darwin') app.dock?.hide();

  await app.whenReady();
  const dataDir = app.getPath('userData');
  const home = { home: homedir(), platform: process.platform, env: process.env };
  const ledger = new BackupLedger(join(dataDir, 'ide-backups'));
  const settings = createSettingsStore(electronStoreBackend());
  const secrets = createSecretStore(join(dataDir, 'secrets'), safeStorage);
  const host = createGatewayHost({ build: (config) => buildGateway(config) });
  const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');
  const notify = (body: string) => {
    if (Notification.isSupported()) new Notification({ title: 'Coding Gateway', body, silent: true }).show();
  };

  const dashboard: DashboardWindow = new DashboardWindow({
    create: () => createDashboardWindow(preload, join(resources, 'icon.png'), () => dashboard.origin(), (url) => void shell.openExternal(url)),
    gatewayOrigin: () => (host.address ? `http://127.0.0.1:${host.address.port}` : undefined),
    dock: process.platform === 'darwin' && app.dock ? app.dock : undefined,
  });
  hardenSession(session.defaultSession, () => dashboard.origin());
  app.on('web-contents-created', (_event, contents) => {
    // No page may open windows or attach webviews, whatever created it.
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  const cursor = new CursorRoute({
    findCloudflared: () => findCloudflared(process.env, process.platform),
    spawn: (command, args) => spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true }),
    fetch: (url, init) => fetch(url, init),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    isCursorRunning: () => isCursorRunning(process.platform),
    openCursorKv,
    cursorDbFile: cursorStateDb(home),
    ledger,
    exposeHost: (hostname) => desktop.exposeHost(hostname),
    onStatusChange: (status, problem) => {
      desktop.cursorChanged(status, problem);
      if (status) notify(`The public URL changed: ${status.publicOrigin}/v1 (copied). ${status.message}`);
      if (status) void clipboard.writeText(`${status.publicOrigin}/v1`);
    },
    stamp,
  });

  const command = launchCommand({ platform: process.platform, execPath: process.execPath, appPath: app.getAppPath(), isPackaged: app.isPackaged, env: process.env });
  const tray = new Tray(trayImage(trayIconPath(resources, 'stopped', process.platform)));
  const desktop: DesktopApp = new DesktopApp({
    settings,
    secrets,
    host,
    configFor: (publicHosts) => desktopGatewayConfig({ settings: settings.get(), secrets, dataDir, publicHosts }),
    autostart: createAutoStart({ platform: process.platform, loginItems: app, command, xdgFile: autostartFilePath(process.env, homedir()) }),
    localIdes: {
      enable: (endpoint, prefix) => enableLocalIdes({ home, dataDir, ledger }, endpoint, prefix),
      disable: (endpoint, prefix) => void disableLocalIdes({ home, dataDir, ledger }, endpoint, prefix, stamp()),
    },
    cursor,
    clipboard,
    dashboard,
    pdf: {
      choosePath: async () => {
        const result = await dialog.showSaveDialog({ defaultPath: 'coding-gateway-report.pdf', filters: [{ name: 'PDF', extensions: ['pdf'] }] });
        return result.canceled || !result.filePath ? null : result.filePath;
      },
      print: () => dashboard.printToPDF(),
    },
    notify,
    now: () => new Date(),
    onChange: (state) => {
      tray.setImage(trayImage(trayIconPath(resources, trayIconState(state), process.platform)));
      tray.setToolTip(trayToolTip(state));
      renderTray(tray, trayMenu(state), (action) => void desktop.dispatch(action));
    },
    quit: () => app.exit(0),
  });

  registerBridgeHandlers({
    ipcMain,
    trusted: { webContentsId: () => dashboard.webContentsId(), origin: () => dashboard.origin() },
    handlers: desktop.bridge,
    validation: () => ({ knownFeatures: new Set(Object.keys(featureDefaults())) }),
    onRefused: (method, reason) => console.warn(`IPC ${method} refused: ${reason}`),
  });

  app.on('second-instance', () => void desktop.openDashboard());
  // Closing the dashboard leaves the app in the tray.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', (event) => {
    // Let in-flight requests drain before the process goes.
    if (host.running) {
      event.preventDefault();
      void desktop.shutdown().finally(() => app.exit(0));
    }
  });
  powerMonitor.on('resume', () => void desktop.onResume());
  const usageTimer = setInterval(() => void desktop.refreshUsage(), 30_000);
  usageTimer.unref();

  await desktop.init();
  const loginSettings = process.platform === 'darwin' ? app.getLoginItemSettings() : undefined;
  if (!launchedHidden(process.argv, loginSettings?.wasOpenedAtLogin)) await desktop.openDashboard();
}
