// The desktop app's own settings: what the user chose in the tray and the dashboard. Plain data, validated on
// every read (a hand-edited or older file must never crash the app) and on every patch from the renderer.

export interface CursorSettings {
  /** A public HTTPS origin the user runs in front of the gateway themselves; null means "use a quick tunnel". */
  publicUrl: string | null;
  /** Whether to write the base URL and model ids into Cursor's own settings store when Cursor is closed. */
  writeCursorSettings: boolean;
}

export interface DesktopSettings {
  port: number;
  /** Overrides of the gateway's boolean feature flags, by GatewayConfig field name. */
  features: Record<string, boolean>;
  /** Start the gateway when the app starts (false after the user stopped it). */
  gatewayEnabled: boolean;
  routes: { cursor: boolean; localIdes: boolean };
  cursor: CursorSettings;
}

export const DEFAULT_SETTINGS: DesktopSettings = Object.freeze({
  port: 8787,
  features: {},
  gatewayEnabled: true,
  routes: { cursor: false, localIdes: false },
  cursor: { publicUrl: null, writeCursorSettings: true },
}) as DesktopSettings;

/** Ports below 1024 need privileges on most systems; a desktop gateway never asks for them. */
export const MIN_PORT = 1024;
export const MAX_PORT = 65535;

export function isValidPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= MIN_PORT && value <= MAX_PORT;
}

/** An https origin (no path, query or credentials) that Cursor's cloud can reach. */
export function normalizePublicUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash) return null;
  if (url.pathname !== '/' && url.pathname !== '/v1' && url.pathname !== '/v1/') return null;
  return url.origin;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function booleanMap(value: unknown): Record<string, boolean> {
  if (!isRecord(value)) return {};
  const out: Record<string, boolean> = {};
  for (const key of Object.keys(value).sort()) {
    if (typeof value[key] === 'boolean') out[key] = value[key] as boolean;
  }
  return out;
}

/** Whatever is on disk, as complete settings: unknown or broken fields fall back to their defaults. */
export function readSettings(raw: unknown): DesktopSettings {
  const data = isRecord(raw) ? raw : {};
  const routes = isRecord(data.routes) ? data.routes : {};
  const cursor = isRecord(data.cursor) ? data.cursor : {};
  return {
    port: isValidPort(data.port) ? data.port : DEFAULT_SETTINGS.port,
    features: booleanMap(data.features),
    gatewayEnabled: typeof data.gatewayEnabled === 'boolean' ? data.gatewayEnabled : DEFAULT_SETTINGS.gatewayEnabled,
    routes: {
      cursor: routes.cursor === true,
      localIdes: routes.localIdes === true,
    },
    cursor: {
      publicUrl: cursor.publicUrl === null || cursor.publicUrl === undefined ? null : normalizePublicUrl(cursor.publicUrl),
      writeCursorSettings:
        typeof cursor.writeCursorSettings === 'boolean' ? cursor.writeCursorSettings : DEFAULT_SETTINGS.cursor.writeCursorSettings,
    },
  };
}
