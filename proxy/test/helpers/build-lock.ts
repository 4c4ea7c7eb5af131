// One build for many test files: test files run in parallel, so a lock folder lets one of them build while the
// others wait. `ready` is asked before and while waiting, so a waiter whose build another file made skips it.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function underBuildLock(root: string, name: string, build: () => void, ready: () => boolean = () => false): Promise<void> {
  if (ready()) return;
  const lock = join(root, 'node_modules', `.${name}.lock`);
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than two minutes was left by a killed run.
      if (waited > 120_000 || Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      await sleep(200);
      if (ready()) return;
    }
  }
  try {
    if (!ready()) build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
