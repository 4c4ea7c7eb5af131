// The built product for tests that run it as users do: `npm run build`'s output in dist/, made (or remade when
// older than its sources) once for every test file that needs it; a lock folder makes one build and the
// other test files wait for it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const BUILT_CLI = join(ROOT, 'dist', 'gateway', 'cli.js');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function buildIfStale(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'build', 'scripts', 'build.mjs'), '--if-stale'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stdout}\n${result.stderr}`);
}

export async function ensureBuilt(): Promise<void> {
  const lock = join(ROOT, 'node_modules', '.gateway-build.lock');
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than two minutes was left by a killed run.
      if (waited > 120_000 || Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      await sleep(200);
    }
  }
  try {
    buildIfStale();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
