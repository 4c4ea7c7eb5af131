// The desktop app's preload may expose `window.gateway`. When it does, the dashboard gets its connection from it
// (no login) and can edit what only the desktop app owns: the Anthropic key, the port and the feature flags.
// In a browser served by the headless gateway there is no bridge and those settings are read-only.
import type { ConnectionTestResult } from './api/types.ts';

export interface DesktopSettings {
  port: number;
  host: string;
  /** Whether an Anthropic key is stored in the OS keychain; the key itself never reaches the page. */
  anthropicKeySet: boolean;
  /** Configured upstreams, described without credentials; empty: the Anthropic key alone. */
  upstreams?: Array<Record<string, unknown>>;
  features: Record<string, boolean>;
}

export type DesktopSettingsPatch = Partial<Pick<DesktopSettings, 'port' | 'features'>>;

export interface GatewayConnection {
  /** Origin of the gateway, without a trailing slash and without /v1. */
  baseUrl: string;
  adminKey: string;
}

/** One method per action; each maps to a single IPC channel the main process validates. */
export interface GatewayBridge {
  getConnection(): Promise<GatewayConnection>;
  getSettings(): Promise<DesktopSettings>;
  updateSettings(patch: DesktopSettingsPatch): Promise<DesktopSettings>;
  setAnthropicKey(key: string): Promise<{ ok: boolean; message?: string }>;
  /** Stores the UPSTREAMS JSON list in the keychain ('' to go back to the Anthropic key alone). */
  setUpstreams?(json: string): Promise<{ ok: boolean; message?: string }>;
  testStorage?(target: 'redis' | 'postgres'): Promise<ConnectionTestResult>;
  /** Prints the current page to a PDF and returns where it was saved, or null when the user cancelled. */
  printReportToPdf?(): Promise<{ path: string } | null>;
}

declare global {
  interface Window {
    gateway?: GatewayBridge;
  }
}

export function getBridge(): GatewayBridge | undefined {
  const candidate = typeof window === 'undefined' ? undefined : window.gateway;
  return candidate && typeof candidate.getConnection === 'function' ? candidate : undefined;
}
