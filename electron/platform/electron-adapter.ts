// The thin layer between Electron's objects and the ports the rest of the main process uses. It holds no
// decisions: each function turns an Electron API into the narrow interface a tested module expects.
import { BrowserWindow, Menu, nativeImage, Tray, type Session } from 'electron';
import Store from 'electron-store';
import type { DashboardWindowPort } from '../windows/dashboard-window.ts';
import { dashboardWebPreferences, guardSession, guardWebContents, type GuardedContents, type GuardedSession } from '../windows/security.ts';
import type { SettingsBackend } from '../settings/settings-store.ts';
import type { DesktopSettings } from '../settings/settings.ts';
import type { TrayMenuItem } from '../tray/tray-menu.ts';
import type { TrayAction } from '../tray/tray-menu.ts';

/** electron-store keeps the settings file (atomic writes, in the app's userData folder). */
export function electronStoreBackend(): SettingsBackend {
  const store = new Store<{ settings: unknown }>({ name: 'settings', clearInvalidConfig: true });
  return {
    read: () => store.get('settings', {}),
    write: (data: DesktopSettings) => store.set('settings', data),
  };
}

export function renderTray(tray: Tray, items: TrayMenuItem[], onAction: (action: TrayAction) => void): void {
  const template = items.map((item): Electron.MenuItemConstructorOptions => {
    switch (item.type) {
      case 'separator':
        return { type: 'separator' };
      case 'label':
        return { label: item.label, enabled: false };
      case 'action':
        return { label: item.label, enabled: item.enabled, click: () => onAction(item.action) };
      case 'checkbox':
        return { label: item.label, type: 'checkbox', checked: item.checked, enabled: item.enabled, click: () => onAction(item.action) };
    }
  });
  tray.setContextMenu(Menu.buildFromTemplate(template));
}

export function trayImage(path: string): Electron.NativeImage {
  const image = nativeImage.createFromPath(path);
  if (path.endsWith('Template.png')) image.setTemplateImage(true);
  return image;
}

export function createDashboardWindow(preloadPath: string, iconPath: string, allowedOrigin: () => string | undefined, openExternal: (url: string) => void): DashboardWindowPort {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Coding Gateway',
    icon: iconPath,
    autoHideMenuBar: true,
    webPreferences: dashboardWebPreferences(preloadPath),
  });
  guardWebContents(window.webContents as unknown as GuardedContents, { allowedOrigin, openExternal });
  return {
    webContentsId: window.webContents.id,
    isDestroyed: () => window.isDestroyed(),
    isMinimized: () => window.isMinimized(),
    restore: () => window.restore(),
    show: () => window.show(),
    focus: () => window.focus(),
    loadURL: (url) => window.loadURL(url),
    onClosed: (listener) => void window.on('closed', listener),
    printToPDF: () => window.webContents.printToPDF({ printBackground: true, pageSize: 'A4', landscape: false }),
  };
}

export function hardenSession(session: Session, allowedOrigin: () => string | undefined): void {
  guardSession(session as unknown as GuardedSession, allowedOrigin);
}
