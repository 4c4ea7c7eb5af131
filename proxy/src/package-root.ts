// The folder holding the gateway's package.json, found by walking up from a module's own file. The same code
// runs from its sources (proxy/src/…), from the bundle (dist/gateway/…) and from inside a packaged desktop app,
// so nothing may assume how deep it sits.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'coding-gateway';

function isOurPackage(dir: string): boolean {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** The nearest folder at or above `fromUrl` whose package.json is the gateway's own. */
export function findPackageRoot(fromUrl: string): string {
  let dir = dirname(fileURLToPath(fromUrl));
  for (;;) {
    if (isOurPackage(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no ${PACKAGE_NAME} package.json above ${fileURLToPath(fromUrl)}`);
    dir = parent;
  }
}

export const PACKAGE_ROOT: string = findPackageRoot(import.meta.url);
