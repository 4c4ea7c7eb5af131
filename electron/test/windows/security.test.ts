import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import {
  CONTENT_SECURITY_POLICY,
  dashboardWebPreferences,
  guardSession,
  guardWebContents,
  type GuardedContents,
  type GuardedSession,
} from '../../windows/security.ts';

const ORIGIN = 'http://127.0.0.1:8787';

function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents = {
    on: (event: string, listener: (...args: never[]) => void) => emitter.on(event, listener as (...args: unknown[]) => void),
    setWindowOpenHandler: (handler: typeof openHandler) => void (openHandler = handler),
  } as unknown as GuardedContents;
  const navigate = (event: 'will-navigate' | 'will-redirect', url: string) => {
    let prevented = false;
    emitter.emit(event, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents, navigate, emitter, open: (url: string) => openHandler!({ url }) };
}

describe('dashboard window hardening', () => {
  test('isolated, sandboxed, no Node, no webviews', () => {
    const prefs = dashboardWebPreferences('/app/preload.cjs');
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.webviewTag, false);
    assert.equal(prefs.allowRunningInsecureContent, false);
    assert.equal(prefs.preload, '/app/preload.cjs');
  });

  test('navigation stays on the gateway’s origin; everything else is stopped', () => {
    const { contents, navigate } = fakeContents();
    guardWebContents(contents, { allowedOrigin: () => ORIGIN, openExternal: () => {} });
    assert.equal(navigate('will-navigate', `${ORIGIN}/dashboard/`), false);
    assert.equal(navigate('will-navigate', 'https://evil.example/phish'), true);
    assert.equal(navigate('will-navigate', 'http://127.0.0.1:9999/dashboard/'), true);
    assert.equal(navigate('will-navigate', 'file:///etc/passwd'), true);
    assert.equal(navigate('will-redirect', 'https://evil.example/'), true);
    assert.equal(navigate('will-navigate', 'javascript:alert(1)'), true);
  });

  test('new windows are always denied; https links go to the browser, nothing else does', () => {
    const opened: string[] = [];
    const { contents, open, emitter } = fakeContents();
    guardWebContents(contents, { allowedOrigin: () => ORIGIN, openExternal: (url) => opened.push(url) });
    assert.deepEqual(open('https://docs.anthropic.com/'), { action: 'deny' });
    assert.deepEqual(open('file:///etc/passwd'), { action: 'deny' });
    assert.deepEqual(open('smb://share/x'), { action: 'deny' });
    assert.deepEqual(opened, ['https://docs.anthropic.com/']);
    let prevented = false;
    emitter.emit('will-attach-webview', { preventDefault: () => (prevented = true) });
    assert.equal(prevented, true);
  });

  test('permissions are refused and the gateway’s pages get the strict CSP', () => {
    let request: Parameters<GuardedSession['setPermissionRequestHandler']>[0] | undefined;
    let check: Parameters<GuardedSession['setPermissionCheckHandler']>[0] | undefined;
    let headers: Parameters<GuardedSession['webRequest']['onHeadersReceived']>[0] | undefined;
    const session: GuardedSession = {
      setPermissionRequestHandler: (h) => void (request = h),
      setPermissionCheckHandler: (h) => void (check = h),
      webRequest: { onHeadersReceived: (h) => void (headers = h) },
    };
    guardSession(session, () => ORIGIN);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined;
      request!({}, permission, (g) => (granted = g));
      assert.equal(granted, false);
      assert.equal(check!({}, permission), false);
    }
    let response: { responseHeaders?: Record<string, string[]> } | undefined;
    headers!({ url: `${ORIGIN}/dashboard/index.html`, responseHeaders: { 'content-type': ['text/html'], 'Content-Security-Policy': ["default-src *"] } }, (r) => (response = r));
    assert.deepEqual(response, { responseHeaders: { 'content-type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    headers!({ url: 'https://example.com/', responseHeaders: {} }, (r) => (response = r));
    assert.deepEqual(response, {});
  });

  test('the CSP allows no inline or foreign script, no plugins, frames or form posts', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    assert.equal(directives.get('default-src'), "'none'");
    assert.equal(directives.get('script-src'), "'self'");
    assert.equal(directives.get('connect-src'), "'self'");
    assert.equal(directives.get('object-src'), "'none'");
    assert.equal(directives.get('frame-ancestors'), "'none'");
    assert.equal(directives.get('form-action'), "'none'");
    assert.equal(directives.get('base-uri'), "'none'");
  });
});
