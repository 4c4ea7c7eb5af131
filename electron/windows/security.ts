// The dashboard window's hardening, as data and small guards over structural types (tested with fakes):
// isolated, sandboxed renderer; a strict Content-Security-Policy; no navigation away from the gateway's origin;
// no new windows; no permission ever granted.
import { originOf } from '../ipc/sender.ts';

export function dashboardWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  } as const;
}

/**
 * Scripts, styles, fonts and API calls only from the gateway's own origin; no plugins, frames, forms or base-URL
 * tricks. Inline style attributes are allowed (the charts set them); scripts stay strictly same-origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
].join('; ');

/** Adds the CSP to a response's headers (replacing any the page sent), keeping the others. */
export function withContentSecurityPolicy(headers: Record<string, string[] | string> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return out;
}

export interface PreventableEvent {
  preventDefault(): void;
}

/** The webContents events and methods the guards use. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface GuardOptions {
  /** The gateway origin the dashboard lives at; navigation within it (a reload, the login page) is fine. */
  allowedOrigin: () => string | undefined;
  /** Where an https link the page tries to open in a new window goes instead: the user's browser. */
  openExternal: (url: string) => void;
}

export function isAllowedNavigation(url: string, allowedOrigin: string | undefined): boolean {
  return allowedOrigin !== undefined && originOf(url) === allowedOrigin;
}

export function guardWebContents(contents: GuardedContents, options: GuardOptions): void {
  const refuseForeign = (event: PreventableEvent, url: string) => {
    if (!isAllowedNavigation(url, options.allowedOrigin())) event.preventDefault();
  };
  contents.on('will-navigate', refuseForeign);
  contents.on('will-redirect', refuseForeign);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (originOf(url) !== undefined && url.startsWith('https://')) options.openExternal(url);
    return { action: 'deny' };
  });
}

/** The session hooks the guards use. */
export interface GuardedSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { url: string; responseHeaders?: Record<string, string[] | string> },
        callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
      ) => void,
    ): void;
  };
}

export function guardSession(session: GuardedSession, allowedOrigin: () => string | undefined): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    if (isAllowedNavigation(details.url, allowedOrigin())) {
      callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
    } else {
      callback({});
    }
  });
}
