// Builds the dashboard before a browser test when dist/dashboard is missing or older than its sources. Test
// files may run in parallel, so a lock folder makes one build and the others wait for it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { underBuildLock } from '../../helpers/build-lock.ts';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const RENDERER = join(ROOT, 'renderer');
export const DIST = join(ROOT, 'dist', 'dashboard');

function newest(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

function sourcesTime(): number {
  return Math.max(newest(join(RENDERER, 'src')), newest(join(RENDERER, 'index.html')), newest(join(RENDERER, 'vite.config.ts')));
}

export function isBuilt(): boolean {
  const index = join(DIST, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= sourcesTime();
}

function buildDashboard(): void {
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', join(RENDERER, 'vite.config.ts'), '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`dashboard build failed:\n${result.stdout}\n${result.stderr}`);
}

export function ensureDashboardBuilt(): Promise<void> {
  return underBuildLock(ROOT, 'dashboard-build', buildDashboard, isBuilt);
}
