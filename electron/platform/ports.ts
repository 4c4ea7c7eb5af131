// The few Electron capabilities the main-process modules use, as narrow interfaces. Modules depend on these,
// never on 'electron' itself, so each one runs under Node's test runner with a small fake; the only files that
// import Electron's values are main.ts, preload.ts and platform/electron-adapter.ts.

/** Electron's safeStorage: OS keychain-backed encryption of small strings. */
export interface SafeStoragePort {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means a hard-coded password, i.e. no real protection. */
  getSelectedStorageBackend?(): string;
}

export interface LoginItemSettingsInput {
  openAtLogin: boolean;
  openAsHidden?: boolean;
  path?: string;
  args?: string[];
}

/** app.setLoginItemSettings / app.getLoginItemSettings (macOS and Windows). */
export interface LoginItemsPort {
  setLoginItemSettings(settings: LoginItemSettingsInput): void;
  getLoginItemSettings(options?: { path?: string; args?: string[] }): { openAtLogin: boolean; wasOpenedAtLogin?: boolean };
}

export interface ClipboardPort {
  writeText(text: string): void;
}

export interface PowerMonitorPort {
  on(event: 'resume', listener: () => void): unknown;
}

/** What a tray click can ask for; the adapter maps each to a click handler. */
export interface MenuItemTemplate {
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox';
  enabled?: boolean;
  checked?: boolean;
  toolTip?: string;
  click?: () => void;
}

export interface TrayPort {
  setImage(iconPath: string): void;
  setToolTip(text: string): void;
  setContextMenu(template: MenuItemTemplate[]): void;
}
