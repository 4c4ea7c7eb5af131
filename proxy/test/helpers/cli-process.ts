// The headless CLI as a real child process, for tests that need separate gateway processes (signals, kill -9,
// replicas): started with a clean environment plus what the test gives, resolved once it says where it listens.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli.ts');

export interface CliProcess {
  child: ChildProcess;
  /** http://host:port of the listening gateway. */
  url: string;
  /** Everything it printed so far, stdout and stderr together. */
  output(): string;
  exited: Promise<number | null>;
}

export interface CliOptions {
  /** A JavaScript entry run without the TypeScript loader (the built dist/gateway/cli.js) instead of the sources. */
  entry?: string;
  args?: string[];
}

export function startCli(env: Record<string, string>, options: CliOptions = {}): Promise<CliProcess> {
  const argv = options.entry ? [options.entry] : ['--import', 'tsx', CLI];
  const child = spawn(process.execPath, [...argv, ...(options.args ?? [])], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) resolve({ child, url: match[1]!, output: () => output, exited });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(Object.assign(new Error(`gateway exited ${code}: ${output}`), { output, code })));
  });
}
