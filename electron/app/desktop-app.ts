// The desktop app's behaviour, independent of Electron: it owns the state the tray shows, runs the gateway host,
// the IDE toggles and start at login, and implements the dashboard bridge. main.ts wires it to real Electron
// objects; the tests wire it to fakes and a real in-process gateway.
import { writeFile } from 'node:fs/promises';
import type { GatewayConfig } from '../../proxy/src/config/config.ts';
import type { AutoStart } from '../autostart/autostart.ts';
import { effectiveFeatures, storedUpstreams } from '../gateway/desktop-config.ts';
import type { GatewayHost } from '../gateway/gateway-host.ts';
import { readTodayUsage } from '../gateway/usage-today.ts';
import type { CursorEnableInput, CursorRouteStatus } from '../integrations/cursor/cursor-route.ts';
import { endpointText, prefixedModelIds, type GatewayEndpoint } from '../integrations/gateway-endpoint.ts';
import type { LocalIdePlan } from '../integrations/local-ides.ts';
import type {
  ActionResult,
  BridgeHandlers,
  ConnectionTestResult,
  DesktopSettingsView,
  GatewayConnection,
  SettingsPatch,
  StorageTarget,
} from '../ipc/contract.ts';
import type { ClipboardPort } from '../platform/ports.ts';
import type { SecretStore } from '../settings/secret-store.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import type { RouteState, TrayAction, TrayState } from '../tray/tray-menu.ts';
import { describeUpstream, parseUpstreams } from '../../proxy/src/config/upstreams.ts';

export interface CursorRoutePort {
  enable(input: CursorEnableInput): Promise<CursorRouteStatus>;
  disable(): Promise<{ cursorSettings: string }>;
  onResume(): Promise<void>;
  restorePending(): Promise<boolean>;
}

export interface LocalIdesPort {
  enable(endpoint: GatewayEndpoint, prefix: string): LocalIdePlan;
  disable(endpoint: GatewayEndpoint, prefix: string): void;
}

export interface DashboardPort {
  open(): Promise<boolean>;
  follow(): Promise<void>;
}

export interface PdfPort {
  choosePath(): Promise<string | null>;
  print(): Promise<Buffer | undefined>;
}

export interface DesktopAppDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  host: GatewayHost;
  /** The gateway config for the current settings and secrets, answering these public hostnames too. */
  configFor(publicHosts: string[]): GatewayConfig;
  autostart: AutoStart;
  localIdes: LocalIdesPort;
  cursor: CursorRoutePort;
  clipboard: ClipboardPort;
  dashboard: DashboardPort;
  pdf: PdfPort;
  notify(message: string): void;
  now(): Date;
  onChange(state: TrayState): void;
  quit(): void;
}

const ANTHROPIC_KEY = /^[\x21-\x7e]{20,512}$/;

function describeStartError(error: unknown, port: number): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return `Port ${port} is already in use: choose another port in the dashboard settings.`;
  if (code === 'EACCES') return `Port ${port} is not allowed: choose another port.`;
  return error instanceof Error ? error.message : String(error);
}

export class DesktopApp {
  private state: TrayState;
  private publicHosts: string[] = [];
  private cursorStatus: CursorRouteStatus | undefined;

  constructor(private readonly deps: DesktopAppDeps) {
    const settings = deps.settings.get();
    this.state = {
      status: 'stopped',
      port: settings.port,
      today: null,
      cursor: { on: false, busy: false },
      localIdes: { on: settings.routes.localIdes, busy: false },
      startAtLogin: false,
    };
  }

  get trayState(): TrayState {
    return this.state;
  }

  /** Called once at launch: restores what the user left switched on. */
  async init(): Promise<void> {
    this.update({ startAtLogin: this.safe(() => this.deps.autostart.isEnabled(), false) });
    const settings = this.deps.settings.get();
    if (settings.gatewayEnabled) await this.startGateway();
    if (this.state.status !== 'running') return;
    if (settings.routes.localIdes) await this.setLocalIdes(true, { quiet: true });
    if (settings.routes.cursor) await this.setCursor(true);
    else await this.deps.cursor.restorePending().catch(() => false);
  }

  async dispatch(action: TrayAction): Promise<void> {
    switch (action) {
      case 'start-gateway':
        return this.startGateway();
      case 'stop-gateway':
        return this.stopGateway();
      case 'toggle-cursor':
        return this.setCursor(!this.state.cursor.on);
      case 'toggle-local-ides':
        return this.setLocalIdes(!this.state.localIdes.on);
      case 'copy-cursor-settings':
        if (this.cursorStatus) this.deps.clipboard.writeText(endpointText(this.cursorStatus.endpoint));
        return;
      case 'open-dashboard':
        return this.openDashboard();
      case 'copy-base-url':
        this.deps.clipboard.writeText(`${this.localOrigin()}/v1`);
        return;
      case 'copy-key':
        this.deps.clipboard.writeText(this.deps.configFor([]).gatewayApiKey);
        return;
      case 'toggle-start-at-login':
        return this.setStartAtLogin(!this.state.startAtLogin);
      case 'quit':
        await this.shutdown();
        this.deps.quit();
        return;
    }
  }

  async startGateway(): Promise<void> {
    this.deps.settings.update((s) => ({ ...s, gatewayEnabled: true }));
    const port = this.deps.settings.get().port;
    this.update({ status: 'starting', port, problem: undefined });
    try {
      const address = await this.deps.host.start(this.deps.configFor(this.publicHosts));
      this.update({ status: 'running', port: address.port, problem: this.runningProblem() });
      await this.refreshUsage();
    } catch (error) {
      this.update({ status: 'error', problem: describeStartError(error, port) });
    }
  }

  async stopGateway(): Promise<void> {
    this.deps.settings.update((s) => ({ ...s, gatewayEnabled: false }));
    // A public URL must not outlive the gateway behind it.
    if (this.state.cursor.on) await this.setCursor(false);
    await this.deps.host.stop();
    this.update({ status: 'stopped', problem: undefined, today: null });
  }

  async openDashboard(): Promise<void> {
    if (this.state.status !== 'running') await this.startGateway();
    if (!(await this.deps.dashboard.open())) this.deps.notify('The dashboard needs the gateway running, and it could not start.');
  }

  async refreshUsage(): Promise<void> {
    if (this.state.status !== 'running') return;
    const config = this.deps.host.config;
    const today = config ? await readTodayUsage(this.deps.host.app, config.adminApiKey, this.deps.now()) : null;
    this.update({ today });
  }

  async setStartAtLogin(enabled: boolean): Promise<void> {
    try {
      this.deps.autostart.setEnabled(enabled);
      this.update({ startAtLogin: this.deps.autostart.isEnabled() });
    } catch (error) {
      this.deps.notify(`Start at login could not be changed: ${error instanceof Error ? error.message : error}`);
    }
  }

  async setLocalIdes(on: boolean, options: { quiet?: boolean } = {}): Promise<void> {
    this.update({ localIdes: { ...this.state.localIdes, busy: true, error: undefined } });
    const { endpoint, prefix } = this.localEndpoint();
    try {
      if (on) {
        const plan = this.deps.localIdes.enable(endpoint, prefix);
        if (plan.targets.length === 0) {
          this.deps.settings.update((s) => ({ ...s, routes: { ...s.routes, localIdes: false } }));
          this.update({ localIdes: { on: false, busy: false, error: plan.skipped[0] ?? 'No Continue, Cline or Roo Code installation was found.' } });
          return;
        }
        this.deps.settings.update((s) => ({ ...s, routes: { ...s.routes, localIdes: true } }));
        const detail = `Using the gateway: ${plan.targets.join(', ')}`;
        this.update({ localIdes: { on: true, busy: false, detail } });
        if (!options.quiet) this.deps.notify(`${detail}. Reload the IDE window to pick it up.`);
      } else {
        this.deps.localIdes.disable(endpoint, prefix);
        this.deps.settings.update((s) => ({ ...s, routes: { ...s.routes, localIdes: false } }));
        this.update({ localIdes: { on: false, busy: false } });
        if (!options.quiet) this.deps.notify('Continue, Cline and Roo Code settings were put back as they were.');
      }
    } catch (error) {
      this.update({ localIdes: { ...this.state.localIdes, busy: false, error: error instanceof Error ? error.message : String(error) } });
    }
  }

  async setCursor(on: boolean): Promise<void> {
    this.update({ cursor: { ...this.state.cursor, busy: true, error: undefined } });
    try {
      if (on) {
        if (this.state.status !== 'running') throw new Error('Start the gateway first.');
        const settings = this.deps.settings.get();
        const config = this.deps.configFor(this.publicHosts);
        const status = await this.deps.cursor.enable({
          publicUrl: settings.cursor.publicUrl,
          localOrigin: this.localOrigin(),
          gatewayKey: config.gatewayApiKey,
          models: config,
          writeCursorSettings: settings.cursor.writeCursorSettings,
        });
        this.deps.settings.update((s) => ({ ...s, routes: { ...s.routes, cursor: true } }));
        this.cursorChanged(status);
        this.deps.clipboard.writeText(endpointText(status.endpoint));
        this.deps.notify(status.message);
      } else {
        const result = await this.deps.cursor.disable();
        this.deps.settings.update((s) => ({ ...s, routes: { ...s.routes, cursor: false } }));
        this.cursorChanged(null);
        if (result.cursorSettings === 'cursor-running') this.deps.notify('Tunnel stopped. Cursor is running: its settings are put back the next time it is closed and the app starts.');
      }
    } catch (error) {
      this.cursorStatus = undefined;
      this.update({ cursor: { on: false, busy: false, error: error instanceof Error ? error.message : String(error) } });
    }
  }

  /** The Cursor route changed by itself (a new tunnel after sleep, or a tunnel that could not come back). */
  cursorChanged(status: CursorRouteStatus | null, problem?: string): void {
    this.cursorStatus = status ?? undefined;
    const cursor: RouteState = status
      ? { on: true, busy: false, detail: `Public URL: ${status.publicOrigin}/v1` }
      : { on: false, busy: false, error: problem };
    this.update({ cursor });
  }

  /** Lets the gateway answer a public hostname: rebuilt in place, in-flight requests unharmed. */
  async exposeHost(host: string | null): Promise<void> {
    this.publicHosts = host ? [host] : [];
    if (this.deps.host.running) await this.deps.host.apply(this.deps.configFor(this.publicHosts));
  }

  async onResume(): Promise<void> {
    await this.deps.cursor.onResume();
  }

  async shutdown(): Promise<void> {
    if (this.state.cursor.on) {
      // The tunnel dies with the app, so Cursor's settings go back now; the route comes back at next start.
      await this.deps.cursor.disable().catch(() => undefined);
    }
    await this.deps.host.stop();
  }

  // ---- the dashboard bridge ------------------------------------------------------------------------------

  readonly bridge: BridgeHandlers = {
    getConnection: (): GatewayConnection => ({ baseUrl: this.localOrigin(), adminKey: this.deps.configFor([]).adminApiKey }),
    getSettings: (): DesktopSettingsView => this.settingsView(),
    updateSettings: (patch: SettingsPatch) => this.updateSettings(patch),
    setAnthropicKey: (key: string) => this.setAnthropicKey(key),
    setUpstreams: (json: string) => this.setUpstreams(json),
    testStorage: (target: StorageTarget) => this.testStorage(target),
    printReportToPdf: () => this.printReportToPdf(),
  };

  private settingsView(): DesktopSettingsView {
    const settings = this.deps.settings.get();
    return {
      port: settings.port,
      host: '127.0.0.1',
      anthropicKeySet: Boolean(this.deps.secrets.get('anthropicApiKey')),
      upstreams: storedUpstreams(this.deps.secrets).map(describeUpstream),
      features: effectiveFeatures(settings),
      cursorPublicUrl: settings.cursor.publicUrl,
      writeCursorSettings: settings.cursor.writeCursorSettings,
    };
  }

  private async updateSettings(patch: SettingsPatch): Promise<DesktopSettingsView> {
    const before = this.deps.settings.get();
    this.deps.settings.update((s) => ({
      ...s,
      port: patch.port ?? s.port,
      features: patch.features ? { ...s.features, ...patch.features } : s.features,
      cursor: {
        publicUrl: patch.cursorPublicUrl !== undefined ? patch.cursorPublicUrl : s.cursor.publicUrl,
        writeCursorSettings: patch.writeCursorSettings ?? s.cursor.writeCursorSettings,
      },
    }));
    const portChanged = patch.port !== undefined && patch.port !== before.port;
    try {
      await this.rebuild();
    } catch (error) {
      this.deps.settings.update(() => before);
      throw new Error(describeStartError(error, patch.port ?? before.port), { cause: error });
    }
    if (portChanged) await this.followPortChange();
    else if (patch.cursorPublicUrl !== undefined && patch.cursorPublicUrl !== before.cursor.publicUrl && this.state.cursor.on) {
      // A different public URL means a different route for Cursor: take the old one down, bring the new one up.
      await this.setCursor(false);
      await this.setCursor(true);
    }
    return this.settingsView();
  }

  private async setAnthropicKey(key: string): Promise<ActionResult> {
    const trimmed = key.trim();
    if (trimmed === '') {
      this.deps.secrets.delete('anthropicApiKey');
    } else {
      if (!ANTHROPIC_KEY.test(trimmed)) return { ok: false, message: 'That does not look like an Anthropic API key.' };
      this.deps.secrets.set('anthropicApiKey', trimmed);
    }
    await this.rebuild();
    if (!this.deps.secrets.persistent) {
      return { ok: true, message: 'No OS keychain is available, so the key is kept for this session only and never written to disk.' };
    }
    return { ok: true };
  }

  private async setUpstreams(json: string): Promise<ActionResult> {
    if (json.trim() === '') {
      this.deps.secrets.delete('upstreams');
    } else {
      const problems: string[] = [];
      parseUpstreams(json, problems);
      if (problems.length > 0) return { ok: false, message: problems.join('; ') };
      this.deps.secrets.set('upstreams', json.trim());
    }
    await this.rebuild();
    return { ok: true };
  }

  private async testStorage(target: StorageTarget): Promise<ConnectionTestResult> {
    const app = this.deps.host.app;
    const config = this.deps.host.config;
    if (!app || !config) return { ok: false, message: 'The gateway is not running.' };
    const response = await app.inject({
      method: 'POST',
      url: '/admin/settings/test',
      headers: { authorization: `Bearer ${config.adminApiKey}`, host: '127.0.0.1', 'content-type': 'application/json' },
      payload: JSON.stringify({ target }),
    });
    if (response.statusCode === 404) return { ok: false, message: 'This gateway cannot test storage connections.' };
    const body = JSON.parse(response.body) as Partial<ConnectionTestResult> & { error?: { message?: string } };
    if (response.statusCode !== 200) return { ok: false, message: body.error?.message ?? `HTTP ${response.statusCode}` };
    return { ok: body.ok === true, message: body.message, latencyMs: body.latencyMs };
  }

  private async printReportToPdf(): Promise<{ path: string } | null> {
    const path = await this.deps.pdf.choosePath();
    if (!path) return null;
    const pdf = await this.deps.pdf.print();
    if (!pdf) throw new Error('The dashboard window is not open.');
    await writeFile(path, pdf);
    return { path };
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  private async rebuild(): Promise<void> {
    if (!this.deps.host.running) return;
    const address = await this.deps.host.apply(this.deps.configFor(this.publicHosts));
    this.update({ port: address.port, problem: this.runningProblem() });
  }

  /** Everything that holds the gateway's address follows it to the new port. */
  private async followPortChange(): Promise<void> {
    await this.deps.dashboard.follow();
    if (this.state.localIdes.on) await this.setLocalIdes(true, { quiet: true });
    if (this.state.cursor.on) {
      await this.setCursor(false);
      await this.setCursor(true);
    }
  }

  private localOrigin(): string {
    return `http://127.0.0.1:${this.deps.host.address?.port ?? this.deps.settings.get().port}`;
  }

  private localEndpoint(): { endpoint: GatewayEndpoint; prefix: string } {
    const config = this.deps.configFor([]);
    return {
      endpoint: { baseUrl: `${this.localOrigin()}/v1`, apiKey: config.gatewayApiKey, models: prefixedModelIds(config) },
      prefix: config.modelPrefix,
    };
  }

  private runningProblem(): string | undefined {
    if (this.deps.secrets.get('anthropicApiKey') || storedUpstreams(this.deps.secrets).length > 0) return undefined;
    return 'No Anthropic API key yet: add it in the dashboard.';
  }

  private safe<T>(read: () => T, fallback: T): T {
    try {
      return read();
    } catch {
      return fallback;
    }
  }

  private update(change: Partial<TrayState>): void {
    this.state = { ...this.state, ...change };
    this.deps.onChange(this.state);
  }
}
