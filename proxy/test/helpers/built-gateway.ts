// The built product for tests that run it as users do: `npm run build`'s output in dist/, made (or remade when
// older than its sources) once for every test file that needs it; a lock folder makes one build and the
// other test files wait for it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { underBuildLock } from './build-lock.ts';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const BUILT_CLI = join(ROOT, 'dist', 'gateway', 'cli.js');

function buildIfStale(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'build', 'scripts', 'build.mjs'), '--if-stale'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stdout}\n${result.stderr}`);
}

export function ensureBuilt(): Promise<void> {
  return underBuildLock(ROOT, 'gateway-build', buildIfStale);
}
