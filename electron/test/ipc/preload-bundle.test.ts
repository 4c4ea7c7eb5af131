// A sandboxed preload can require nothing but 'electron' (and a few Node built-ins): bundle it exactly as the
// build does and run it with such a require to prove it needs nothing else and exposes only the bridge.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { BRIDGE_CHANNELS, BRIDGE_METHODS } from '../../ipc/contract.ts';

const electronDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('the bundled preload needs only electron and exposes window.gateway with one method per channel', async () => {
  const result = await build({
    entryPoints: [join(electronDir, 'preload.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  const required: string[] = [];
  const exposed = new Map<string, Record<string, (...args: unknown[]) => Promise<unknown>>>();
  const invoked: unknown[][] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (name: string, api: Record<string, (...args: unknown[]) => Promise<unknown>>) => exposed.set(name, api) },
    ipcRenderer: { invoke: async (...args: unknown[]) => void invoked.push(args) },
  };
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
    return electron;
  };
  const module = { exports: {} };
  runInNewContext(code, { require: sandboxRequire, module, exports: module.exports });

  assert.deepEqual([...new Set(required)], ['electron']);
  assert.deepEqual([...exposed.keys()], ['gateway']);
  const gateway = exposed.get('gateway')!;
  assert.deepEqual(Object.keys(gateway).sort(), [...BRIDGE_METHODS].sort());
  for (const method of BRIDGE_METHODS) await gateway[method]!('arg');
  assert.deepEqual(
    invoked.map((call) => call[0]),
    BRIDGE_METHODS.map((m) => BRIDGE_CHANNELS[m]),
  );
});
