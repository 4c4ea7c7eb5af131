// A child process stand-in: tests write to its stderr and decide when it exits.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { ChildProcessLike } from '../../integrations/cursor/cloudflared.ts';

export class FakeProcess extends EventEmitter implements ChildProcessLike {
  stdout = new PassThrough();
  stderr = new PassThrough();
  exitCode: number | null = null;
  signals: Array<NodeJS.Signals | number | undefined> = [];

  constructor(public command: string, public args: string[]) {
    super();
  }

  kill(signal?: NodeJS.Signals | number): boolean {
    this.signals.push(signal);
    setImmediate(() => this.exit(null));
    return true;
  }

  exit(code: number | null): void {
    if (this.exitCode !== null) return;
    this.exitCode = code ?? 143;
    this.emit('exit', code);
  }
}

export function fakeSpawner(onSpawn: (child: FakeProcess) => void = () => {}) {
  const spawned: FakeProcess[] = [];
  const spawn = (command: string, args: string[]) => {
    const child = new FakeProcess(command, args);
    spawned.push(child);
    setImmediate(() => onSpawn(child));
    return child;
  };
  return { spawn, spawned };
}
