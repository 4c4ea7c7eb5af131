// A Cloudflare quick tunnel (`cloudflared tunnel --url http://127.0.0.1:PORT`): a public https URL on
// trycloudflare.com that forwards to the local gateway, with no account. The process prints the URL on stderr;
// the tunnel lives as long as the process does.
import type { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Readable } from 'node:stream';

export interface ChildProcessLike extends EventEmitter {
  stdout: Readable | null;
  stderr: Readable | null;
  kill(signal?: NodeJS.Signals | number): boolean;
  readonly exitCode: number | null;
}

export type Spawn = (command: string, args: string[]) => ChildProcessLike;

// Quick tunnel hosts are hyphenated words; api.trycloudflare.com (named in error messages) is not one.
const QUICK_TUNNEL_URL = /https:\/\/(?!api\.)[a-z0-9]+(?:-[a-z0-9]+)+\.trycloudflare\.com/i;

export function parseTunnelUrl(text: string): string | undefined {
  return QUICK_TUNNEL_URL.exec(text)?.[0]?.toLowerCase();
}

export function quickTunnelArgs(localOrigin: string): string[] {
  // --no-autoupdate: the app manages the process; an update restart would drop the tunnel and change its URL.
  return ['tunnel', '--no-autoupdate', '--url', localOrigin];
}

/** cloudflared on PATH or in the usual install locations (Homebrew on Apple silicon is not on a GUI app's PATH). */
export function findCloudflared(
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform,
  exists: (path: string) => boolean = existsSync,
): string | undefined {
  const name = platform === 'win32' ? 'cloudflared.exe' : 'cloudflared';
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : delimiter).filter(Boolean);
  if (platform === 'darwin') dirs.push('/opt/homebrew/bin', '/usr/local/bin');
  if (platform === 'linux') dirs.push('/usr/local/bin', '/usr/bin');
  if (platform === 'win32') {
    for (const base of [env['ProgramFiles(x86)'], env.ProgramFiles]) if (base) dirs.push(join(base, 'cloudflared'));
  }
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (exists(candidate)) return candidate;
  }
  return undefined;
}

export interface QuickTunnelOptions {
  binary: string;
  spawn: Spawn;
  /** How long cloudflared gets to print its URL. */
  startTimeoutMs?: number;
}

export class QuickTunnel {
  private child: ChildProcessLike | undefined;
  private exitListeners: Array<(code: number | null) => void> = [];
  url: string | undefined;

  constructor(private readonly options: QuickTunnelOptions) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  onExit(listener: (code: number | null) => void): void {
    this.exitListeners.push(listener);
  }

  start(localOrigin: string): Promise<string> {
    if (this.child) return Promise.reject(new Error('The tunnel is already running.'));
    const child = this.options.spawn(this.options.binary, quickTunnelArgs(localOrigin));
    this.child = child;
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      let output = '';
      const finish = (error?: Error, url?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(url!);
      };
      const timer = setTimeout(() => {
        finish(new Error('cloudflared did not report a tunnel URL in time.'));
        this.kill();
      }, this.options.startTimeoutMs ?? 30_000);
      const scan = (chunk: Buffer | string) => {
        // Keep only the tail: the URL is short and arrives within the first lines.
        output = (output + chunk.toString()).slice(-4096);
        const url = parseTunnelUrl(output);
        if (url && !this.url) {
          this.url = url;
          finish(undefined, url);
        }
      };
      child.stderr?.on('data', scan);
      child.stdout?.on('data', scan);
      child.once('error', (error: Error) => {
        this.child = undefined;
        finish(new Error(`cloudflared could not be started: ${error.message}`));
      });
      child.once('exit', (code: number | null) => {
        const wasCurrent = this.child === child;
        if (wasCurrent) {
          this.child = undefined;
          this.url = undefined;
        }
        finish(new Error(`cloudflared exited (code ${code}) before the tunnel was ready.`));
        if (wasCurrent) for (const listener of this.exitListeners) listener(code);
      });
    });
  }

  /** Stops the tunnel; resolves once the process is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    this.url = undefined;
    if (child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 5000);
      force.unref?.();
      child.once('exit', () => clearTimeout(force));
    });
  }

  private kill(): void {
    const child = this.child;
    this.child = undefined;
    this.url = undefined;
    child?.kill('SIGTERM');
  }
}

export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<{ status: number }>;

/** Polls GET {origin}/health until it answers 200: a new quick tunnel's DNS name takes a few seconds to resolve. */
export async function waitHealthy(
  origin: string,
  fetchFn: FetchLike,
  sleep: (ms: number) => Promise<void>,
  attempts = 10,
  delayMs = 1500,
): Promise<boolean> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await sleep(delayMs);
    try {
      const response = await fetchFn(`${origin}/health`, { signal: AbortSignal.timeout(10_000) });
      if (response.status === 200) return true;
    } catch {
      // Not reachable yet.
    }
  }
  return false;
}
