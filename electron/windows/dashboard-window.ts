// The one dashboard window: created on demand, focused when asked again, pointed at the gateway's /dashboard.
// On macOS the app shows a Dock icon only while the window is open; elsewhere the window's own taskbar entry
// comes and goes with it.

export interface DashboardWindowPort {
  readonly webContentsId: number;
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  loadURL(url: string): Promise<void>;
  onClosed(listener: () => void): void;
  printToPDF(): Promise<Buffer>;
}

export interface DockPort {
  show(): Promise<void> | void;
  hide(): void;
}

export interface DashboardWindowOptions {
  create(): DashboardWindowPort;
  /** The gateway's origin (http://127.0.0.1:PORT), or undefined when it is not running. */
  gatewayOrigin(): string | undefined;
  dock?: DockPort;
}

export function dashboardUrl(origin: string): string {
  return `${origin}/dashboard/`;
}

export class DashboardWindow {
  private window: DashboardWindowPort | undefined;
  private loadedOrigin: string | undefined;

  constructor(private readonly options: DashboardWindowOptions) {}

  /** Opens (or focuses) the dashboard; false when the gateway is not running, so there is nothing to show. */
  async open(): Promise<boolean> {
    const origin = this.options.gatewayOrigin();
    if (!origin) return false;
    const existing = this.current();
    if (existing) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      if (this.loadedOrigin !== origin) await this.load(existing, origin);
      return true;
    }
    const window = this.options.create();
    this.window = window;
    window.onClosed(() => {
      this.window = undefined;
      this.loadedOrigin = undefined;
      this.options.dock?.hide();
    });
    await this.options.dock?.show();
    await this.load(window, origin);
    window.show();
    window.focus();
    return true;
  }

  /** After the gateway moved (a port change) an open dashboard follows it. */
  async follow(): Promise<void> {
    const window = this.current();
    const origin = this.options.gatewayOrigin();
    if (window && origin && origin !== this.loadedOrigin) await this.load(window, origin);
  }

  webContentsId(): number | undefined {
    return this.current()?.webContentsId;
  }

  /** The origin the page was loaded from: what IPC senders are checked against. */
  origin(): string | undefined {
    return this.current() ? this.loadedOrigin : undefined;
  }

  async printToPDF(): Promise<Buffer | undefined> {
    return this.current()?.printToPDF();
  }

  private current(): DashboardWindowPort | undefined {
    return this.window && !this.window.isDestroyed() ? this.window : undefined;
  }

  private async load(window: DashboardWindowPort, origin: string): Promise<void> {
    // Set first: the page's first IPC calls arrive while loadURL is still settling.
    this.loadedOrigin = origin;
    await window.loadURL(dashboardUrl(origin));
  }
}
