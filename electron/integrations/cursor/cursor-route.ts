// "Route Cursor through the gateway". Cursor calls custom base URLs from its own cloud, so a loopback gateway is
// out of its reach: the toggle puts the gateway behind a public https URL — the user's own, or a Cloudflare quick
// tunnel when cloudflared is installed — and from then on the gateway key is the only lock, so it refuses to
// expose a gateway without one. It then hands the URL, key and model ids to the user, and writes them into
// Cursor's settings store itself when Cursor is closed. Turning it off stops the tunnel and restores Cursor's
// settings.
import type { BackupLedger } from '../file-edit.ts';
import { prefixedModelIds, type GatewayEndpoint, type ModelNames } from '../gateway-endpoint.ts';
import { QuickTunnel, waitHealthy, type FetchLike, type Spawn } from './cloudflared.ts';
import { restoreCursorSettings, writeCursorSettings, type OpenCursorKv } from './cursor-settings.ts';

export const MIN_EXPOSED_KEY_LENGTH = 16;

export type CursorSettingsOutcome =
  | 'written'
  | 'written-without-key'
  | 'cursor-running'
  | 'not-requested'
  | 'failed';

export interface CursorRouteStatus {
  publicOrigin: string;
  viaTunnel: boolean;
  healthy: boolean;
  endpoint: GatewayEndpoint;
  cursorSettings: CursorSettingsOutcome;
  message: string;
}

export interface CursorRouteDeps {
  findCloudflared(): string | undefined;
  spawn: Spawn;
  fetch: FetchLike;
  sleep(ms: number): Promise<void>;
  isCursorRunning(): Promise<boolean>;
  openCursorKv: OpenCursorKv;
  cursorDbFile: string;
  ledger: BackupLedger;
  /** Lets the gateway answer a public hostname (rebuilds it with that host allowed); null removes it. */
  exposeHost(host: string | null): Promise<void>;
  /** The tunnel restarted with a new URL (after sleep, or a crash). */
  onStatusChange(status: CursorRouteStatus | null, problem?: string): void;
  stamp(): string;
  healthAttempts?: number;
}

export interface CursorEnableInput {
  /** User-configured public origin, or null for a quick tunnel. */
  publicUrl: string | null;
  /** The loopback origin the tunnel forwards to, e.g. http://127.0.0.1:8787. */
  localOrigin: string;
  gatewayKey: string;
  models: ModelNames;
  writeCursorSettings: boolean;
}

export class CursorRoute {
  private tunnel: QuickTunnel | undefined;
  private input: CursorEnableInput | undefined;
  private status: CursorRouteStatus | undefined;
  private stopping = false;

  constructor(private readonly deps: CursorRouteDeps) {}

  get current(): CursorRouteStatus | undefined {
    return this.status;
  }

  async enable(input: CursorEnableInput): Promise<CursorRouteStatus> {
    if (!input.gatewayKey || input.gatewayKey.length < MIN_EXPOSED_KEY_LENGTH) {
      throw new Error('Refusing to expose the gateway publicly without a gateway key of at least 16 characters.');
    }
    this.input = input;
    this.stopping = false;
    let origin: string;
    let viaTunnel = false;
    if (input.publicUrl) {
      origin = input.publicUrl;
    } else {
      origin = await this.startTunnel(input.localOrigin);
      viaTunnel = true;
    }
    try {
      await this.deps.exposeHost(new URL(origin).hostname);
      const healthy = await waitHealthy(origin, this.deps.fetch, this.deps.sleep, this.deps.healthAttempts ?? 10);
      if (!healthy && viaTunnel) throw new Error(`The tunnel ${origin} did not answer /health.`);
      const endpoint: GatewayEndpoint = { baseUrl: `${origin}/v1`, apiKey: input.gatewayKey, models: prefixedModelIds(input.models) };
      const cursorSettings = input.writeCursorSettings ? await this.writeCursor(endpoint) : 'not-requested';
      this.status = { publicOrigin: origin, viaTunnel, healthy, endpoint, cursorSettings, message: describe(origin, healthy, cursorSettings) };
      return this.status;
    } catch (error) {
      await this.tunnel?.stop();
      this.tunnel = undefined;
      await this.deps.exposeHost(null);
      throw error;
    }
  }

  async disable(): Promise<{ cursorSettings: 'restored' | 'removed-ours' | 'nothing-to-do' | 'cursor-running' }> {
    this.stopping = true;
    this.status = undefined;
    this.input = undefined;
    await this.tunnel?.stop();
    this.tunnel = undefined;
    await this.deps.exposeHost(null);
    if (await this.deps.isCursorRunning()) {
      // Restored on the next switch-off or app start while Cursor is closed; the ledger keeps the originals.
      return { cursorSettings: 'cursor-running' };
    }
    return { cursorSettings: restoreCursorSettings(this.deps.openCursorKv, this.deps.ledger, this.deps.stamp()) };
  }

  /** After sleep a quick tunnel's connection is usually gone: check it, and start a fresh one if it is. */
  async onResume(): Promise<void> {
    const status = this.status;
    const input = this.input;
    if (!status || !input || !status.viaTunnel) return;
    if (await waitHealthy(status.publicOrigin, this.deps.fetch, this.deps.sleep, 2, 2000)) return;
    await this.restart(input);
  }

  /** Restores Cursor's settings left over from a session that could not restore them (Cursor was running). */
  async restorePending(): Promise<boolean> {
    if (this.status || (await this.deps.isCursorRunning())) return false;
    return restoreCursorSettings(this.deps.openCursorKv, this.deps.ledger, this.deps.stamp()) !== 'nothing-to-do';
  }

  private async restart(input: CursorEnableInput): Promise<void> {
    await this.tunnel?.stop();
    this.tunnel = undefined;
    try {
      const status = await this.enable(input);
      this.deps.onStatusChange(status);
    } catch (error) {
      this.status = undefined;
      this.deps.onStatusChange(null, error instanceof Error ? error.message : String(error));
    }
  }

  private async startTunnel(localOrigin: string): Promise<string> {
    const binary = this.deps.findCloudflared();
    if (!binary) {
      throw new Error('Cursor reaches the gateway from its cloud, so it needs a public https URL: install cloudflared, or set your own public URL.');
    }
    const tunnel = new QuickTunnel({ binary, spawn: this.deps.spawn });
    tunnel.onExit(() => {
      // A tunnel that dies on its own (network loss, crash) is started again; a requested stop is not.
      if (this.tunnel === tunnel && !this.stopping && this.input) void this.restart(this.input);
    });
    this.tunnel = tunnel;
    return tunnel.start(localOrigin);
  }

  private async writeCursor(endpoint: GatewayEndpoint): Promise<CursorSettingsOutcome> {
    if (await this.deps.isCursorRunning()) return 'cursor-running';
    try {
      const { keyWritten } = writeCursorSettings(this.deps.cursorDbFile, this.deps.openCursorKv, this.deps.ledger, endpoint, this.deps.stamp());
      return keyWritten ? 'written' : 'written-without-key';
    } catch {
      return 'failed';
    }
  }
}

function describe(origin: string, healthy: boolean, settings: CursorSettingsOutcome): string {
  const reach = healthy ? `Cursor can reach the gateway at ${origin}/v1.` : `${origin} did not answer yet; check your proxy.`;
  const next: Record<CursorSettingsOutcome, string> = {
    written: 'Cursor’s settings were updated: start Cursor and pick a cg- model.',
    'written-without-key': 'Cursor’s base URL and models were set; paste the key (copied) into Cursor › Settings › Models.',
    'cursor-running': 'Cursor is running, so paste the base URL, key and models (copied) into Cursor › Settings › Models.',
    'not-requested': 'Paste the base URL, key and models (copied) into Cursor › Settings › Models.',
    failed: 'Cursor’s settings could not be written; paste the base URL, key and models (copied) into Cursor › Settings › Models.',
  };
  return `${reach} ${next[settings]}`;
}
