// The typed IPC contract between the main process and the dashboard's preload: one channel per action, each
// with its argument and result types. Both sides import this file; the renderer's `window.gateway` type
// (renderer/src/bridge.ts) is checked against it in the tests.

export interface GatewayConnection {
  /** Origin of the gateway, without a trailing slash and without /v1. */
  baseUrl: string;
  adminKey: string;
}

export interface DesktopSettingsView {
  port: number;
  host: string;
  /** Whether an Anthropic key is stored; the key itself never reaches the page. */
  anthropicKeySet: boolean;
  /** The configured upstreams (several upstreams), described without their credentials; empty: the Anthropic key alone. */
  upstreams: Array<Record<string, unknown>>;
  features: Record<string, boolean>;
  /** The user's own public https origin for Cursor; null means a quick tunnel. */
  cursorPublicUrl: string | null;
  /** Whether the Cursor toggle writes into Cursor's settings store when Cursor is closed. */
  writeCursorSettings: boolean;
}

export interface SettingsPatch {
  port?: number;
  features?: Record<string, boolean>;
  cursorPublicUrl?: string | null;
  writeCursorSettings?: boolean;
}

export interface ActionResult {
  ok: boolean;
  message?: string;
}

export interface ConnectionTestResult {
  ok: boolean;
  message?: string;
  latencyMs?: number;
}

export type StorageTarget = 'redis' | 'postgres';

export interface BridgeContract {
  getConnection: { args: []; result: GatewayConnection };
  getSettings: { args: []; result: DesktopSettingsView };
  updateSettings: { args: [patch: SettingsPatch]; result: DesktopSettingsView };
  setAnthropicKey: { args: [key: string]; result: ActionResult };
  /** The upstream list as UPSTREAMS JSON (kept in the keychain, credentials included); '' goes back to the key alone. */
  setUpstreams: { args: [json: string]; result: ActionResult };
  testStorage: { args: [target: StorageTarget]; result: ConnectionTestResult };
  printReportToPdf: { args: []; result: { path: string } | null };
}

export type BridgeMethod = keyof BridgeContract;

export const BRIDGE_CHANNELS: Readonly<{ [M in BridgeMethod]: string }> = Object.freeze({
  getConnection: 'gateway:get-connection',
  getSettings: 'gateway:get-settings',
  updateSettings: 'gateway:update-settings',
  setAnthropicKey: 'gateway:set-anthropic-key',
  setUpstreams: 'gateway:set-upstreams',
  testStorage: 'gateway:test-storage',
  printReportToPdf: 'gateway:print-report-to-pdf',
});

export const BRIDGE_METHODS = Object.keys(BRIDGE_CHANNELS) as BridgeMethod[];

/** What the preload exposes as `window.gateway`. */
export type DesktopBridge = {
  [M in BridgeMethod]: (...args: BridgeContract[M]['args']) => Promise<BridgeContract[M]['result']>;
};

/** What the main process implements: the validated arguments in, the result out. */
export type BridgeHandlers = {
  [M in BridgeMethod]: (...args: BridgeContract[M]['args']) => Promise<BridgeContract[M]['result']> | BridgeContract[M]['result'];
};
